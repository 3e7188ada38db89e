// An HTTP transport that counts the requests sent through it and the time spent waiting for their
// answers: put under the DynamoDB client, it tells what each invocation spent on the store
// (retries included, backoff pauses not: those are the client's, not DynamoDB's).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include "http_transport.hpp"

namespace videochat::metrics {

struct TransportTotals {
  std::uint64_t requests = 0;
  std::chrono::nanoseconds waited{0};

  friend TransportTotals operator-(const TransportTotals& after, const TransportTotals& before) {
    return {after.requests - before.requests, after.waited - before.waited};
  }
};

class MeteredTransport final : public aws::http::Transport {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  explicit MeteredTransport(
      aws::http::Transport& inner, Clock clock = [] { return std::chrono::steady_clock::now(); })
      : inner_(inner), clock_(std::move(clock)) {}

  aws::http::Result send(const aws::http::Request& request,
                         std::chrono::milliseconds timeout) override;

  // Since the transport was made; an invocation's share is the difference of two readings.
  TransportTotals totals() const;

 private:
  aws::http::Transport& inner_;
  Clock clock_;
  // Atomic: a transport may be used by several threads at once (videochat-local's store).
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::int64_t> waited_ns_{0};
};

}  // namespace videochat::metrics
