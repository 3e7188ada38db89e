#include "metered_transport.hpp"

namespace videochat::metrics {

aws::http::Result MeteredTransport::send(const aws::http::Request& request,
                                         std::chrono::milliseconds timeout) {
  const auto started = clock_();
  aws::http::Result result = inner_.send(request, timeout);
  const auto waited = std::chrono::duration_cast<std::chrono::nanoseconds>(clock_() - started);
  waited_ns_.fetch_add(waited.count(), std::memory_order_relaxed);
  requests_.fetch_add(1, std::memory_order_relaxed);
  return result;
}

TransportTotals MeteredTransport::totals() const {
  return {requests_.load(std::memory_order_relaxed),
          std::chrono::nanoseconds(waited_ns_.load(std::memory_order_relaxed))};
}

}  // namespace videochat::metrics
