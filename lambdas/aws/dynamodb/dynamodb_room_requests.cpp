#include "dynamodb_room_requests.hpp"

#include <algorithm>
#include <charconv>

#include "dynamodb_table.hpp"

namespace videochat::aws {

using nlohmann::json;

namespace {

constexpr std::string_view kRoomSortKey = "ROOM";
constexpr std::string_view kConnectionSortKey = "CONN";
constexpr std::string_view kAttemptSortKey = "ATTEMPT";

json string_value(std::string_view text) {
  return {{"S", text}};
}
json number_value(std::int64_t number) {
  return {{"N", std::to_string(number)}};
}

json key(std::string partition, std::string_view sort) {
  return {{std::string(kPartitionKey), string_value(partition)},
          {std::string(kSortKey), string_value(sort)}};
}

json room_key(const RoomId& room) {
  return key(room_partition_key(room), kRoomSortKey);
}
json connection_key(const ConnectionId& connection) {
  return key(connection_partition_key(connection), kConnectionSortKey);
}

// Every request: the table, the key, and the capacity it consumed in the answer.
json base_request(std::string_view table, json item_key) {
  return {{"TableName", table}, {"Key", std::move(item_key)}, {"ReturnConsumedCapacity", "TOTAL"}};
}

[[noreturn]] void malformed(std::string_view what) {
  throw lambdas::StoreError("malformed item in the rooms table: " + std::string(what));
}

std::int64_t parse_number(const json& value, std::string_view what) {
  auto text = value.find("N");
  if (!value.is_object() || text == value.end() || !text->is_string()) {
    malformed(std::string(what) + " is not a number");
  }
  const auto& digits = text->get_ref<const std::string&>();
  std::int64_t number = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (error != std::errc{} || end != digits.data() + digits.size()) {
    malformed(std::string(what) + " is not an integer: " + digits);
  }
  return number;
}

}  // namespace

std::string room_partition_key(const RoomId& room) {
  return "ROOM#" + room.value;
}

std::string connection_partition_key(const ConnectionId& connection) {
  return "CONN#" + connection.value;
}

std::string attempt_partition_key(std::string_view attempt_key) {
  return "ATTEMPT#" + std::string(attempt_key);
}

json get_room_request(std::string_view table, const RoomId& room) {
  json request = base_request(table, room_key(room));
  request["ConsistentRead"] = true;
  return request;
}

namespace {

// A member entry: its expiry, and the profile's fields that are present.
json member_entry(const lambdas::ParticipantProfile& profile, std::int64_t expires_at,
                  std::string_view nonce, const std::optional<std::string>& previous_nonce) {
  json entry = {{std::string(kEntryExpiresAt), number_value(expires_at)}};
  if (profile.peer_id) entry[std::string(kEntryPeerId)] = string_value(profile.peer_id->value);
  if (profile.name) entry[std::string(kEntryName)] = string_value(*profile.name);
  if (!nonce.empty()) entry[std::string(kEntryNonce)] = string_value(std::string(nonce));
  if (previous_nonce) entry[std::string(kEntryPreviousNonce)] = string_value(*previous_nonce);
  return {{"M", std::move(entry)}};
}

}  // namespace

json add_member_request(std::string_view table, const RoomId& room, const ConnectionId& connection,
                        const lambdas::ParticipantProfile& profile, std::string_view nonce,
                        std::int64_t expires_at, std::size_t capacity,
                        const lambdas::Admission& admission) {
  json request = base_request(table, room_key(room));
  std::string update = "SET #members.#id = :entry, #ttl = :expires";
  // attribute_not_exists lets a room without a map through to the update, which then fails with
  // the document-path error that tells us to create the maps.
  std::string condition =
      "(attribute_not_exists(#members) OR size(#members) < :capacity OR "
      "attribute_exists(#members.#id))";
  json names = {
      {"#members", kMembersAttribute}, {"#id", connection.value}, {"#ttl", kTtlAttribute}};
  json values = {{":entry", member_entry(profile, expires_at, nonce, std::nullopt)},
                 {":expires", number_value(expires_at)},
                 {":capacity", number_value(static_cast<std::int64_t>(capacity))}};
  if (profile.peer_id) {
    update += ", #peers.#peer = :self";
    condition += " AND (attribute_not_exists(#peers.#peer) OR #peers.#peer = :self)";
    names["#peers"] = kPeersAttribute;
    names["#peer"] = profile.peer_id->value;
    values[":self"] = string_value(connection.value);
  }
  // The gate as the handler checked it. A room that has emptied may still carry its last gate:
  // this fails then, and the store makes the joiner the first member (first_member_request).
  names["#passcode"] = kPasscodeAttribute;
  if (admission.checked_passcode) {
    condition += " AND #passcode = :passcode";
    values[":passcode"] = string_value(*admission.checked_passcode);
  } else {
    condition += " AND attribute_not_exists(#passcode)";
  }
  if (!admission.passes_lock) {
    condition += " AND (attribute_not_exists(#locked) OR attribute_exists(#members.#id))";
    names["#locked"] = kLockedAttribute;
  }
  request["UpdateExpression"] = std::move(update);
  request["ConditionExpression"] = std::move(condition);
  request["ExpressionAttributeNames"] = std::move(names);
  request["ExpressionAttributeValues"] = std::move(values);
  request["ReturnValues"] = "ALL_OLD";
  return request;
}

json first_member_request(std::string_view table, const RoomId& room,
                          const ConnectionId& connection,
                          const lambdas::ParticipantProfile& profile, std::string_view nonce,
                          std::int64_t expires_at,
                          const std::optional<std::string>& passcode) {
  json request = base_request(table, room_key(room));
  std::string update = "SET #members.#id = :entry, #ttl = :expires";
  json names = {{"#members", kMembersAttribute},
                {"#id", connection.value},
                {"#ttl", kTtlAttribute},
                {"#passcode", kPasscodeAttribute},
                {"#locked", kLockedAttribute}};
  json values = {{":entry", member_entry(profile, expires_at, nonce, std::nullopt)},
                 {":expires", number_value(expires_at)},
                 {":none", number_value(0)}};
  if (profile.peer_id) {
    // Every index entry of an empty room is stale: this one is overwritten.
    update += ", #peers.#peer = :self";
    names["#peers"] = kPeersAttribute;
    names["#peer"] = profile.peer_id->value;
    values[":self"] = string_value(connection.value);
  }
  if (passcode) {
    update += ", #passcode = :passcode REMOVE #locked";
    values[":passcode"] = string_value(*passcode);
  } else {
    update += " REMOVE #passcode, #locked";
  }
  request["UpdateExpression"] = std::move(update);
  request["ConditionExpression"] = "size(#members) = :none";
  request["ExpressionAttributeNames"] = std::move(names);
  request["ExpressionAttributeValues"] = std::move(values);
  request["ReturnValues"] = "ALL_OLD";
  return request;
}

json close_gate_request(std::string_view table, const RoomId& room) {
  json request = base_request(table, room_key(room));
  request["UpdateExpression"] = "REMOVE #passcode, #locked";
  request["ConditionExpression"] = "size(#members) = :none";
  request["ExpressionAttributeNames"] = {{"#members", kMembersAttribute},
                                         {"#passcode", kPasscodeAttribute},
                                         {"#locked", kLockedAttribute}};
  request["ExpressionAttributeValues"] = {{":none", number_value(0)}};
  request["ReturnValues"] = "NONE";
  return request;
}

json set_lock_request(std::string_view table, const RoomId& room, const ConnectionId& member,
                      bool locked) {
  json request = base_request(table, room_key(room));
  request["UpdateExpression"] = locked ? "SET #locked = :locked" : "REMOVE #locked";
  request["ConditionExpression"] = "attribute_exists(#members.#id)";
  request["ExpressionAttributeNames"] = {
      {"#members", kMembersAttribute}, {"#id", member.value}, {"#locked", kLockedAttribute}};
  if (locked) request["ExpressionAttributeValues"] = {{":locked", {{"BOOL", true}}}};
  request["ReturnValues"] = "ALL_NEW";
  return request;
}

json get_attempts_request(std::string_view table, std::string_view attempt_key) {
  json request = base_request(table, key(attempt_partition_key(attempt_key), kAttemptSortKey));
  request["ConsistentRead"] = true;
  return request;
}

json put_attempts_request(std::string_view table, std::string_view attempt_key,
                          const lambdas::AttemptRecord& record,
                          const std::optional<lambdas::AttemptRecord>& read) {
  json request = base_request(table, key(attempt_partition_key(attempt_key), kAttemptSortKey));
  request["UpdateExpression"] = "SET #failures = :failures, #last = :last, #ttl = :expires";
  json names = {{"#failures", kFailuresAttribute},
                {"#last", kLastFailureAttribute},
                {"#ttl", kTtlAttribute}};
  json values = {{":failures", number_value(record.failures)},
                 {":last", number_value(record.last_failure_at)},
                 {":expires", number_value(record.last_failure_at + lambdas::kPasscodeFailureMemory)}};
  // Written over what was read: two failures at once must not count as one.
  if (read) {
    request["ConditionExpression"] = "#failures = :read_failures AND #last = :read_last";
    values[":read_failures"] = number_value(read->failures);
    values[":read_last"] = number_value(read->last_failure_at);
  } else {
    request["ConditionExpression"] = "attribute_not_exists(#last)";
  }
  request["ExpressionAttributeNames"] = std::move(names);
  request["ExpressionAttributeValues"] = std::move(values);
  request["ReturnValues"] = "NONE";
  return request;
}

json replace_member_request(std::string_view table, const RoomId& room,
                            const ConnectionId& connection,
                            const lambdas::ParticipantProfile& profile,
                            const ConnectionId& replaced, const lambdas::ResumeClaim& claim,
                            std::int64_t expires_at) {
  json request = base_request(table, room_key(room));
  request["UpdateExpression"] =
      "REMOVE #members.#old SET #members.#id = :entry, #peers.#peer = :self, #ttl = :expires";
  request["ConditionExpression"] =
      "attribute_exists(#members.#old) AND #peers.#peer = :old AND "
      "(#members.#old.#nonce = :claimed OR #members.#old.#previous = :claimed)";
  request["ExpressionAttributeNames"] = {{"#members", kMembersAttribute},
                                         {"#peers", kPeersAttribute},
                                         {"#id", connection.value},
                                         {"#old", replaced.value},
                                         {"#peer", profile.peer_id ? profile.peer_id->value : ""},
                                         {"#nonce", kEntryNonce},
                                         {"#previous", kEntryPreviousNonce},
                                         {"#ttl", kTtlAttribute}};
  request["ExpressionAttributeValues"] = {
      {":entry", member_entry(profile, expires_at, claim.issued, claim.presented)},
      {":self", string_value(connection.value)},
      {":old", string_value(replaced.value)},
      {":claimed", string_value(claim.presented.value_or(""))},
      {":expires", number_value(expires_at)}};
  request["ReturnValues"] = "ALL_OLD";
  return request;
}

json ensure_room_maps_request(std::string_view table, const RoomId& room, std::int64_t expires_at) {
  json request = base_request(table, room_key(room));
  // Idempotent, so concurrent first joiners need no condition: whoever comes second changes
  // nothing.
  request["UpdateExpression"] =
      "SET #members = if_not_exists(#members, :empty), #peers = if_not_exists(#peers, :empty), "
      "#ttl = if_not_exists(#ttl, :expires)";
  request["ExpressionAttributeNames"] = {
      {"#members", kMembersAttribute}, {"#peers", kPeersAttribute}, {"#ttl", kTtlAttribute}};
  request["ExpressionAttributeValues"] = {{":empty", {{"M", json::object()}}},
                                          {":expires", number_value(expires_at)}};
  request["ReturnValues"] = "NONE";
  return request;
}

json remove_member_request(std::string_view table, const RoomId& room,
                           const ConnectionId& connection,
                           const std::optional<lambdas::PeerId>& peer) {
  json request = base_request(table, room_key(room));
  json names = {{"#members", kMembersAttribute}, {"#id", connection.value}};
  if (peer) {
    request["UpdateExpression"] = "REMOVE #members.#id, #peers.#peer";
    // Without the first part, an UpdateItem on a room that TTL deleted would create an empty
    // item; the second keeps a resumer's index entry (it holds the peerId now).
    request["ConditionExpression"] = "attribute_exists(#members) AND #peers.#peer = :self";
    names["#peers"] = kPeersAttribute;
    names["#peer"] = peer->value;
    request["ExpressionAttributeValues"] = {{":self", string_value(connection.value)}};
  } else {
    request["UpdateExpression"] = "REMOVE #members.#id";
    request["ConditionExpression"] = "attribute_exists(#members)";
  }
  request["ExpressionAttributeNames"] = std::move(names);
  request["ReturnValues"] = "ALL_OLD";
  return request;
}

json prune_members_request(std::string_view table, const RoomId& room,
                           std::span<const Member> expired,
                           std::span<const PeerEntry> stale_peers) {
  json request = base_request(table, room_key(room));
  json names = json::object();
  json values = json::object();
  std::string removals;
  std::string conditions;
  auto add = [&](const std::string& path, const std::string& condition) {
    removals += (removals.empty() ? "" : ", ") + path;
    conditions += (conditions.empty() ? "" : " AND ") + condition;
  };
  for (std::size_t i = 0; i < expired.size(); ++i) {
    std::string name = "#m" + std::to_string(i);
    std::string value = ":e" + std::to_string(i);
    names["#members"] = kMembersAttribute;
    names[name] = expired[i].id.value;
    values[value] = number_value(expired[i].expires_at);
    const std::string path = "#members." + name;
    if (expired[i].bare_expiry) {
      add(path, path + " = " + value);
    } else {
      names["#e"] = kEntryExpiresAt;
      add(path, path + ".#e = " + value);
    }
  }
  for (std::size_t i = 0; i < stale_peers.size(); ++i) {
    std::string name = "#p" + std::to_string(i);
    std::string value = ":c" + std::to_string(i);
    names["#peers"] = kPeersAttribute;
    names[name] = stale_peers[i].peer.value;
    values[value] = string_value(stale_peers[i].holder.value);
    add("#peers." + name, "#peers." + name + " = " + value);
  }
  request["UpdateExpression"] = "REMOVE " + removals;
  request["ConditionExpression"] = conditions;
  request["ExpressionAttributeNames"] = std::move(names);
  request["ExpressionAttributeValues"] = std::move(values);
  request["ReturnValues"] = "NONE";
  return request;
}

json put_connection_request(std::string_view table, const ConnectionId& connection,
                            std::int64_t connected_at_ms, std::int64_t expires_at) {
  json request = base_request(table, connection_key(connection));
  request["UpdateExpression"] = "SET #connectedAt = :connectedAt, #ttl = :expires";
  request["ExpressionAttributeNames"] = {{"#connectedAt", kConnectedAtAttribute},
                                         {"#ttl", kTtlAttribute}};
  request["ExpressionAttributeValues"] = {{":connectedAt", number_value(connected_at_ms)},
                                          {":expires", number_value(expires_at)}};
  request["ReturnValues"] = "NONE";
  return request;
}

json set_connection_room_request(std::string_view table, const ConnectionId& connection,
                                 const RoomId& room, const std::optional<lambdas::PeerId>& peer,
                                 std::int64_t expires_at) {
  json request = base_request(table, connection_key(connection));
  json values = {{":room", string_value(room.value)}, {":expires", number_value(expires_at)}};
  if (peer) {
    request["UpdateExpression"] = "SET #room = :room, #peer = :peer, #ttl = :expires";
    values[":peer"] = string_value(peer->value);
  } else {
    request["UpdateExpression"] = "SET #room = :room, #ttl = :expires REMOVE #peer";
  }
  request["ExpressionAttributeNames"] = {
      {"#room", kRoomAttribute}, {"#peer", kPeerIdAttribute}, {"#ttl", kTtlAttribute}};
  request["ExpressionAttributeValues"] = std::move(values);
  // ALL_OLD rather than UPDATED_OLD: the previous peerId must come back even when it is removed.
  request["ReturnValues"] = "ALL_OLD";
  return request;
}

json clear_connection_room_request(std::string_view table, const ConnectionId& connection,
                                   std::int64_t now) {
  json request = base_request(table, connection_key(connection));
  request["UpdateExpression"] = "REMOVE #room, #peer";
  request["ConditionExpression"] = "attribute_exists(#room) AND #ttl > :now";
  request["ExpressionAttributeNames"] = {
      {"#room", kRoomAttribute}, {"#peer", kPeerIdAttribute}, {"#ttl", kTtlAttribute}};
  request["ExpressionAttributeValues"] = {{":now", number_value(now)}};
  request["ReturnValues"] = "ALL_OLD";
  return request;
}

json delete_connection_request(std::string_view table, const ConnectionId& connection) {
  json request = base_request(table, connection_key(connection));
  request["ReturnValues"] = "ALL_OLD";
  return request;
}

std::optional<std::int64_t> item_expires_at(const json& item) {
  if (!item.is_object()) return std::nullopt;
  auto ttl = item.find(kTtlAttribute);
  if (ttl == item.end()) return std::nullopt;
  return parse_number(*ttl, kTtlAttribute);
}

bool is_live_item(const json& item, std::int64_t now) {
  if (!item.is_object()) return false;
  auto expires_at = item_expires_at(item);
  return !expires_at || is_live(*expires_at, now);
}

bool has_members_map(const json& item) {
  if (!item.is_object()) return false;
  auto members = item.find(kMembersAttribute);
  return members != item.end() && members->is_object() && members->contains("M");
}

bool has_peers_map(const json& item) {
  if (!item.is_object()) return false;
  auto peers = item.find(kPeersAttribute);
  return peers != item.end() && peers->is_object() && peers->contains("M");
}

namespace {

// An optional string attribute of a map entry.
std::optional<std::string> string_field(const json& entry, std::string_view name,
                                        std::string_view what) {
  auto it = entry.find(name);
  if (it == entry.end()) return std::nullopt;
  auto text = it->find("S");
  if (!it->is_object() || text == it->end() || !text->is_string()) {
    malformed(std::string(what) + " is not a string");
  }
  return text->get<std::string>();
}

Member parse_member(const std::string& id, const json& value) {
  Member member{ConnectionId{id}, 0, {}, false};
  if (value.is_object() && value.contains("N")) {
    member.expires_at = parse_number(value, "a member's expiresAt");
    member.bare_expiry = true;
    return member;
  }
  auto map = value.is_object() ? value.find("M") : value.end();
  if (!value.is_object() || map == value.end() || !map->is_object()) {
    malformed("a member entry is neither a map nor a number");
  }
  auto expires_at = map->find(kEntryExpiresAt);
  if (expires_at == map->end()) malformed("a member entry has no expiry");
  member.expires_at = parse_number(*expires_at, "a member's expiresAt");
  if (auto peer = string_field(*map, kEntryPeerId, "a member's peerId")) {
    member.profile.peer_id = lambdas::PeerId{std::move(*peer)};
  }
  member.profile.name = string_field(*map, kEntryName, "a member's name");
  member.nonce = string_field(*map, kEntryNonce, "a member's resume nonce").value_or("");
  member.previous_nonce = string_field(*map, kEntryPreviousNonce, "a member's previous nonce");
  return member;
}

}  // namespace

std::vector<Member> parse_members(const json& item) {
  std::vector<Member> members;
  if (!item.is_object()) return members;
  auto attribute = item.find(kMembersAttribute);
  if (attribute == item.end()) return members;
  auto map = attribute->find("M");
  if (!attribute->is_object() || map == attribute->end() || !map->is_object()) {
    malformed("members is not a map");
  }
  members.reserve(map->size());
  for (const auto& [id, value] : map->items()) members.push_back(parse_member(id, value));
  std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
    return a.expires_at != b.expires_at ? a.expires_at < b.expires_at : a.id < b.id;
  });
  return members;
}

