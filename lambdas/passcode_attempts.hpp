// How often a passcode may be guessed. Wrong passcodes are counted per connection and per source
// address (an IPv6 address by its /64, which one household or server usually holds whole): a few
// are free, then each costs a doubling wait. Never per room: a guesser could then lock the room's
// real members out by failing on purpose.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "identifiers.hpp"

namespace videochat::lambdas {

// Wrong passcodes counted under one key; forgotten kPasscodeFailureMemory seconds after the last.
struct AttemptRecord {
  std::uint32_t failures = 0;
  std::int64_t last_failure_at = 0;  // epoch seconds

  friend bool operator==(const AttemptRecord&, const AttemptRecord&) = default;
};

// Five mistypes cost nothing; the sixth waits 1 s, then 2, 4, ... up to 5 minutes a guess: a
// 4-digit passcode then takes a guesser from one address about a month.
inline constexpr std::uint32_t kFreePasscodeAttempts = 5;
inline constexpr std::int64_t kMaxPasscodeWaitSeconds = 300;
inline constexpr std::int64_t kPasscodeFailureMemory = 15 * 60;

// The record as it stands at `now`: an old one counts as none.
AttemptRecord current(const AttemptRecord& record, std::int64_t now);
// Seconds until another attempt is allowed; 0 when it is allowed now.
std::int64_t passcode_wait_seconds(const AttemptRecord& record, std::int64_t now);
// The record after one more failure at `now`.
AttemptRecord with_failure(const AttemptRecord& record, std::int64_t now);

// The keys failures are counted under.
std::string connection_attempt_key(const protocol::ConnectionId& connection);
// "addr:<IPv4>" or "addr:<first four groups of the IPv6 address>::/64"; IPv4-mapped IPv6
// addresses count as their IPv4 address. Empty when there is no address to count by.
std::string address_attempt_key(std::string_view source_address);

}  // namespace videochat::lambdas
