#include "dynamodb_room_store.hpp"

#include <algorithm>

#include "dynamodb_room_requests.hpp"
#include "epoch_time.hpp"

namespace videochat::aws {

using lambdas::Departure;
using lambdas::JoinOutcome;
using nlohmann::json;

EpochClock system_epoch_clock() {
  return [] { return epoch_seconds_now(); };
}

// One store operation: its clock reading (every expiry in it is judged against the same instant)
// and the capacity its requests consumed, published as last_consumed() when it ends.
class DynamoDbRoomStore::Operation {
 public:
  explicit Operation(DynamoDbRoomStore& store) : store_(store), now_(store.clock_()) {}
  Operation(const Operation&) = delete;
  Operation& operator=(const Operation&) = delete;
  ~Operation() {
    std::lock_guard lock(store_.consumed_mutex_);
    store_.last_consumed_ = consumed_;
  }

  std::int64_t now() const { return now_; }
  std::int64_t expires_at() const { return now_ + store_.options_.item_lifetime.count(); }
  const std::string& table() const { return store_.table_; }

  // The answer's body, or nullopt when the request's condition failed. Other errors are thrown.
  std::optional<json> call_if(std::string_view name, const json& request, OperationKind kind) {
    auto outcome = store_.client_.try_call(name, request);
    if (auto* error = std::get_if<AwsError>(&outcome)) {
      if (error->type == "ConditionalCheckFailedException") return std::nullopt;
      throw DynamoDbError(std::string(name), std::move(*error), 1);
    }
    json& body = std::get<json>(outcome);
    consumed_ += consumed_capacity(body, kind);
    return std::move(body);
  }

  DynamoDbClient::Outcome try_call(std::string_view name, const json& request, OperationKind kind) {
    auto outcome = store_.client_.try_call(name, request);
    if (auto* body = std::get_if<json>(&outcome)) consumed_ += consumed_capacity(*body, kind);
    return outcome;
  }

  json call(std::string_view name, const json& request, OperationKind kind) {
    json body = store_.client_.call(name, request);
    consumed_ += consumed_capacity(body, kind);
    return body;
  }

