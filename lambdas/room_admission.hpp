// Whether a joiner may enter a room with a passcode, before the store is asked: the passcode is
// checked against the room's hash, wrong ones are counted (passcode_attempts.hpp), and a first
// member's passcode is hashed for the room. The lock is the store's to check, atomically.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "client_frames.hpp"
#include "logger.hpp"
#include "room_store.hpp"

namespace videochat::lambdas {

struct AdmissionRefusal {
  protocol::ErrorCode code;
  std::string message;  // for the person
};

// `request.passcode` is in NFC. `gate` is what the room asked when the handler looked; the
// returned Admission carries it, so the store refuses the join if it changed meanwhile.
std::variant<Admission, AdmissionRefusal> admit(const protocol::JoinRoom& request,
                                                const RoomGate& gate, const ResumeClaim& claim,
                                                const ConnectionId& joiner,
                                                std::string_view source_address, RoomStore& store,
                                                Logger& log, std::int64_t now);

}  // namespace videochat::lambdas
