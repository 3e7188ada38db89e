#include "socket_io.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <cerrno>
#include <memory>

namespace videochat::aws::http {

namespace {

using Clock = std::chrono::steady_clock;

boost::system::error_code system_error(int number) {
  return {number, boost::system::system_category()};
}

// Waits until `fd` is ready for `events` or `deadline` passes; an error code for the latter.
boost::system::error_code wait_ready(int fd, short events, Deadline deadline) {
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return boost::beast::error::timeout;
    pollfd entry{fd, events, 0};
    // At most a day per wait (poll takes an int): a longer deadline just waits again.
    const int ready =
        ::poll(&entry, 1, static_cast<int>(std::min<long long>(left.count(), 86'400'000)));
    if (ready > 0) return {};  // readable, writable, or an error the next call will report
    if (ready < 0 && errno != EINTR) return system_error(errno);
  }
}

// One non-blocking `attempt` (recv or send), waiting for readiness while it would block.
template <class Attempt>
std::size_t with_deadline(int fd, short events, Deadline deadline, boost::system::error_code& error,
                          Attempt attempt) {
  error = {};
  for (;;) {
    // (Never asked for zero bytes: Beast's buffers are never empty, and a TLS record is not.)
    const ssize_t done = attempt();
    if (done > 0) return static_cast<std::size_t>(done);
    if (done == 0) {
      error = boost::asio::error::eof;
      return 0;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      error = system_error(errno);
      return 0;
    }
    if ((error = wait_ready(fd, events, deadline))) return 0;
  }
}

// The error a non-blocking connect ended with, once the socket is writable.
boost::system::error_code connect_result(int fd) {
  int pending = 0;
  socklen_t length = sizeof pending;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &pending, &length) != 0) return system_error(errno);
  return pending ? system_error(pending) : boost::system::error_code{};
}

// `address`, connected by `deadline`, or an empty Socket and `error`.
Socket connect_one(const addrinfo& address, Deadline deadline, boost::system::error_code& error) {
  Socket socket(::socket(address.ai_family, address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                         address.ai_protocol));
  if (!socket) {
    error = system_error(errno);
    return {};
  }
  if (::connect(socket.fd(), address.ai_addr, address.ai_addrlen) != 0) {
    if (errno != EINPROGRESS) {
      error = system_error(errno);
      return {};
    }
    if ((error = wait_ready(socket.fd(), POLLOUT, deadline)) ||
        (error = connect_result(socket.fd()))) {
      return {};
    }
  }
  const int on = 1;
  if (::setsockopt(socket.fd(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0) {
    error = system_error(errno);
    return {};
  }
  error = {};
  return socket;
}

}  // namespace

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

Socket::~Socket() {
  if (fd_ >= 0) ::close(fd_);
}

Socket socket_connect(const std::string& host, const std::string& port, Deadline deadline,
                      std::string& problem, bool& timed_out) {
  timed_out = false;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int status = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); status != 0) {
    problem = "cannot resolve " + host + ": " +
              (status == EAI_SYSTEM ? system_error(errno).message() : ::gai_strerror(status));
    return {};
  }
  const std::unique_ptr<addrinfo, void (*)(addrinfo*)> addresses(found, ::freeaddrinfo);
  boost::system::error_code error;
  for (const addrinfo* address = found; address; address = address->ai_next) {
    if (Socket socket = connect_one(*address, deadline, error)) return socket;
    if (error == boost::beast::error::timeout) break;  // one deadline for every address
  }
  timed_out = error == boost::beast::error::timeout;
  problem = "cannot connect to " + host + ":" + port + ": " +
            (timed_out ? std::string("timed out") : error.message());
  return {};
}

std::size_t socket_read(int fd, void* data, std::size_t size, Deadline deadline,
                        boost::system::error_code& error) {
  return with_deadline(fd, POLLIN, deadline, error,
                       [&] { return ::recv(fd, data, size, MSG_DONTWAIT); });
}

std::size_t socket_write(int fd, const void* data, std::size_t size, Deadline deadline,
                         boost::system::error_code& error) {
  return with_deadline(fd, POLLOUT, deadline, error,
                       [&] { return ::send(fd, data, size, MSG_DONTWAIT | MSG_NOSIGNAL); });
}

}  // namespace videochat::aws::http
