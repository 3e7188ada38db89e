// A member of a room as the protocol describes it, and why a member is no longer there.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "identifiers.hpp"

namespace videochat::protocol {

// What a participant says about itself when joining; both parts are optional (a tutorial-format
// join has neither).
struct ParticipantProfile {
  std::optional<PeerId> peer_id;
  std::optional<std::string> name;

  friend bool operator==(const ParticipantProfile&, const ParticipantProfile&) = default;
};

// A member of a room as the others see it.
struct Participant {
  ConnectionId connection;
  ParticipantProfile profile;

  friend bool operator==(const Participant&, const Participant&) = default;
};

// Why a participant is no longer in a room. `Disconnected` is not a decision to leave: the
// peer-to-peer call may well go on, only the peer's signaling is gone.
enum class LeaveReason { Left, Disconnected };
std::string_view to_string(LeaveReason reason);

}  // namespace videochat::protocol
