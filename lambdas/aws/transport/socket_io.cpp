#include "socket_io.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <cerrno>

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

}  // namespace

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
