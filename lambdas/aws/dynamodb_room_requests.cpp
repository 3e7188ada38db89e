#include "dynamodb_room_requests.hpp"

#include <algorithm>
#include <charconv>

#include "dynamodb_table.hpp"

namespace videochat::aws {

using nlohmann::json;

namespace {

constexpr std::string_view kRoomSortKey = "ROOM";
constexpr std::string_view kConnectionSortKey = "CONN";

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

json get_room_request(std::string_view table, const RoomId& room) {
  json request = base_request(table, room_key(room));
  request["ConsistentRead"] = true;
  return request;
}

json add_member_request(std::string_view table, const RoomId& room, const ConnectionId& connection,
                        std::int64_t expires_at, std::size_t capacity) {
  json request = base_request(table, room_key(room));
  request["UpdateExpression"] = "SET #members.#id = :expires, #ttl = :expires";
  // attribute_not_exists lets a room without a map through to the update, which then fails with
  // the document-path error that tells us to create the map.
  request["ConditionExpression"] =
      "attribute_not_exists(#members) OR size(#members) < :capacity OR "
      "attribute_exists(#members.#id)";
  request["ExpressionAttributeNames"] = {
      {"#members", kMembersAttribute}, {"#id", connection.value}, {"#ttl", kTtlAttribute}};
  request["ExpressionAttributeValues"] = {
      {":expires", number_value(expires_at)},
      {":capacity", number_value(static_cast<std::int64_t>(capacity))}};
  request["ReturnValues"] = "ALL_OLD";
  return request;
}

json create_room_request(std::string_view table, const RoomId& room, const ConnectionId& connection,
                         std::int64_t expires_at) {
  json request = base_request(table, room_key(room));
  request["UpdateExpression"] = "SET #members = :members, #ttl = :expires";
  request["ConditionExpression"] = "attribute_not_exists(#members)";
  request["ExpressionAttributeNames"] = {{"#members", kMembersAttribute}, {"#ttl", kTtlAttribute}};
  request["ExpressionAttributeValues"] = {
      {":members", {{"M", {{connection.value, number_value(expires_at)}}}}},
      {":expires", number_value(expires_at)}};
  request["ReturnValues"] = "NONE";
  return request;
}

json remove_member_request(std::string_view table, const RoomId& room,
                           const ConnectionId& connection) {
  json request = base_request(table, room_key(room));
  request["UpdateExpression"] = "REMOVE #members.#id";
  // Without it, an UpdateItem on a room that TTL deleted would create an empty item.
  request["ConditionExpression"] = "attribute_exists(#members)";
  request["ExpressionAttributeNames"] = {{"#members", kMembersAttribute},
                                         {"#id", connection.value}};
  request["ReturnValues"] = "ALL_NEW";
  return request;
}

json prune_members_request(std::string_view table, const RoomId& room,
                           std::span<const Member> expired) {
  json request = base_request(table, room_key(room));
  json names = {{"#members", kMembersAttribute}};
  json values = json::object();
  std::string removals;
  std::string conditions;
  for (std::size_t i = 0; i < expired.size(); ++i) {
    std::string name = "#m" + std::to_string(i);
    std::string value = ":e" + std::to_string(i);
    names[name] = expired[i].id.value;
    values[value] = number_value(expired[i].expires_at);
    removals += (i == 0 ? "" : ", ") + ("#members." + name);
    conditions += (i == 0 ? "" : " AND ") + ("#members." + name + " = " + value);
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
                                 const RoomId& room, std::int64_t expires_at) {
  json request = base_request(table, connection_key(connection));
  request["UpdateExpression"] = "SET #room = :room, #ttl = :expires";
  request["ExpressionAttributeNames"] = {{"#room", kRoomAttribute}, {"#ttl", kTtlAttribute}};
  request["ExpressionAttributeValues"] = {{":room", string_value(room.value)},
                                          {":expires", number_value(expires_at)}};
  request["ReturnValues"] = "UPDATED_OLD";
  return request;
}

json clear_connection_room_request(std::string_view table, const ConnectionId& connection,
                                   std::int64_t now) {
  json request = base_request(table, connection_key(connection));
  request["UpdateExpression"] = "REMOVE #room";
  request["ConditionExpression"] = "attribute_exists(#room) AND #ttl > :now";
  request["ExpressionAttributeNames"] = {{"#room", kRoomAttribute}, {"#ttl", kTtlAttribute}};
  request["ExpressionAttributeValues"] = {{":now", number_value(now)}};
  request["ReturnValues"] = "UPDATED_OLD";
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
  for (const auto& [id, expires_at] : map->items()) {
    members.push_back({ConnectionId{id}, parse_number(expires_at, "a member's expiresAt")});
  }
  std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
    return a.expires_at != b.expires_at ? a.expires_at < b.expires_at : a.id < b.id;
  });
  return members;
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

bool is_live_member(std::span<const Member> members, const ConnectionId& who, std::int64_t now) {
  return std::any_of(members.begin(), members.end(), [&](const Member& member) {
    return member.id == who && is_live(member.expires_at, now);
  });
}

std::optional<RoomId> parse_connection_room(const json& item, std::int64_t now) {
  if (!is_live_item(item, now)) return std::nullopt;
  auto room = item.find(kRoomAttribute);
  if (room == item.end()) return std::nullopt;
  auto text = room->find("S");
  if (!room->is_object() || text == room->end() || !text->is_string()) {
    malformed("room is not a string");
  }
  return RoomId{text->get<std::string>()};
}

bool is_missing_map_error(const AwsError& error) {
  return error.type == "ValidationException" &&
         error.message.find("document path") != std::string::npos;
}

}  // namespace videochat::aws
