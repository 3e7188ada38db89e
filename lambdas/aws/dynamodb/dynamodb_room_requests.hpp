// The rooms table's items and the DynamoDB requests that read and write them, as pure functions:
// JSON in, JSON out, no I/O. dynamodb_room_store.cpp puts them in order; docs/aws.md's "DynamoDB
// table design" explains the layout.
//
//   pk = "ROOM#<room>", sk = "ROOM": members {connectionId -> {e: expiresAt, p: peerId?,
//                                    n: name?}}, peers {peerId -> connectionId}, expiresAt
//                                    passcode? (hash record), locked? (BOOL): the room's gate
//   pk = "CONN#<id>",   sk = "CONN": connectedAt (ms), room and peerId (while in a room), expiresAt
//   pk = "ATTEMPT#<key>", sk = "ATTEMPT": failures, lastFailureAt, expiresAt: wrong passcodes
//                                    counted by connection or address (passcode_attempts.hpp)
//
// A room's gate holds while the members map has a live member; the first member of an empty room
// sets it anew, and the last one out removes it.
//
// `peers` indexes the members' peerIds so that a condition can say "nobody else has this peerId"
// (a condition cannot search a map's values). It is kept exact by the writes that add and remove
// members; an entry that went stale anyway (a member expired) is pruned like an expired member.
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
inline constexpr std::string_view kPeersAttribute = "peers";
inline constexpr std::string_view kRoomAttribute = "room";
inline constexpr std::string_view kPeerIdAttribute = "peerId";
inline constexpr std::string_view kConnectedAtAttribute = "connectedAt";
inline constexpr std::string_view kPasscodeAttribute = "passcode";
inline constexpr std::string_view kLockedAttribute = "locked";
inline constexpr std::string_view kFailuresAttribute = "failures";
inline constexpr std::string_view kLastFailureAttribute = "lastFailureAt";
// A member entry's fields, one letter each: the room item is read for every relayed message.
inline constexpr std::string_view kEntryExpiresAt = "e";
inline constexpr std::string_view kEntryPeerId = "p";
inline constexpr std::string_view kEntryName = "n";
inline constexpr std::string_view kEntryNonce = "r";          // resume nonce (ResumeClaim)
inline constexpr std::string_view kEntryPreviousNonce = "q";  // the one a resume presented

std::string room_partition_key(const RoomId& room);                    // "ROOM#<room>"
std::string connection_partition_key(const ConnectionId& connection);  // "CONN#<id>"
std::string attempt_partition_key(std::string_view attempt_key);       // "ATTEMPT#<key>"

// A room's member entry: present until it expires (epoch seconds), whatever TTL has deleted.
struct Member {
  ConnectionId id;
  std::int64_t expires_at = 0;
  lambdas::ParticipantProfile profile;
  // Written before protocol v2 (the entry is just the expiry): read as a member without a profile
  // until it expires.
  bool bare_expiry = false;
  std::string nonce;  // its resume nonces (ResumeClaim); empty in entries written before them
  std::optional<std::string> previous_nonce;

  friend bool operator==(const Member&, const Member&) = default;
};

// One entry of the peers index.
struct PeerEntry {
  lambdas::PeerId peer;
  ConnectionId holder;

  friend bool operator==(const PeerEntry&, const PeerEntry&) = default;
};

// Where a connection item says the connection is.
struct ConnectionPlace {
  RoomId room;
  std::optional<lambdas::PeerId> peer;
};

// Items and members are live until their expiresAt; dynalite never deletes them, and DynamoDB's
// TTL deletes them only eventually, so every read checks.
inline bool is_live(std::int64_t expires_at, std::int64_t now) {
  return expires_at > now;
}

// --- Requests ----------------------------------------------------------------------------------

// The per-message read: one strongly consistent GetItem of the room item.
nlohmann::json get_room_request(std::string_view table, const RoomId& room);
// Adds (or refreshes) `connection` with its profile in the room's members map, if the room holds
// fewer than `capacity` entries or already holds this one, and (with a peerId) if no other
// connection holds that peerId in the peers index. Answers ALL_OLD: who was there before.
// Fails with a document-path ValidationException when the room item lacks a map.
// The entry records `nonce` as the member's resume nonce.
// Only if the room's gate is the one `admission` was checked against (its passcode record, or
// none) and, unless the admission passes the lock, the room is unlocked or the joiner a member.
nlohmann::json add_member_request(std::string_view table, const RoomId& room,
                                  const ConnectionId& connection,
                                  const lambdas::ParticipantProfile& profile,
                                  std::string_view nonce, std::int64_t expires_at,
                                  std::size_t capacity, const lambdas::Admission& admission = {});
// The first member of an empty room (its members map empty, expired entries pruned): enters it
// and sets the room's gate to `passcode` (or none), unlocked. Answers ALL_OLD.
nlohmann::json first_member_request(std::string_view table, const RoomId& room,
                                    const ConnectionId& connection,
                                    const lambdas::ParticipantProfile& profile,
                                    std::string_view nonce, std::int64_t expires_at,
                                    const std::optional<std::string>& passcode);
