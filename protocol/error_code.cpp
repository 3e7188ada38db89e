#include "error_code.hpp"

#include <algorithm>

namespace videochat::protocol {

namespace {

constexpr bool listed_in_enum_order() {
  for (std::size_t i = 0; i < kErrorCodes.size(); ++i) {
    if (static_cast<std::size_t>(kErrorCodes[i].code) != i) return false;
  }
  return true;
}
static_assert(listed_in_enum_order(), "kErrorCodes must list every ErrorCode, in enum order");

const ErrorCodeInfo& info(ErrorCode code) { return kErrorCodes[static_cast<std::size_t>(code)]; }

}  // namespace

std::string_view to_string(ErrorCode code) { return info(code).wire; }

int http_status(ErrorCode code) { return info(code).status; }

std::optional<ErrorCode> parse_error_code(std::string_view wire) {
  auto found = std::find_if(kErrorCodes.begin(), kErrorCodes.end(),
                            [&](const ErrorCodeInfo& entry) { return entry.wire == wire; });
  if (found == kErrorCodes.end()) return std::nullopt;
  return found->code;
}

}  // namespace videochat::protocol
