// The frames the signaling server sends to a client, as typed values, with the one writer (used by
// the handlers) and the one parser (used by the client). docs/protocol.md shows them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "error_code.hpp"
#include "identifiers.hpp"
#include "parse_result.hpp"
#include "participant.hpp"

namespace videochat::protocol {

// To the joiner after every successful joinRoom: who it is, and who else is in the room.
// A STUN or TURN server for the joiner's peer connections, as RTCIceServer has it. Our server
// sends one with a short-lived TURN credential (lambdas/turn_credentials.hpp) when it has a relay.
struct IceServer {
  std::vector<std::string> urls;
  std::string username;
  std::string credential;

  friend bool operator==(const IceServer&, const IceServer&) = default;
};

struct Joined {
  RoomId room;
  ConnectionId connection;               // the joiner's own
  std::optional<std::uint32_t> capacity;  // members the room admits (our server always says)
  ParticipantProfile profile;            // the joiner's own
  std::optional<std::string> resume_token;  // only for a joiner with a peerId
  std::vector<Participant> participants;    // the others, in join order
  std::vector<IceServer> ice_servers;       // the relay, with credentials minted for this join
  std::optional<std::uint32_t> ice_servers_ttl;  // seconds the credentials make allocations for
  bool locked = false;        // a member locked the room (written only when true)
  bool has_passcode = false;  // the room asks joiners for a passcode (written only when true)

  friend bool operator==(const Joined&, const Joined&) = default;
};

// To the others when someone joins (the tutorial's frame, plus the profile when there is one).
struct NewParticipant {
  Participant participant;

  friend bool operator==(const NewParticipant&, const NewParticipant&) = default;
};

// To the others when a member came back on a new connection and took its old one's place.
struct ParticipantResumed {
  ConnectionId previous;
  Participant participant;

  friend bool operator==(const ParticipantResumed&, const ParticipantResumed&) = default;
};

// To the others when a member joined its room again with another profile (a new name): the
// tutorial's clients ignore it, as they ignore every type they do not know.
struct ParticipantUpdated {
  Participant participant;

  friend bool operator==(const ParticipantUpdated&, const ParticipantUpdated&) = default;
};

struct ParticipantLeft {
  ConnectionId participant;
  LeaveReason reason;

  friend bool operator==(const ParticipantLeft&, const ParticipantLeft&) = default;
};

// To every member, the one who asked included, when a member locked or unlocked the room.
struct RoomLocked {
  RoomId room;
  bool locked = true;
  ConnectionId by;

  friend bool operator==(const RoomLocked&, const RoomLocked&) = default;
};

// The server refused one of the client's requests; `message` is a sentence for the person.
struct ErrorFrame {
  ErrorCode code;
  std::string message;
  // The code as sent when this build does not know it (a newer server's); `code` is then
  // InternalError, so the client still tells the person.
  std::optional<std::string> unknown_code;

  friend bool operator==(const ErrorFrame&, const ErrorFrame&) = default;
};

// The answer to a ping.
struct Pong {
  friend bool operator==(const Pong&, const Pong&) = default;
};

// A message another member sent with sendMsgToRoom: a JSON object the server does not interpret
// (its "from" and "fromPeer", when present, are the server's). The client's peer layer reads it.
struct Relayed {
  nlohmann::json message;

  friend bool operator==(const Relayed&, const Relayed&) = default;
};

using ServerFrame = std::variant<Joined, NewParticipant, ParticipantResumed, ParticipantUpdated,
                                 ParticipantLeft, RoomLocked, ErrorFrame, Pong, Relayed>;

// One line of JSON, "type" first, absent fields left out: the tutorial's newParticipant is byte
// for byte the tutorial's.
std::string to_text(const ServerFrame& frame);

// Never throws. A frame with "from" is always Relayed, whatever its "type": only the server writes
// "from", so a member cannot pass off a message as the server's (an error that ejects everyone, a
// forged participantResumed). An object with a "type" the protocol does not define is Relayed too
// (the tutorial's server relays messages without "from"). A participantLeft without a known
// "reason" reads as Disconnected, which keeps a call whose media still flows.
Parsed<ServerFrame> parse_server_frame(std::string_view text);

}  // namespace videochat::protocol
