// The errors the signaling server sends back: one table holds each code's wire name, the HTTP
// status the route answers with, and what it means, so the server, the client and the docs agree.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace videochat::protocol {

enum class ErrorCode {
  BadJson,           // the frame is not JSON
  BadRequest,        // a field is missing or wrongly typed, or the room id is invalid
  UnknownAction,     // no route for this action (the $default route)
  NotInRoom,         // the sender is not a member of the room it addressed
  RoomFull,          // joinRoom refused: the room has its maximum number of participants
  MessageTooLarge,   // the relayed message exceeds the relay limit
  PeerIdInUse,       // joinRoom refused: another member has this peerId, and no valid resumeToken
  UnknownRecipient,  // sendMsgToRoom's `to` names no other member of the room
  InternalError,     // the server could not complete the request; retrying may help
  RateLimited,       // the connection sends faster than the server allows: the message was dropped
  NameNotAllowed,    // joinRoom refused: the display name could disguise itself (the message says
                     // which character)
  PasscodeRequired,  // joinRoom refused: the room has a passcode and the frame carried none
  WrongPasscode,     // joinRoom refused: the passcode is not the room's (the attempt was counted)
  RoomLocked,        // joinRoom refused: a member locked the room; only its members may return
  TooManyAttempts,   // joinRoom refused: too many wrong passcodes from this connection or address;
                     // the message says when to try again
};

struct ErrorCodeInfo {
  ErrorCode code;
  std::string_view wire;  // the frame's "code"
  // The status the handler returns (API Gateway sends it to nobody on a message route, but logs
  // and tests read it). A full room or a peerId in use is 409: the request conflicts with the
  // room's state and may succeed once it changes; a `to` naming nobody is 404. A locked room is
  // 423 (Locked); a missing passcode 401, a wrong one 403.
  int status;
};

inline constexpr std::array<ErrorCodeInfo, 15> kErrorCodes = {{
    {ErrorCode::BadJson, "BAD_JSON", 400},
    {ErrorCode::BadRequest, "BAD_REQUEST", 400},
    {ErrorCode::UnknownAction, "UNKNOWN_ACTION", 400},
    {ErrorCode::NotInRoom, "NOT_IN_ROOM", 400},
    {ErrorCode::RoomFull, "ROOM_FULL", 409},
    {ErrorCode::MessageTooLarge, "MESSAGE_TOO_LARGE", 400},
    {ErrorCode::PeerIdInUse, "PEER_ID_IN_USE", 409},
    {ErrorCode::UnknownRecipient, "UNKNOWN_RECIPIENT", 404},
    {ErrorCode::InternalError, "INTERNAL_ERROR", 500},
    {ErrorCode::RateLimited, "RATE_LIMITED", 429},
    {ErrorCode::NameNotAllowed, "NAME_NOT_ALLOWED", 400},
    {ErrorCode::PasscodeRequired, "PASSCODE_REQUIRED", 401},
    {ErrorCode::WrongPasscode, "WRONG_PASSCODE", 403},
    {ErrorCode::RoomLocked, "ROOM_LOCKED", 423},
    {ErrorCode::TooManyAttempts, "TOO_MANY_ATTEMPTS", 429},
}};

std::string_view to_string(ErrorCode code);
int http_status(ErrorCode code);
// Nothing for a code this build does not know (a newer server's).
std::optional<ErrorCode> parse_error_code(std::string_view wire);

}  // namespace videochat::protocol
