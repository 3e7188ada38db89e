// The signaling wire protocol: the one place where the client and the route handlers agree on
// message shapes, error codes and identifiers. Pure C++ (nlohmann/json only), so the WASM client,
// the Lambda handlers and the native tests all build the same definitions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace videochat::protocol {

// A typed string so that a room id can never be passed where a connection id is expected.
template <class Tag>
struct Id {
  std::string value;

  friend bool operator==(const Id&, const Id&) = default;
  friend auto operator<=>(const Id&, const Id&) = default;
};

struct ConnectionIdTag {};
struct RoomIdTag {};
using ConnectionId = Id<ConnectionIdTag>;
using RoomId = Id<RoomIdTag>;

// Client-to-server actions, selected by API Gateway's `$request.body.action`.
inline constexpr std::string_view kActionJoinRoom = "joinRoom";
inline constexpr std::string_view kActionSendMsgToRoom = "sendMsgToRoom";
inline constexpr std::string_view kActionLeaveRoom = "leaveRoom";
// Keeps a quiet connection alive: API Gateway closes connections that send nothing for 10 minutes,
// which would otherwise cut the signaling of a call in progress.
inline constexpr std::string_view kActionPing = "ping";

// Server-to-client message types.
inline constexpr std::string_view kTypeNewParticipant = "newParticipant";
inline constexpr std::string_view kTypeParticipantLeft = "participantLeft";
inline constexpr std::string_view kTypeError = "error";
inline constexpr std::string_view kTypePong = "pong";

// Room ids are 1 to 64 characters of A-Z a-z 0-9 _ -, so they are safe in URLs, logs and keys.
inline constexpr std::size_t kMaxRoomIdLength = 64;
bool is_valid_room_id(std::string_view candidate);
std::optional<RoomId> parse_room_id(std::string_view candidate);

// Why a participant is no longer in a room. `Disconnected` is not a decision to leave: the
// peer-to-peer call may well go on, only the peer's signaling is gone.
enum class LeaveReason { Left, Disconnected };
std::string_view to_string(LeaveReason reason);

enum class ErrorCode {
  BadJson,          // the frame is not JSON
  BadRequest,       // a field is missing or wrongly typed, or the room id is invalid
  UnknownAction,    // no route for this action (the $default route)
  NotInRoom,        // the sender is not a member of the room it addressed
  RoomFull,         // joinRoom refused: the room has its maximum number of participants
  MessageTooLarge,  // the relayed message exceeds the relay limit
  InternalError,    // the server could not complete the request; retrying may help
};
std::string_view to_string(ErrorCode code);

// Serializers for everything the server sends. Each returns the exact text of one frame.
std::string new_participant_message(const ConnectionId& newcomer);
std::string participant_left_message(const ConnectionId& leaver, LeaveReason reason);
std::string error_message(ErrorCode code, std::string_view human_message);
std::string pong_message();

}  // namespace videochat::protocol
