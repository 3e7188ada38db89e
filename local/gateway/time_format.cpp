#include "time_format.hpp"

#include <cstdio>
#include <ctime>

namespace videochat::local {

std::string iso8601_utc_ms(std::int64_t epoch_ms) {
  // Floor division, so instants before 1970 keep a millisecond part in 0..999.
  std::int64_t seconds = epoch_ms / 1000;
  std::int64_t millis = epoch_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  std::time_t as_time = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&as_time, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return text;
}

}  // namespace videochat::local
