// One frame the client receives on its WebSocket, validated into a typed value: a notice from the
// signaling server (joined, newParticipant, participantResumed, participantLeft, error, pong) or a
// message another member relayed. docs/protocol.md lists every frame.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "parse_result.hpp"
#include "signal_messages.hpp"
#include "wire_protocol.hpp"

namespace videochat::client {

// Another member of the room. Members of the tutorial's format have no peerId and no name.
struct Participant {
  protocol::ConnectionId connection_id;
  std::optional<std::string> peer_id;
  std::optional<std::string> name;
  friend bool operator==(const Participant&, const Participant&) = default;
};

// The server's answer to our joinRoom: who we are to it and who is already there.
struct Joined {
  protocol::RoomId room;
  protocol::ConnectionId own_connection_id;
  std::optional<std::string> resume_token;
  std::vector<Participant> participants;
  friend bool operator==(const Joined&, const Joined&) = default;
};

struct NewParticipant {
  Participant participant;
  friend bool operator==(const NewParticipant&, const NewParticipant&) = default;
};

// A member came back on a new connection and took its old one's place.
struct ParticipantResumed {
  protocol::ConnectionId previous_connection_id;
  Participant participant;
  friend bool operator==(const ParticipantResumed&, const ParticipantResumed&) = default;
};

// The answer to our keep-alive ping.
struct Pong {
  friend bool operator==(const Pong&, const Pong&) = default;
};

struct ParticipantLeft {
  protocol::ConnectionId participant;
  protocol::LeaveReason reason;
  friend bool operator==(const ParticipantLeft&, const ParticipantLeft&) = default;
};

// The server refused one of our requests. `code` is the server's text (e.g. "NOT_IN_ROOM"), kept
// as sent so that a code this client does not know still reaches the person.
struct ServerError {
  std::string code;
  std::string message;
  friend bool operator==(const ServerError&, const ServerError&) = default;
};

using IncomingFrame = std::variant<Joined, NewParticipant, ParticipantResumed, ParticipantLeft,
                                   ServerError, Pong, SignalMessage>;

// Never throws. A participantLeft without a known "reason" reads as Disconnected: that keeps a
// call whose media still flows, where reading it as Left would cut it.
Parsed<IncomingFrame> parse_incoming_frame(std::string_view text);

}  // namespace videochat::client
