// Keeps a burst of one kind of log line from flooding the log: the first line of a kind is
// written, then at most one a second, each telling how many were left out since the last. A
// connection flood or a descriptor shortage then costs a few lines, not millions. Pure: the
// caller passes the clock. Not thread-safe: one per thread (the accept loop has its own).
#pragma once

#include <cstdint>
#include <optional>

namespace videochat::local {

class LogThrottle {
 public:
  explicit LogThrottle(double interval_ms = 1000) : interval_ms_(interval_ms) {}

  // Whether to write the line that happened at now_ms; when it is to be written, the number of
  // lines left out before it (to write along with it).
  std::optional<std::uint64_t> admit(double now_ms);
  std::uint64_t left_out() const { return left_out_; }

 private:
  double interval_ms_;
  std::optional<double> last_written_ms_;
  std::uint64_t left_out_ = 0;
};

}  // namespace videochat::local