// The last one out closes the gate: removes the passcode and the lock if no member is left.
nlohmann::json close_gate_request(std::string_view table, const RoomId& room);
// Locks or unlocks the room if `member` is in it; answers ALL_NEW: who to tell.
nlohmann::json set_lock_request(std::string_view table, const RoomId& room,
                                const ConnectionId& member, bool locked);
// Wrong passcodes under one key: read (strongly consistent), and written as `record` over the
// record read (none when there was none).
nlohmann::json get_attempts_request(std::string_view table, std::string_view attempt_key);
nlohmann::json put_attempts_request(std::string_view table, std::string_view attempt_key,
                                    const lambdas::AttemptRecord& record,
                                    const std::optional<lambdas::AttemptRecord>& read);
// A resume: `replaced` leaves the members map and `connection` enters it, taking the profile's
// peerId over, in one write; only if `replaced` is still a member holding that peerId whose
// current or previous nonce is `claim.presented`. The new entry records `claim.issued`, and
// `claim.presented` as its previous nonce. No capacity condition: the count does not change.
// Answers ALL_OLD.
nlohmann::json replace_member_request(std::string_view table, const RoomId& room,
                                      const ConnectionId& connection,
                                      const lambdas::ParticipantProfile& profile,
                                      const ConnectionId& replaced,
                                      const lambdas::ResumeClaim& claim, std::int64_t expires_at);
// Makes sure the room item has both maps (creating the item if need be); changes nothing else.
nlohmann::json ensure_room_maps_request(std::string_view table, const RoomId& room,
                                        std::int64_t expires_at);
// Removes `connection` from the room (an existing room only) and, with `peer`, its peers index
// entry, only if that entry is still its own. Answers ALL_OLD: whether it was a member, and who
// else was.
nlohmann::json remove_member_request(std::string_view table, const RoomId& room,
                                     const ConnectionId& connection,
                                     const std::optional<lambdas::PeerId>& peer = std::nullopt);
// Removes expired member entries and stale peers index entries, each only if it still holds what
// was read: an entry a concurrent join refreshed or took over stays.
nlohmann::json prune_members_request(std::string_view table, const RoomId& room,
                                     std::span<const Member> expired,
                                     std::span<const PeerEntry> stale_peers = {});
// Records a connection ($connect), keeping the room it may already have joined.
nlohmann::json put_connection_request(std::string_view table, const ConnectionId& connection,
                                      std::int64_t connected_at_ms, std::int64_t expires_at);
// Points the connection item at `room` and its peerId (removed when none); answers ALL_OLD: the
// room it was in, if any, and the peerId it had there.
nlohmann::json set_connection_room_request(std::string_view table, const ConnectionId& connection,
                                           const RoomId& room,
                                           const std::optional<lambdas::PeerId>& peer,
                                           std::int64_t expires_at);
// Clears the connection's room and peerId, if it has a room and has not expired; answers ALL_OLD.
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
bool has_peers_map(const nlohmann::json& item);
// Every entry of the members map, live or not, ordered by expiry then id (roughly join order).
std::vector<Member> parse_members(const nlohmann::json& item);
// Every entry of the peers index.
std::vector<PeerEntry> parse_peers(const nlohmann::json& item);
// The live members' ids other than `except`, in parse_members' order.
std::vector<ConnectionId> live_members_except(std::span<const Member> members,
                                              const ConnectionId& except, std::int64_t now);
// The same with their profiles, leaving out `except` and `also_except` (a replaced member).
std::vector<lambdas::Participant> live_participants_except(
    std::span<const Member> members, const ConnectionId& except, std::int64_t now,
    const std::optional<ConnectionId>& also_except = std::nullopt);
bool is_live_member(std::span<const Member> members, const ConnectionId& who, std::int64_t now);
const Member* find_member(std::span<const Member> members, const ConnectionId& who);
// Index entries that no live member backs: their holder is gone, expired, or has another peerId.
std::vector<PeerEntry> stale_peer_entries(std::span<const PeerEntry> peers,
                                          std::span<const Member> members, std::int64_t now);
// The room's gate as the item holds it: occupied when a member entry is live.
lambdas::RoomGate parse_room_gate(const nlohmann::json& item, std::int64_t now);
// An attempts item's record; nothing when there is no item.
std::optional<lambdas::AttemptRecord> parse_attempts(const nlohmann::json& item);
// The room (and peerId) a connection item names, when the item is live.
std::optional<ConnectionPlace> parse_connection_place(const nlohmann::json& item, std::int64_t now);

// "The document path provided in the update expression is invalid for update": a nested SET into
// a map that does not exist yet.
bool is_missing_map_error(const AwsError& error);

}  // namespace videochat::aws