 private:
  DynamoDbRoomStore& store_;
  std::int64_t now_;
  ConsumedCapacity consumed_;
};

namespace {

// An answer's attribute map ("Item" for GetItem, "Attributes" for the writes), or null.
json attributes(const json& answer, std::string_view name) {
  auto it = answer.find(name);
  return it == answer.end() ? json() : *it;
}

constexpr OperationKind kRead = OperationKind::Read;
constexpr OperationKind kWrite = OperationKind::Write;

// Add, create the maps, prune or replace: a join makes at most this many attempts before calling
// the room contended.
constexpr int kJoinAttempts = 5;

}  // namespace

DynamoDbRoomStore::DynamoDbRoomStore(DynamoDbClient& client, std::string table,
                                     DynamoDbRoomStoreOptions options, EpochClock clock)
    : client_(client), table_(std::move(table)), options_(options), clock_(std::move(clock)) {}

ConsumedCapacity DynamoDbRoomStore::last_consumed() const {
  std::lock_guard lock(consumed_mutex_);
  return last_consumed_;
}

void DynamoDbRoomStore::add_connection(const ConnectionId& connection,
                                       std::int64_t connected_at_ms) {
  Operation operation(*this);
  operation.call(
      "UpdateItem",
      put_connection_request(table_, connection, connected_at_ms, operation.expires_at()), kWrite);
}

DynamoDbRoomStore::Added DynamoDbRoomStore::add_member(Operation& operation,
                                                       const ConnectionId& connection,
                                                       const RoomId& room,
                                                       const lambdas::ParticipantProfile& profile,
                                                       const lambdas::ResumeClaim& claim,
                                                       const lambdas::Admission& admission) {
  const std::int64_t now = operation.now();
  const std::int64_t expires_at = operation.expires_at();
  auto ensure_maps = [&] {
    operation.call("UpdateItem", ensure_room_maps_request(table_, room, expires_at), kWrite);
  };
  // A joiner with a passcode for a room that looked empty tries to open it first.
  bool opening = admission.first_passcode.has_value() && !admission.checked_passcode;
  for (int attempt = 0; attempt < kJoinAttempts; ++attempt) {
    auto added = operation.try_call(
        "UpdateItem",
        opening ? first_member_request(table_, room, connection, profile, claim.issued,
                                       expires_at, admission.first_passcode)
                : add_member_request(table_, room, connection, profile, claim.issued, expires_at,
                                     options_.room_capacity, admission),
        kWrite);
    if (auto* answer = std::get_if<json>(&added)) {
      json before = attributes(*answer, "Attributes");
      lambdas::RoomGate gate{true, admission.first_passcode, false};
      if (!opening) {
        gate = parse_room_gate(before, now);
        gate.occupied = true;
      }
      return {std::move(before), {}, std::move(gate)};
    }

    const AwsError& error = std::get<AwsError>(added);
    if (is_missing_map_error(error)) {
      ensure_maps();
      continue;
    }
    if (error.type != "ConditionalCheckFailedException") {
      throw DynamoDbError("UpdateItem", error, 1);
    }

    // A condition failed: the room is full, the peerId is taken, or stale entries are in the way.
    // The item says which.
    json item =
        attributes(operation.call("GetItem", get_room_request(table_, room), kRead), "Item");
    if (!has_members_map(item) || (profile.peer_id && !has_peers_map(item))) {
      // A service that checks the condition before the path: the room lacks a map.
      ensure_maps();
      continue;
    }
    std::vector<Member> members = parse_members(item);
    std::vector<PeerEntry> peers = parse_peers(item);
    const lambdas::RoomGate gate = parse_room_gate(item, now);
    opening = false;
    if (gate.occupied) {
      if (gate.passcode != admission.checked_passcode) throw lambdas::GateChangedError(room);
      if (gate.locked && !admission.passes_lock && !is_live_member(members, connection, now)) {
        throw lambdas::RoomLockedError(room);
      }
    }

    // The peerId first: a resumer gets in even when the room is full.
    if (profile.peer_id) {
      auto holder = std::find_if(members.begin(), members.end(), [&](const Member& member) {
        return member.id != connection && member.profile.peer_id == profile.peer_id &&
               is_live(member.expires_at, now);
      });
      if (holder != members.end()) {
        if (!claim.names(holder->nonce, holder->previous_nonce))
          throw lambdas::PeerIdInUseError(room, *profile.peer_id, holder->id);
        auto replaced = operation.call_if("UpdateItem",
                                          replace_member_request(table_, room, connection, profile,
                                                                 holder->id, claim, expires_at),
                                          kWrite);
        if (replaced) {
          json before = attributes(*replaced, "Attributes");
          lambdas::RoomGate after = parse_room_gate(before, now);
          after.occupied = true;
          return {std::move(before), holder->id, std::move(after)};
        }
        continue;  // the room changed meanwhile: look again
      }
    }

    std::vector<Member> expired;
    std::size_t live = 0;
    for (const auto& member : members) {
      if (!is_live(member.expires_at, now)) {
        expired.push_back(member);
      } else if (member.id != connection) {
        ++live;
      }
    }
    if (live >= options_.room_capacity && !is_live_member(members, connection, now)) {
      throw lambdas::RoomFullError(room, options_.room_capacity);
    }
    std::vector<PeerEntry> stale = stale_peer_entries(peers, members, now);
    if (!expired.empty() || !stale.empty()) {
      // Conditional on what was read: an entry refreshed or taken over meanwhile stays. If the
      // condition fails, someone else changed the room; the retry sees what they did.
      operation.call_if("UpdateItem", prune_members_request(table_, room, expired, stale), kWrite);
    }
    // Nobody is in the room: whatever gate it still carries died with its last member, and the
    // joiner opens it with its own.
    opening = !gate.occupied;
  }
  throw DynamoDbError("UpdateItem",
                      {0, "RoomContended",
                       "room '" + room.value + "' changed under " + std::to_string(kJoinAttempts) +
                           " join attempts in a row"},
                      kJoinAttempts);
}

std::optional<Departure> DynamoDbRoomStore::remove_member(Operation& operation,
                                                          const ConnectionId& connection,
                                                          const ConnectionPlace& place) {
  auto remove = [&](const std::optional<lambdas::PeerId>& peer) -> std::optional<json> {
    auto outcome = operation.try_call(
        "UpdateItem", remove_member_request(table_, place.room, connection, peer), kWrite);
    if (auto* body = std::get_if<json>(&outcome)) return std::move(*body);
    const AwsError& error = std::get<AwsError>(outcome);
    if (error.type == "ConditionalCheckFailedException" || is_missing_map_error(error)) {
      return std::nullopt;
    }
    throw DynamoDbError("UpdateItem", error, 1);
  };
  auto before = remove(place.peer);
  // The index entry is not ours (a resumer holds the peerId now) or the room item is gone: remove
  // the member entry alone, if there is one.
  if (!before && place.peer) before = remove(std::nullopt);
  // No members map: the room item is gone (TTL), so no one is left to tell.
  if (!before) return Departure{place.room, {}};
  const json item = attributes(*before, "Attributes");
  auto members = parse_members(item);
  if (!find_member(members, connection)) return std::nullopt;
  Departure departure{place.room, live_members_except(members, connection, operation.now())};
  const lambdas::RoomGate gate = parse_room_gate(item, operation.now());
  if (departure.remaining_members.empty() && (gate.passcode || gate.locked)) {
    // The last one out: the room's passcode and lock die with it (conditional: a joiner may have
    // come in meanwhile, and its gate stays).
    operation.call_if("UpdateItem", close_gate_request(table_, place.room), kWrite);
  }
  return departure;
}

JoinOutcome DynamoDbRoomStore::join_room(const ConnectionId& connection, const RoomId& room,
                                         const lambdas::ParticipantProfile& profile,
                                         const lambdas::ResumeClaim& claim,
                                         const lambdas::Admission& admission) {
  Operation operation(*this);
  const std::int64_t now = operation.now();
  // Into the new room first: a full room (or a peerId in use) refuses before anything else
  // changed.
  Added added = add_member(operation, connection, room, profile, claim, admission);
  auto before = parse_members(added.before);

  JoinOutcome outcome;
  outcome.capacity = options_.room_capacity;
  outcome.gate = std::move(added.gate);
  outcome.other_members = live_participants_except(before, connection, now, added.replaced);
  outcome.replaced = std::move(added.replaced);
  // A member joining again with another peerId (or none) leaves its old index entry behind.
  if (const Member* self = find_member(before, connection);
      self && self->profile.peer_id && self->profile.peer_id != profile.peer_id) {
    PeerEntry old{*self->profile.peer_id, connection};
    operation.call_if("UpdateItem", prune_members_request(table_, room, {}, std::span(&old, 1)),
                      kWrite);
  }
  json previous_item = attributes(
      operation.call("UpdateItem",
                     set_connection_room_request(table_, connection, room, profile.peer_id,
                                                 operation.expires_at()),
                     kWrite),
      "Attributes");
  auto previous = parse_connection_place(previous_item, now);
  if (previous && previous->room == room) {
    outcome.already_member = is_live_member(before, connection, now);
    const Member* self = find_member(before, connection);
    outcome.profile_changed = outcome.already_member && self && !(self->profile == profile);
  } else if (previous) {
    outcome.left = remove_member(operation, connection, *previous);
  }
  return outcome;
}

std::optional<Departure> DynamoDbRoomStore::leave_room(const ConnectionId& connection) {
  Operation operation(*this);
  auto cleared = operation.call_if(
      "UpdateItem", clear_connection_room_request(table_, connection, operation.now()), kWrite);
  if (!cleared) return std::nullopt;  // in no room, or unknown
  auto place = parse_connection_place(attributes(*cleared, "Attributes"), operation.now());
  if (!place) return std::nullopt;
  return remove_member(operation, connection, *place);
}

std::optional<Departure> DynamoDbRoomStore::remove_connection(const ConnectionId& connection) {
  Operation operation(*this);
  json deleted = attributes(
      operation.call("DeleteItem", delete_connection_request(table_, connection), kWrite),
      "Attributes");
  auto place = parse_connection_place(deleted, operation.now());
  if (!place) return std::nullopt;
  return remove_member(operation, connection, *place);
}

std::optional<Departure> DynamoDbRoomStore::evict(const ConnectionId& member, const RoomId& room,
                                                  const std::optional<lambdas::PeerId>& peer) {
  Operation operation(*this);
  // The connection item may be gone already (its $disconnect deleted it, then failed before the
  // room): the room and peerId come from the caller, who found the member there.
  operation.call("DeleteItem", delete_connection_request(table_, member), kWrite);
  return remove_member(operation, member, ConnectionPlace{room, peer});
}

lambdas::RoomGate DynamoDbRoomStore::read_room_gate(const RoomId& room) {
  Operation operation(*this);
  json item = attributes(operation.call("GetItem", get_room_request(table_, room), kRead), "Item");
  return parse_room_gate(item, operation.now());
}

std::optional<std::vector<ConnectionId>> DynamoDbRoomStore::set_room_lock(
    const RoomId& room, const ConnectionId& member, bool locked) {
  Operation operation(*this);
  auto answer =
      operation.call_if("UpdateItem", set_lock_request(table_, room, member, locked), kWrite);
  if (!answer) return std::nullopt;
  auto members = parse_members(attributes(*answer, "Attributes"));
  auto everyone = live_members_except(members, ConnectionId{}, operation.now());
  return everyone;
}

lambdas::AttemptRecord DynamoDbRoomStore::passcode_failures(const std::string& key,
                                                            std::int64_t now) {
  Operation operation(*this);
  json item =
      attributes(operation.call("GetItem", get_attempts_request(table_, key), kRead), "Item");
  return lambdas::current(parse_attempts(item).value_or(lambdas::AttemptRecord{}), now);
}

lambdas::AttemptRecord DynamoDbRoomStore::record_passcode_failure(const std::string& key,
                                                                  std::int64_t now) {
  Operation operation(*this);
  // Read, count one more, write over what was read: a concurrent failure makes the write fail
  // and the count is taken again.
  for (int attempt = 0; attempt < kJoinAttempts; ++attempt) {
    json item =
        attributes(operation.call("GetItem", get_attempts_request(table_, key), kRead), "Item");
    const auto read = parse_attempts(item);
    const lambdas::AttemptRecord next =
        lambdas::with_failure(read.value_or(lambdas::AttemptRecord{}), now);
    if (operation.call_if("UpdateItem", put_attempts_request(table_, key, next, read), kWrite)) {
      return next;
    }
  }
  throw DynamoDbError("UpdateItem",
                      {0, "AttemptsContended",
                       "passcode attempts under '" + key + "' changed under " +
                           std::to_string(kJoinAttempts) + " writes in a row"},
                      kJoinAttempts);
}

bool DynamoDbRoomStore::read_relay_targets(const RoomId& room, const ConnectionId& sender,
                                           lambdas::RelayTargets& out) {
  Operation operation(*this);
  json item = attributes(operation.call("GetItem", get_room_request(table_, room), kRead), "Item");
  if (!is_live_item(item, operation.now())) return false;
  auto members = parse_members(item);
  const Member* self = find_member(members, sender);
  if (!self || !is_live(self->expires_at, operation.now())) return false;
  out = {self->profile, live_members_except(members, sender, operation.now())};
  return true;
}

}  // namespace videochat::aws
