#include "log_throttle.hpp"

namespace videochat::local {

std::optional<std::uint64_t> LogThrottle::admit(double now_ms) {
  if (last_written_ms_ && now_ms - *last_written_ms_ < interval_ms_) {
    ++left_out_;
    return std::nullopt;
  }
  last_written_ms_ = now_ms;
  const std::uint64_t before = left_out_;
  left_out_ = 0;
  return before;
}

}  // namespace videochat::local
