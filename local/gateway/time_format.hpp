// Timestamps as the management API writes them: ISO 8601 in UTC with milliseconds.
#pragma once

#include <cstdint>
#include <string>

namespace videochat::local {

// 1738547193523 -> "2025-02-03T01:46:33.523Z"
std::string iso8601_utc_ms(std::int64_t epoch_ms);

}  // namespace videochat::local
