// Wall-clock time as the protocol and AWS count it: milliseconds (or seconds) since the Unix epoch.
#pragma once

#include <chrono>
#include <cstdint>

namespace videochat {

inline std::int64_t epoch_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline std::int64_t epoch_seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace videochat