std::vector<PeerEntry> parse_peers(const json& item) {
  std::vector<PeerEntry> peers;
  if (!item.is_object()) return peers;
  auto attribute = item.find(kPeersAttribute);
  if (attribute == item.end()) return peers;
  auto map = attribute->find("M");
  if (!attribute->is_object() || map == attribute->end() || !map->is_object()) {
    malformed("peers is not a map");
  }
  peers.reserve(map->size());
  for (const auto& [peer, holder] : map->items()) {
    auto text = holder.is_object() ? holder.find("S") : holder.end();
    if (!holder.is_object() || text == holder.end() || !text->is_string()) {
      malformed("a peers entry is not a string");
    }
    peers.push_back({lambdas::PeerId{peer}, ConnectionId{text->get<std::string>()}});
  }
  return peers;
}

std::vector<ConnectionId> live_members_except(std::span<const Member> members,
                                              const ConnectionId& except, std::int64_t now) {
  std::vector<ConnectionId> out;
  out.reserve(members.size());
  for (const auto& member : members) {
    if (member.id != except && is_live(member.expires_at, now)) out.push_back(member.id);
  }
  return out;
}

std::vector<lambdas::Participant> live_participants_except(
    std::span<const Member> members, const ConnectionId& except, std::int64_t now,
    const std::optional<ConnectionId>& also_except) {
  std::vector<lambdas::Participant> out;
  out.reserve(members.size());
  for (const auto& member : members) {
    if (member.id == except || member.id == also_except || !is_live(member.expires_at, now)) {
      continue;
    }
    out.push_back({member.id, member.profile});
  }
  return out;
}

