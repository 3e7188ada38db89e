#include "passcode_attempts.hpp"

#include <algorithm>
#include <arpa/inet.h>

#include <array>

namespace videochat::lambdas {

AttemptRecord current(const AttemptRecord& record, std::int64_t now) {
  if (record.failures == 0 || now - record.last_failure_at >= kPasscodeFailureMemory) return {};
  return record;
}

std::int64_t passcode_wait_seconds(const AttemptRecord& record, std::int64_t now) {
  const AttemptRecord live = current(record, now);
  if (live.failures < kFreePasscodeAttempts) return 0;
  const std::uint32_t doublings = std::min<std::uint32_t>(live.failures - kFreePasscodeAttempts, 16);
  const std::int64_t wait = std::min<std::int64_t>(std::int64_t{1} << doublings,
                                                   kMaxPasscodeWaitSeconds);
  return std::max<std::int64_t>(0, live.last_failure_at + wait - now);
}

AttemptRecord with_failure(const AttemptRecord& record, std::int64_t now) {
  AttemptRecord next = current(record, now);
  ++next.failures;
  next.last_failure_at = now;
  return next;
}

std::string connection_attempt_key(const protocol::ConnectionId& connection) {
  return "conn:" + connection.value;
}

std::string address_attempt_key(std::string_view source_address) {
  const std::string text(source_address);
  std::array<unsigned char, 16> bytes{};
  if (inet_pton(AF_INET, text.c_str(), bytes.data()) == 1) return "addr:" + text;
  if (inet_pton(AF_INET6, text.c_str(), bytes.data()) != 1) return {};
  constexpr std::array<unsigned char, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), bytes.begin())) {
    char v4[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, bytes.data() + 12, v4, sizeof v4);
    return std::string("addr:") + v4;
  }
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  char v6[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, bytes.data(), v6, sizeof v6);
  return std::string("addr:") + v6 + "/64";
}

}  // namespace videochat::lambdas
