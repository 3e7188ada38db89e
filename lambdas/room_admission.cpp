#include "room_admission.hpp"

#include <algorithm>
#include <optional>

#include "passcode_hash.hpp"

namespace videochat::lambdas {

namespace {

using protocol::ErrorCode;

std::string seconds_text(std::int64_t seconds) {
  return std::to_string(seconds) + (seconds == 1 ? " second" : " seconds");
}

}  // namespace

std::variant<Admission, AdmissionRefusal> admit(const protocol::JoinRoom& request,
                                                const RoomGate& gate, const ResumeClaim& claim,
                                                const ConnectionId& joiner,
                                                std::string_view source_address, RoomStore& store,
                                                Logger& log, std::int64_t now) {
  Admission admission;
  admission.passes_lock = claim.presented.has_value();
  const std::string& room = request.room.value;
  if (!gate.occupied || !gate.passcode) {
    // An open room: a passcode the joiner brought becomes the room's if it is the first member
    // (hashed only then: joining an occupied open room costs nothing).
    if (!gate.occupied && request.passcode) admission.first_passcode = hash_passcode(*request.passcode);
    return admission;
  }
  if (!request.passcode) {
    return AdmissionRefusal{ErrorCode::PasscodeRequired,
                            "room '" + room + "' has a passcode; ask someone in it for it"};
  }
  // Counted by connection and by address: a guesser gains nothing from new connections, and
  // cannot lock the room's members out (they have addresses of their own).
  std::vector<std::string> keys = {connection_attempt_key(joiner)};
  if (auto address = address_attempt_key(source_address); !address.empty()) keys.push_back(address);
  std::int64_t wait = 0;
  for (const auto& key : keys) {
    wait = std::max(wait, passcode_wait_seconds(store.passcode_failures(key, now), now));
  }
  auto line = [&](std::string_view outcome, std::uint32_t failures) {
    log.write({{"event", "passcode_refused"},
               {"connectionId", joiner.value},
               {"roomId", room},
               {"sourceIp", std::string(source_address)},
               {"outcome", outcome},
               {"failures", failures}});
  };
  if (wait > 0) {
    line("waiting", 0);
    return AdmissionRefusal{ErrorCode::TooManyAttempts,
                            "too many wrong passcodes; try again in " + seconds_text(wait)};
  }
  if (!passcode_matches(*request.passcode, *gate.passcode)) {
    std::uint32_t failures = 0;
    for (const auto& key : keys) {
      failures = std::max(failures, store.record_passcode_failure(key, now).failures);
    }
    line("wrong", failures);
    std::string message = "that is not the passcode of room '" + room + "'";
    if (failures >= kFreePasscodeAttempts) {
      message += "; the next try must wait " +
                 seconds_text(passcode_wait_seconds({failures, now}, now));
    }
    return AdmissionRefusal{ErrorCode::WrongPasscode, std::move(message)};
  }
  admission.checked_passcode = gate.passcode;
  // Should the room empty before the store writes, the joiner opens it with the same passcode.
  admission.first_passcode = gate.passcode;
  return admission;
}

}  // namespace videochat::lambdas