bool is_live_member(std::span<const Member> members, const ConnectionId& who, std::int64_t now) {
  const Member* member = find_member(members, who);
  return member && is_live(member->expires_at, now);
}

const Member* find_member(std::span<const Member> members, const ConnectionId& who) {
  auto it = std::find_if(members.begin(), members.end(),
                         [&](const Member& member) { return member.id == who; });
  return it == members.end() ? nullptr : &*it;
}

std::vector<PeerEntry> stale_peer_entries(std::span<const PeerEntry> peers,
                                          std::span<const Member> members, std::int64_t now) {
  std::vector<PeerEntry> stale;
  for (const auto& entry : peers) {
    const Member* holder = find_member(members, entry.holder);
    if (!holder || !is_live(holder->expires_at, now) || holder->profile.peer_id != entry.peer) {
      stale.push_back(entry);
    }
  }
  return stale;
}

std::optional<ConnectionPlace> parse_connection_place(const json& item, std::int64_t now) {
  if (!is_live_item(item, now)) return std::nullopt;
  auto room = string_field(item, kRoomAttribute, "room");
  if (!room) return std::nullopt;
  ConnectionPlace place{RoomId{std::move(*room)}, std::nullopt};
  if (auto peer = string_field(item, kPeerIdAttribute, "peerId")) {
    place.peer = lambdas::PeerId{std::move(*peer)};
  }
  return place;
}

