// The frames a client sends to the signaling server, as typed values, with the one parser (used by
// the handlers, for the local server and Lambda alike) and the one writer (used by the client).
// API Gateway routes each frame by its "action" ($request.body.action); docs/protocol.md shows them.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "error_code.hpp"
#include "identifiers.hpp"
#include "participant.hpp"

namespace videochat::protocol {

enum class Action { JoinRoom, SendMsgToRoom, LeaveRoom, Ping, LockRoom };
inline constexpr std::array<Action, 5> kActions = {Action::JoinRoom, Action::SendMsgToRoom,
                                                   Action::LeaveRoom, Action::Ping,
                                                   Action::LockRoom};
// The action's wire name, which is also its API Gateway route key: "joinRoom", ...
inline constexpr std::array<std::string_view, 5> kActionNames = {
    "joinRoom", "sendMsgToRoom", "leaveRoom", "ping", "lockRoom"};
constexpr std::string_view to_string(Action action) {
  return kActionNames[static_cast<std::size_t>(action)];
}
std::optional<Action> parse_action(std::string_view wire);

// Enters a room (the tutorial's frame is {"action":"joinRoom","roomId":"123"}). The profile and
// the resume token are protocol v2: a returning page presents the token of its last `joined` to
// take its old connection's place. The passcode sets the room's when the joiner is its first
// member, and must match it otherwise (a room without one ignores it).
struct JoinRoom {
  RoomId room;
  ParticipantProfile profile;
  std::optional<std::string> resume_token;  // only with a peerId
  std::optional<std::string> passcode;

  friend bool operator==(const JoinRoom&, const JoinRoom&) = default;
};

// `message` goes to the member `to` names, or to every other member of the room without it.
struct SendMsgToRoom {
  RoomId room;
  std::string message;
  std::optional<ConnectionId> to;

  friend bool operator==(const SendMsgToRoom&, const SendMsgToRoom&) = default;
};

// Leaves the room the connection is in; `room`, when given, must be that room.
struct LeaveRoom {
  std::optional<RoomId> room;

  friend bool operator==(const LeaveRoom&, const LeaveRoom&) = default;
};

// Keeps a quiet connection alive: API Gateway closes connections that send nothing for 10 minutes,
// which would otherwise cut the signaling of a call in progress. Answered with `pong`.
struct Ping {
  friend bool operator==(const Ping&, const Ping&) = default;
};

// A member locks its room (no one new may join; members who lost their connection still come back
// with their resume token) or unlocks it. Everyone in the room is told (`roomLocked`).
struct LockRoom {
  RoomId room;
  bool locked = true;

  friend bool operator==(const LockRoom&, const LockRoom&) = default;
};

// In the order of `Action`.
using ClientFrame = std::variant<JoinRoom, SendMsgToRoom, LeaveRoom, Ping, LockRoom>;
Action action_of(const ClientFrame& frame);

// Why a client's frame was refused: what the server answers with (an `error` frame), and the
// action the frame named when it named a known one (API Gateway routes by it even when the rest of
// the frame is wrong).
struct ClientFrameError {
  ErrorCode code;  // BadJson, BadRequest or UnknownAction
  std::string message;
  std::optional<Action> action;

  friend bool operator==(const ClientFrameError&, const ClientFrameError&) = default;
};

// Validates everything the protocol defines (ids, names, types, which fields go together) and
// ignores fields it does not know: tutorial clients and newer ones may send more. The size limit
// of a relayed message is the server's setting, checked by its handler. Never throws.
using ParsedClientFrame = std::variant<ClientFrame, ClientFrameError>;
ParsedClientFrame parse_client_frame(std::string_view text);
// The same, read into `frame` (on success; left unspecified on error): the strings `frame` already
// holds keep their capacity, so a server that reads frame after frame into one value allocates
// nothing for them once warm. Reads in place (json_reader.hpp): no document is built.
std::optional<ClientFrameError> parse_client_frame(std::string_view text, ClientFrame& frame);

// One line of JSON, fields in the tutorial's order, absent fields left out: a tutorial-format
// frame is byte for byte the tutorial's.
std::string to_text(const ClientFrame& frame);

}  // namespace videochat::protocol
