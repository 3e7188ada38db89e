// Where connections and room membership live. The handlers see only this interface: the local
// stack uses the in-memory store, AWS a DynamoDB table. Every call is atomic and safe to make from
// several threads (or Lambda instances) at once; implementations throw StoreError when the backing
// store cannot be reached, which the handlers turn into a 500 and an INTERNAL_ERROR to the client.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "identifiers.hpp"
#include "participant.hpp"
#include "passcode_attempts.hpp"

namespace videochat::lambdas {

using protocol::ConnectionId;
using protocol::Participant;
using protocol::ParticipantProfile;
using protocol::PeerId;
using protocol::RoomId;

struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Members a room admits unless configured otherwise, in every store. Six keeps a mesh call
// (n·(n-1) streams) within what browsers and home uplinks sustain.
inline constexpr std::size_t kDefaultRoomCapacity = 6;

// join_room refused: the room already holds as many members as a store allows. Nothing changed
// (the joiner is still in its previous room, if any). A StoreError so that a handler that does
// not know about capacity still answers instead of crashing.
struct RoomFullError : StoreError {
  RoomFullError(RoomId full_room, std::size_t room_capacity)
      : StoreError("room '" + full_room.value + "' is full: it admits " +
                   std::to_string(room_capacity) + " members"),
        room(std::move(full_room)),
        capacity(room_capacity) {}

  RoomId room;
  std::size_t capacity;
};

// join_room refused: another live member of the room has the joiner's peerId, and the joiner may
// not replace it. Nothing changed. A StoreError for the same reason as RoomFullError.
struct PeerIdInUseError : StoreError {
  PeerIdInUseError(RoomId in_room, PeerId peer, ConnectionId holder_connection)
      : StoreError("peerId " + peer.value + " is in use in room '" + in_room.value + "' by " +
                   holder_connection.value),
        room(std::move(in_room)),
        peer_id(std::move(peer)),
        holder(std::move(holder_connection)) {}

  RoomId room;
  PeerId peer_id;
  ConnectionId holder;
};

// join_room refused: a member locked the room, and the joiner is neither a member nor coming back
// with a valid resume token. Nothing changed.
struct RoomLockedError : StoreError {
  explicit RoomLockedError(RoomId locked_room)
      : StoreError("room '" + locked_room.value + "' is locked"), room(std::move(locked_room)) {}

  RoomId room;
};

// join_room refused: the room's passcode is not the one the joiner was checked against (the room
// emptied and someone else set another meanwhile). Nothing changed; the handler checks again.
struct GateChangedError : StoreError {
  explicit GateChangedError(const RoomId& room)
      : StoreError("room '" + room.value + "' changed its passcode during the join") {}
};

// What a room asks of joiners while anyone is in it. It dies with the room: once the last member
// is gone, the next joiner sets it anew.
struct RoomGate {
  bool occupied = false;                // someone is in the room, so the rest holds
  std::optional<std::string> passcode;  // the passcode's hash record (passcode_hash.hpp)
  bool locked = false;

  friend bool operator==(const RoomGate&, const RoomGate&) = default;
};

// What the handler found out about a joiner before asking the store to let it in.
struct Admission {
  // The room's passcode record the joiner's passcode was checked against; none when the room had
  // no passcode (or no members). The store refuses the join with GateChangedError when the
  // room's record is another.
  std::optional<std::string> checked_passcode;
  // The room's record from now on, should the joiner turn out to be its first member.
  std::optional<std::string> first_passcode;
  // A member coming back with a valid resume token: a locked room still admits it.
  bool passes_lock = false;
};

// What a joiner brings to a room, for the case that another live member holds its peerId, and
// the resume nonce it is given (resume_token.hpp says what a token proves).
struct ResumeClaim {
  // The nonce of the joiner's valid resume token, if it presented one: the joiner may take the
  // place of the member holding its peerId when that member's current or previous nonce is this
  // one. Otherwise such a joiner is refused (PeerIdInUseError).
  std::optional<std::string> presented;
  // Recorded as the joiner's current nonce (its new token carries it). A joiner that took a
  // member's place keeps the nonce it presented as its previous one: until the new token has been
  // used, the old one still works, so a `joined` lost on the way strands nobody.
  std::string issued;

