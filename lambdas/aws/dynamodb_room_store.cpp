#include "dynamodb_room_store.hpp"

#include "dynamodb_room_requests.hpp"

namespace videochat::aws {

using lambdas::Departure;
using lambdas::JoinOutcome;
using nlohmann::json;

EpochClock system_epoch_clock() {
  return [] {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
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

// Add, create, prune: a join makes at most this many attempts before calling the room contended.
constexpr int kJoinAttempts = 4;

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

json DynamoDbRoomStore::add_member(Operation& operation, const ConnectionId& connection,
                                   const RoomId& room, std::int64_t now) {
  const std::int64_t expires_at = operation.expires_at();
  // Creates the members map with the joiner in it; false when another joiner created it first.
  auto create = [&] {
    return operation
        .call_if("UpdateItem", create_room_request(table_, room, connection, expires_at), kWrite)
        .has_value();
  };
  bool pruned = false;
  for (int attempt = 0; attempt < kJoinAttempts; ++attempt) {
    auto added = operation.try_call(
        "UpdateItem",
        add_member_request(table_, room, connection, expires_at, options_.room_capacity), kWrite);
    if (auto* before = std::get_if<json>(&added)) return attributes(*before, "Attributes");

    const AwsError& error = std::get<AwsError>(added);
    if (is_missing_map_error(error)) {
      if (create()) return json();
      continue;
    }
    if (error.type != "ConditionalCheckFailedException") {
      throw DynamoDbError("UpdateItem", error, 1);
    }

    // The capacity check failed: see whether expired entries are what fills the room.
    json item =
        attributes(operation.call("GetItem", get_room_request(table_, room), kRead), "Item");
    if (!has_members_map(item)) {
      // A service that checks the condition before the path: the room has no map yet.
      if (create()) return json();
      continue;
    }
    std::vector<Member> members = parse_members(item);
    std::vector<Member> expired;
    std::size_t live = 0;
    for (const auto& member : members) {
      if (!is_live(member.expires_at, now)) {
        expired.push_back(member);
      } else if (member.id != connection) {
        ++live;
      }
    }
    if (live >= options_.room_capacity || pruned) {
      throw lambdas::RoomFullError(room, options_.room_capacity);
    }
    if (!expired.empty()) {
      // Conditional on the expiries read: an entry refreshed meanwhile stays. If the condition
      // fails, someone else changed the room; the retry below sees what they did.
      operation.call_if("UpdateItem", prune_members_request(table_, room, expired), kWrite);
    }
    pruned = true;
  }
  throw DynamoDbError("UpdateItem",
                      {0, "RoomContended",
                       "room '" + room.value + "' changed under " + std::to_string(kJoinAttempts) +
                           " join attempts in a row"},
                      kJoinAttempts);
}

Departure DynamoDbRoomStore::remove_member(Operation& operation, const ConnectionId& connection,
                                           const RoomId& room, std::int64_t now) {
  auto after =
      operation.call_if("UpdateItem", remove_member_request(table_, room, connection), kWrite);
  // No members map: the room item is gone (TTL), so no one is left to tell.
  if (!after) return {room, {}};
  auto members = parse_members(attributes(*after, "Attributes"));
  return {room, live_members_except(members, connection, now)};
}

JoinOutcome DynamoDbRoomStore::join_room(const ConnectionId& connection, const RoomId& room) {
  Operation operation(*this);
  const std::int64_t now = operation.now();
  // Into the new room first: a full room refuses before anything else changed.
  auto before = parse_members(add_member(operation, connection, room, now));

  JoinOutcome outcome;
  outcome.other_members = live_members_except(before, connection, now);
  json previous_item = attributes(
      operation.call("UpdateItem",
                     set_connection_room_request(table_, connection, room, operation.expires_at()),
                     kWrite),
      "Attributes");
  auto previous = parse_connection_room(previous_item, now);
  if (previous == room) {
    outcome.already_member = is_live_member(before, connection, now);
  } else if (previous) {
    outcome.left = remove_member(operation, connection, *previous, now);
  }
  return outcome;
}

std::optional<Departure> DynamoDbRoomStore::leave_room(const ConnectionId& connection) {
  Operation operation(*this);
  auto cleared = operation.call_if(
      "UpdateItem", clear_connection_room_request(table_, connection, operation.now()), kWrite);
  if (!cleared) return std::nullopt;  // in no room, or unknown
  auto room = parse_connection_room(attributes(*cleared, "Attributes"), operation.now());
  if (!room) return std::nullopt;
  return remove_member(operation, connection, *room, operation.now());
}

std::optional<Departure> DynamoDbRoomStore::remove_connection(const ConnectionId& connection) {
  Operation operation(*this);
  json deleted = attributes(
      operation.call("DeleteItem", delete_connection_request(table_, connection), kWrite),
      "Attributes");
  auto room = parse_connection_room(deleted, operation.now());
  if (!room) return std::nullopt;
  return remove_member(operation, connection, *room, operation.now());
}

std::optional<std::vector<ConnectionId>> DynamoDbRoomStore::relay_targets(
    const RoomId& room, const ConnectionId& sender) {
  Operation operation(*this);
  json item = attributes(operation.call("GetItem", get_room_request(table_, room), kRead), "Item");
  if (!is_live_item(item, operation.now())) return std::nullopt;
  auto members = parse_members(item);
  if (!is_live_member(members, sender, operation.now())) return std::nullopt;
  return live_members_except(members, sender, operation.now());
}

}  // namespace videochat::aws
