#include "memory_room_store.hpp"

#include <algorithm>
#include <stdexcept>

namespace videochat::lambdas {

MemoryRoomStore::MemoryRoomStore(std::size_t room_capacity) : room_capacity_(room_capacity) {
  if (room_capacity == 0) throw std::invalid_argument("a room must admit at least 1 member");
}

void MemoryRoomStore::add_connection(const ConnectionId& connection, std::int64_t connected_at_ms) {
  std::lock_guard lock(mutex_);
  connections_[connection.value].connected_at_ms = connected_at_ms;
}

std::vector<ConnectionId> MemoryRoomStore::members_except(const std::string& room,
                                                          const std::string& who) const {
  std::vector<ConnectionId> out;
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return out;
  out.reserve(it->second.size());
  for (const auto& member : it->second) {
    if (member != who) out.push_back(ConnectionId{member});
  }
  return out;
}

std::optional<Departure> MemoryRoomStore::leave_locked(const std::string& connection,
                                                       Connection& record) {
  if (!record.room) return std::nullopt;
  RoomId room = std::move(*record.room);
  record.room.reset();
  auto it = rooms_.find(room.value);
  if (it != rooms_.end()) {
    auto& members = it->second;
    members.erase(std::remove(members.begin(), members.end(), connection), members.end());
    if (members.empty()) rooms_.erase(it);
  }
  Departure departure{room, members_except(room.value, connection)};
  return departure;
}

JoinOutcome MemoryRoomStore::join_room(const ConnectionId& connection, const RoomId& room) {
  std::lock_guard lock(mutex_);
  auto known = connections_.find(connection.value);
  JoinOutcome outcome;
  if (known != connections_.end() && known->second.room == room) {
    outcome.already_member = true;
    outcome.other_members = members_except(room.value, connection.value);
    return outcome;
  }
  // Checked before anything is touched, and under the same lock as the add: a refused joiner
  // changes nothing (it stays in its previous room), and concurrent joiners can never push a room
  // past its capacity.
  auto target = rooms_.find(room.value);
  if (target != rooms_.end() && target->second.size() >= room_capacity_) {
    throw RoomFullError(room, room_capacity_);
  }
  // A connection the store never saw (its $connect was lost) can still join: membership must
  // not depend on a record that may have expired.
  Connection& record = known != connections_.end() ? known->second : connections_[connection.value];
  outcome.left = leave_locked(connection.value, record);
  outcome.other_members = members_except(room.value, connection.value);
  rooms_[room.value].push_back(connection.value);
  record.room = room;
  return outcome;
}

std::optional<Departure> MemoryRoomStore::leave_room(const ConnectionId& connection) {
  std::lock_guard lock(mutex_);
  auto it = connections_.find(connection.value);
  if (it == connections_.end()) return std::nullopt;
  return leave_locked(connection.value, it->second);
}

std::optional<Departure> MemoryRoomStore::remove_connection(const ConnectionId& connection) {
  std::lock_guard lock(mutex_);
  auto it = connections_.find(connection.value);
  if (it == connections_.end()) return std::nullopt;
  auto departure = leave_locked(connection.value, it->second);
  connections_.erase(it);
  return departure;
}

std::optional<std::vector<ConnectionId>> MemoryRoomStore::relay_targets(
    const RoomId& room, const ConnectionId& sender) {
  std::lock_guard lock(mutex_);
  auto it = connections_.find(sender.value);
  if (it == connections_.end() || it->second.room != room) return std::nullopt;
  return members_except(room.value, sender.value);
}

std::size_t MemoryRoomStore::connection_count() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

}  // namespace videochat::lambdas
