// The signaling wire protocol: the one place where the client and the route handlers agree on
// message shapes, error codes and identifiers. Pure C++ (nlohmann/json only), so the WASM client,
// the Lambda handlers and the native tests all build the same definitions.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
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
struct PeerIdTag {};
using ConnectionId = Id<ConnectionIdTag>;
using RoomId = Id<RoomIdTag>;
// A page's own random id, kept across reconnects (a connection id changes with every socket), so
// that a returning participant can be recognised and its old connection replaced.
using PeerId = Id<PeerIdTag>;

// Client-to-server actions, selected by API Gateway's `$request.body.action`.
inline constexpr std::string_view kActionJoinRoom = "joinRoom";
inline constexpr std::string_view kActionSendMsgToRoom = "sendMsgToRoom";
inline constexpr std::string_view kActionLeaveRoom = "leaveRoom";
// Keeps a quiet connection alive: API Gateway closes connections that send nothing for 10 minutes,
// which would otherwise cut the signaling of a call in progress.
inline constexpr std::string_view kActionPing = "ping";

// Server-to-client message types.
inline constexpr std::string_view kTypeJoined = "joined";
inline constexpr std::string_view kTypeNewParticipant = "newParticipant";
inline constexpr std::string_view kTypeParticipantResumed = "participantResumed";
inline constexpr std::string_view kTypeParticipantLeft = "participantLeft";
inline constexpr std::string_view kTypeError = "error";
inline constexpr std::string_view kTypePong = "pong";

// Room ids are 1 to 64 characters of A-Z a-z 0-9 _ -, so they are safe in URLs, logs and keys.
inline constexpr std::size_t kMaxRoomIdLength = 64;
bool is_valid_room_id(std::string_view candidate);
std::optional<RoomId> parse_room_id(std::string_view candidate);

// Peer ids are exactly 32 lowercase hex characters: 128 random bits, written one way only, so two
// spellings of the same id cannot both claim a place in a room.
inline constexpr std::size_t kPeerIdLength = 32;
bool is_valid_peer_id(std::string_view candidate);
std::optional<PeerId> parse_peer_id(std::string_view candidate);

// Display names are 1 to 64 bytes of UTF-8 without control characters (U+0000-U+001F, U+007F):
// they are shown on other people's screens and written to logs.
inline constexpr std::size_t kMaxNameBytes = 64;
enum class NameProblem { Empty, TooLong, InvalidUtf8, ControlCharacter };
// Nothing when `candidate` is an acceptable name, else what is wrong with it.
std::optional<NameProblem> check_name(std::string_view candidate);
// A sentence for the person who chose the name, e.g. "name must be at most 64 bytes of UTF-8".
std::string_view describe(NameProblem problem);

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
};
std::string_view to_string(ErrorCode code);

// Serializers for everything the server sends. Each returns the exact text of one frame. Absent
// profile fields are omitted, so a tutorial-format join produces exactly the tutorial's frames.

// To the joiner after every successful joinRoom: who it is, and who else is in the room.
struct JoinedFrame {
  const RoomId& room;
  const ConnectionId& connection;                // the joiner's own
  std::size_t capacity;                          // members the room admits
  const ParticipantProfile& profile;             // the joiner's own
  std::optional<std::string_view> resume_token;  // only for a joiner with a peerId
  std::span<const Participant> participants;     // the others, in join order
};
std::string joined_message(const JoinedFrame& frame);
std::string new_participant_message(const ConnectionId& newcomer,
                                    const ParticipantProfile& profile = {});
// `current` took the place of `previous` (the same peerId, a new connection).
std::string participant_resumed_message(const ConnectionId& previous, const ConnectionId& current,
                                        const ParticipantProfile& profile);
std::string participant_left_message(const ConnectionId& leaver, LeaveReason reason);
std::string error_message(ErrorCode code, std::string_view human_message);
std::string pong_message();

}  // namespace videochat::protocol
