// The rooms table's items and the DynamoDB requests that read and write them, as pure functions:
// JSON in, JSON out, no I/O. dynamodb_room_store.cpp puts them in order; the README's "DynamoDB
// table design" explains the layout.
//
//   pk = "ROOM#<room>", sk = "ROOM": members {connectionId -> expiresAt}, expiresAt
//   pk = "CONN#<id>",   sk = "CONN": connectedAt (ms), room (while in one), expiresAt
//
// Every request asks for ReturnConsumedCapacity TOTAL.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dynamodb_client.hpp"
#include "room_store.hpp"

namespace videochat::aws {

using lambdas::ConnectionId;
using lambdas::RoomId;

inline constexpr std::string_view kMembersAttribute = "members";
inline constexpr std::string_view kRoomAttribute = "room";
inline constexpr std::string_view kConnectedAtAttribute = "connectedAt";

std::string room_partition_key(const RoomId& room);                    // "ROOM#<room>"
std::string connection_partition_key(const ConnectionId& connection);  // "CONN#<id>"

// A room's member entry: present until it expires (epoch seconds), whatever TTL has deleted.
struct Member {
  ConnectionId id;
  std::int64_t expires_at = 0;

  friend bool operator==(const Member&, const Member&) = default;
};

// Items and members are live until their expiresAt; dynalite never deletes them, and DynamoDB's
// TTL deletes them only eventually, so every read checks.
inline bool is_live(std::int64_t expires_at, std::int64_t now) {
  return expires_at > now;
}

// --- Requests ----------------------------------------------------------------------------------

// The per-message read: one strongly consistent GetItem of the room item.
nlohmann::json get_room_request(std::string_view table, const RoomId& room);
// Adds (or refreshes) `connection` in the room's members map, if the room holds fewer than
// `capacity` entries or already holds this one. Answers ALL_OLD: who was there before.
// Fails with a document-path ValidationException when the room item has no members map yet.
nlohmann::json add_member_request(std::string_view table, const RoomId& room,
                                  const ConnectionId& connection, std::int64_t expires_at,
                                  std::size_t capacity);
// Creates the members map with `connection` alone, if no one created it first.
nlohmann::json create_room_request(std::string_view table, const RoomId& room,
                                   const ConnectionId& connection, std::int64_t expires_at);
// Removes `connection` from the room (an existing room only); answers ALL_NEW: who remains.
nlohmann::json remove_member_request(std::string_view table, const RoomId& room,
                                     const ConnectionId& connection);
// Removes expired entries, each only if it still holds the expiry that was read: an entry a
// concurrent join refreshed stays.
nlohmann::json prune_members_request(std::string_view table, const RoomId& room,
                                     std::span<const Member> expired);
// Records a connection ($connect), keeping the room it may already have joined.
nlohmann::json put_connection_request(std::string_view table, const ConnectionId& connection,
                                      std::int64_t connected_at_ms, std::int64_t expires_at);
// Points the connection item at `room`; answers UPDATED_OLD: the room it was in, if any.
nlohmann::json set_connection_room_request(std::string_view table, const ConnectionId& connection,
                                           const RoomId& room, std::int64_t expires_at);
// Clears the connection's room, if it has one and has not expired; answers UPDATED_OLD.
nlohmann::json clear_connection_room_request(std::string_view table, const ConnectionId& connection,
                                             std::int64_t now);
// Deletes the connection item; answers ALL_OLD: the room it was in, if any.
nlohmann::json delete_connection_request(std::string_view table, const ConnectionId& connection);

// --- Answers -----------------------------------------------------------------------------------
// `item` is an answer's "Item" or "Attributes" (an attribute map), or null when absent. Malformed
// attributes (our own table, so a bug or a foreign writer) are thrown as StoreError.

// The item's expiresAt, or nullopt when it has none.
std::optional<std::int64_t> item_expires_at(const nlohmann::json& item);
// False for a missing item and for an item whose expiresAt has passed.
bool is_live_item(const nlohmann::json& item, std::int64_t now);
bool has_members_map(const nlohmann::json& item);
// Every entry of the members map, live or not, ordered by expiry then id (roughly join order).
std::vector<Member> parse_members(const nlohmann::json& item);
// The live members' ids other than `except`, in parse_members' order.
std::vector<ConnectionId> live_members_except(std::span<const Member> members,
                                              const ConnectionId& except, std::int64_t now);
bool is_live_member(std::span<const Member> members, const ConnectionId& who, std::int64_t now);
// The room a connection item names, when the item is live.
std::optional<RoomId> parse_connection_room(const nlohmann::json& item, std::int64_t now);

// "The document path provided in the update expression is invalid for update": a nested SET into
// a map that does not exist yet.
bool is_missing_map_error(const AwsError& error);

}  // namespace videochat::aws
