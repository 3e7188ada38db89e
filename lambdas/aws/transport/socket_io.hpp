// Connecting, reading and writing a non-blocking TCP socket with a deadline: poll(2) until it is
// ready or the deadline passes, then one connect, recv or send. What the plain-HTTP stream and
// the TLS session's bio both stand on, so every call of the transport ends by its timeout. Plain
// system calls rather than an event loop: the Lambda function makes one call at a time, and an
// event loop's set-up (an epoll set, an eventfd, a timerfd) is a cold start's cost.
#pragma once

#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstddef>
#include <string>
#include <utility>

namespace videochat::aws::http {

using Deadline = std::chrono::steady_clock::time_point;

// An open socket, closed with its owner.
class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();
  int fd() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// A TCP connection to `host`:`port` (names through getaddrinfo: /etc/hosts, then DNS, as
// nsswitch.conf says), trying each address in turn until one accepts, all by `deadline`.
// Non-blocking, Nagle off (the requests are small). On failure an empty Socket, with `problem`
// saying which step failed ("cannot resolve HOST: …", "cannot connect to HOST:PORT: …") and
// `timed_out` set when the deadline passed.
Socket socket_connect(const std::string& host, const std::string& port, Deadline deadline,
                      std::string& problem, bool& timed_out);

// Bytes read (at least one), or 0 with `error` set: boost::asio::error::eof when the peer
// closed, boost::beast::error::timeout at the deadline, the system's error otherwise.
std::size_t socket_read(int fd, void* data, std::size_t size, Deadline deadline,
                        boost::system::error_code& error);

// Bytes written (at least one), or 0 with `error` set as for socket_read. Never raises SIGPIPE.
std::size_t socket_write(int fd, const void* data, std::size_t size, Deadline deadline,
                         boost::system::error_code& error);

}  // namespace videochat::aws::http
