// Reading and writing a connected, non-blocking socket with a deadline: poll(2) until it is
// ready or the deadline passes, then one recv or send. What the plain-HTTP stream and the TLS
// session's bio both stand on, so every call of the transport ends by its timeout.
#pragma once

#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstddef>

namespace videochat::aws::http {

using Deadline = std::chrono::steady_clock::time_point;

// Bytes read (at least one), or 0 with `error` set: boost::asio::error::eof when the peer
// closed, boost::beast::error::timeout at the deadline, the system's error otherwise.
std::size_t socket_read(int fd, void* data, std::size_t size, Deadline deadline,
                        boost::system::error_code& error);

// Bytes written (at least one), or 0 with `error` set as for socket_read. Never raises SIGPIPE.
std::size_t socket_write(int fd, const void* data, std::size_t size, Deadline deadline,
                         boost::system::error_code& error);

}  // namespace videochat::aws::http
