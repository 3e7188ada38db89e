// One frame the client receives on its WebSocket, validated into a typed value: a notice from the
// signaling server (newParticipant, participantLeft, error) or a message another member relayed.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "parse_result.hpp"
#include "signal_messages.hpp"
#include "wire_protocol.hpp"

namespace videochat::client {

struct NewParticipant {
  protocol::ConnectionId participant;
  friend bool operator==(const NewParticipant&, const NewParticipant&) = default;
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

using IncomingFrame = std::variant<NewParticipant, ParticipantLeft, ServerError, SignalMessage>;

// Never throws. A participantLeft without a known "reason" reads as Disconnected: that keeps a
// call whose media still flows, where reading it as Left would cut it.
Parsed<IncomingFrame> parse_incoming_frame(std::string_view text);

}  // namespace videochat::client