lambdas::RoomGate parse_room_gate(const json& item, std::int64_t now) {
  lambdas::RoomGate gate;
  if (!is_live_item(item, now)) return gate;
  const auto members = parse_members(item);
  gate.occupied = std::any_of(members.begin(), members.end(),
                              [&](const Member& member) { return is_live(member.expires_at, now); });
  if (auto passcode = item.find(kPasscodeAttribute); passcode != item.end()) {
    auto text = passcode->find("S");
    if (text == passcode->end() || !text->is_string()) malformed("passcode is not a string");
    gate.passcode = text->get<std::string>();
  }
  if (auto locked = item.find(kLockedAttribute); locked != item.end()) {
    auto flag = locked->find("BOOL");
    if (flag == locked->end() || !flag->is_boolean()) malformed("locked is not a boolean");
    gate.locked = flag->get<bool>();
  }
  return gate;
}

std::optional<lambdas::AttemptRecord> parse_attempts(const json& item) {
  if (!item.is_object()) return std::nullopt;
  auto failures = item.find(kFailuresAttribute);
  auto last = item.find(kLastFailureAttribute);
  if (failures == item.end() || last == item.end()) return std::nullopt;
  return lambdas::AttemptRecord{
      static_cast<std::uint32_t>(parse_number(*failures, "failures")),
      parse_number(*last, "lastFailureAt")};
}

bool is_missing_map_error(const AwsError& error) {
  return error.type == "ValidationException" &&
         error.message.find("document path") != std::string::npos;
}

}  // namespace videochat::aws