  // Whether the claim may replace a holder with these nonces.
  bool names(const std::string& nonce, const std::optional<std::string>& previous) const {
    return presented && !presented->empty() && (*presented == nonce || presented == previous);
  }
};

// A room as one connection left it: who is still there to be told.
struct Departure {
  RoomId room;
  std::vector<ConnectionId> remaining_members;
};

struct JoinOutcome {
  // Joining the room one is in again: still a member (the profile is the one just given).
  bool already_member = false;
  // ... with another profile than before (a new name): the others are told.
  bool profile_changed = false;
  std::optional<Departure> left;           // the previous room, when joining moved rooms
  std::vector<Participant> other_members;  // members of the joined room besides the joiner, in
                                           // join order, with their profiles
  // The member whose place the joiner took (a ResumeClaim that matched); it is in no room any
  // more, so its later disconnect concerns nobody.
  std::optional<ConnectionId> replaced;
  std::size_t capacity = 0;  // members the room admits
  RoomGate gate;             // the room's, after the join
};

// The per-message read: everything relaying one message needs, from one read of the room.
struct RelayTargets {
  ParticipantProfile sender;         // for the relayed message's fromPeer
  std::vector<ConnectionId> others;  // every other member, in join order
};

class RoomStore {
 public:
  virtual ~RoomStore() = default;

  virtual void add_connection(const ConnectionId& connection, std::int64_t connected_at_ms) = 0;
  // A connection is in one room at a time: joining a room leaves the previous one. Two members of
  // a room never share a peerId: a joiner whose peerId a live member has takes that member's
  // place when `claim` names that member's nonce, and is refused (PeerIdInUseError) otherwise; the
  // capacity check (RoomFullError) does not apply to a replacement, which leaves the count
  // unchanged. The joiner's nonces are recorded as `claim` says, also when joining its own room
  // again. The room's gate is checked as `admission` says (GateChangedError, RoomLockedError;
  // a member joining its room again passes a lock), and a first member sets it.
  virtual JoinOutcome join_room(const ConnectionId& connection, const RoomId& room,
                                const ParticipantProfile& profile, const ResumeClaim& claim,
                                const Admission& admission) = 0;
  // The same into a room with no passcode.
  JoinOutcome join_room(const ConnectionId& connection, const RoomId& room,
                        const ParticipantProfile& profile, const ResumeClaim& claim) {
    return join_room(connection, room, profile, claim, Admission{});
  }
  // What the room asks of joiners now (a consistent read).
  virtual RoomGate read_room_gate(const RoomId& room) = 0;
  // A member locks or unlocks its room: every member (`member` included) to be told, or nothing
  // when `member` is not in `room`.
  virtual std::optional<std::vector<ConnectionId>> set_room_lock(const RoomId& room,
                                                                 const ConnectionId& member,
                                                                 bool locked) = 0;
  // Wrong passcodes counted under `key` (passcode_attempts.hpp), and one more counted.
  virtual AttemptRecord passcode_failures(const std::string& key, std::int64_t now) = 0;
  virtual AttemptRecord record_passcode_failure(const std::string& key, std::int64_t now) = 0;
  virtual std::optional<Departure> leave_room(const ConnectionId& connection) = 0;
  // Forgets the connection; returns the room it was in, if any (none for a member that was
  // replaced by a resume: it had left its room then).
  virtual std::optional<Departure> remove_connection(const ConnectionId& connection) = 0;
  // Forgets `member`, which API Gateway says is gone, as a member of `room` holding `peer`: also
  // when its connection item is already gone, which a $disconnect cut short leaves behind (stores
  // that change both at once need nothing more than remove_connection).
  virtual std::optional<Departure> evict(const ConnectionId& member, const RoomId& room,
                                         const std::optional<PeerId>& peer) {
    (void)room;
    (void)peer;
    return remove_connection(member);
  }
  // The per-message read: the sender's profile and the members of `room` other than `sender`
  // into `out`, or false when the sender is not a member of that room. `out` is overwritten,
  // reusing its storage: a relay path that keeps one allocates nothing for it once warm.
  virtual bool read_relay_targets(const RoomId& room, const ConnectionId& sender,
                                  RelayTargets& out) = 0;
  // The same, as a value.
  std::optional<RelayTargets> relay_targets(const RoomId& room, const ConnectionId& sender) {
    RelayTargets targets;
    if (!read_relay_targets(room, sender, targets)) return std::nullopt;
    return targets;
  }
};

}  // namespace videochat::lambdas
