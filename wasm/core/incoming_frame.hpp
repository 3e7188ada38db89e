// One frame the client receives on its WebSocket, as the client acts on it: a notice from the
// signaling server (protocol/server_frames.hpp) or a call message another member relayed
// (protocol/peer_messages.hpp). docs/protocol.md lists every frame.
#pragma once

#include <string_view>
#include <variant>

#include "parse_result.hpp"
#include "peer_messages.hpp"
#include "server_frames.hpp"

namespace videochat::client {

// The protocol's names the client uses as its own.
using protocol::Answer;
using protocol::Candidate;
using protocol::ErrorCode;
using protocol::ErrorFrame;
using protocol::IceCandidate;
using protocol::Joined;
using protocol::NewParticipant;
using protocol::Offer;
using protocol::Parsed;
using protocol::ParseError;
using protocol::ParseProblem;
using protocol::Participant;
using protocol::ParticipantLeft;
using protocol::ParticipantResumed;
using protocol::ParticipantUpdated;
using protocol::Pong;
using protocol::RoomLocked;
using protocol::SdpType;
using protocol::SignalBody;
using protocol::SignalMessage;

using IncomingFrame = std::variant<Joined, NewParticipant, ParticipantResumed, ParticipantUpdated,
                                   ParticipantLeft, RoomLocked, ErrorFrame, Pong, SignalMessage>;

// Never throws. A relayed message is read as a call message (an unknown "type" is
// ParseProblem::UnknownType, ignored rather than an error).
Parsed<IncomingFrame> parse_incoming_frame(std::string_view text);

}  // namespace videochat::client
