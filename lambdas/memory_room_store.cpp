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
  out.reserve(it->second.members.size());
  for (const auto& member : it->second.members) {
    if (member.connection.value != who) out.push_back(member.connection);
  }
  return out;
}

std::vector<Participant> MemoryRoomStore::participants_except(const std::string& room,
                                                              const ConnectionId& who) const {
  std::vector<Participant> out;
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return out;
  out.reserve(it->second.members.size());
  for (const auto& member : it->second.members) {
    if (member.connection != who) out.push_back(member);
  }
  return out;
}

std::optional<Departure> MemoryRoomStore::leave_locked(const std::string& connection,
                                                       Connection& record) {
  if (!record.room) return std::nullopt;
  RoomId room = std::move(*record.room);
  record.room.reset();
  record.nonce.clear();
  record.previous_nonce.reset();
  auto it = rooms_.find(room.value);
  if (it != rooms_.end()) {
    auto& members = it->second.members;
    std::erase_if(members, [&](const Participant& m) { return m.connection.value == connection; });
    if (members.empty()) rooms_.erase(it);
  }
  Departure departure{room, members_except(room.value, connection)};
  return departure;
}

JoinOutcome MemoryRoomStore::join_room(const ConnectionId& connection, const RoomId& room,
                                       const ParticipantProfile& profile,
                                       const ResumeClaim& claim, const Admission& admission) {
  std::lock_guard lock(mutex_);
  auto known = connections_.find(connection.value);
  const bool already_member = known != connections_.end() && known->second.room == room;
  auto target = rooms_.find(room.value);
  if (target != rooms_.end()) {
    if (target->second.passcode != admission.checked_passcode) throw GateChangedError(room);
    if (target->second.locked && !already_member && !admission.passes_lock) {
      throw RoomLockedError(room);
    }
  }

  // Every check comes before anything is touched, and under the same lock as the change: a
  // refused joiner changes nothing (it stays in its previous room), and concurrent joiners can
  // never push a room past its capacity nor both hold one peerId.
  std::optional<ConnectionId> holder;
  if (profile.peer_id && target != rooms_.end()) {
    for (const auto& member : target->second.members) {
      if (member.profile.peer_id == profile.peer_id && member.connection != connection) {
        holder = member.connection;
      }
    }
  }
  if (holder) {
    const Connection& held = connections_[holder->value];
    if (!claim.names(held.nonce, held.previous_nonce)) {
      throw PeerIdInUseError(room, *profile.peer_id, *holder);
    }
  }
  // The peerId check comes first: a resumer is admitted to a full room, since it leaves the count
  // as it was.
  if (!holder && !already_member && target != rooms_.end() &&
      target->second.members.size() >= room_capacity_) {
    throw RoomFullError(room, room_capacity_);
  }

  JoinOutcome outcome;
  outcome.capacity = room_capacity_;
  if (holder) {
    std::erase_if(target->second.members, [&](const Participant& m) { return m.connection == *holder; });
    // The replaced connection is still open (the handler closes it) but in no room: its
    // disconnect, when it comes, concerns nobody.
    if (auto replaced = connections_.find(holder->value); replaced != connections_.end()) {
      replaced->second.room.reset();
    }
    outcome.replaced = std::move(holder);
  }
  if (already_member) {
    outcome.already_member = true;
    for (auto& member : target->second.members) {
      if (member.connection != connection) continue;
      outcome.profile_changed = !(member.profile == profile);
      member.profile = profile;
    }
  } else {
    // A connection the store never saw (its $connect was lost) can still join: membership must
    // not depend on a record that may have expired.
    Connection& record =
        known != connections_.end() ? known->second : connections_[connection.value];
    outcome.left = leave_locked(connection.value, record);
    auto [entered, created] = rooms_.try_emplace(room.value);
    if (created) entered->second.passcode = admission.first_passcode;
    entered->second.members.push_back({connection, profile});
    record.room = room;
  }
  Connection& record = connections_[connection.value];
  record.nonce = claim.issued;
  record.previous_nonce = outcome.replaced ? claim.presented : std::nullopt;
  outcome.other_members = participants_except(room.value, connection);
  const Room& joined = rooms_.at(room.value);
  outcome.gate = {true, joined.passcode, joined.locked};
  return outcome;
}

RoomGate MemoryRoomStore::read_room_gate(const RoomId& room) {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(room.value);
  if (it == rooms_.end()) return {};
  return {true, it->second.passcode, it->second.locked};
}

std::optional<std::vector<ConnectionId>> MemoryRoomStore::set_room_lock(const RoomId& room,
                                                                        const ConnectionId& member,
                                                                        bool locked) {
  std::lock_guard lock(mutex_);
  auto known = connections_.find(member.value);
  if (known == connections_.end() || known->second.room != room) return std::nullopt;
  Room& target = rooms_.at(room.value);
  target.locked = locked;
  std::vector<ConnectionId> everyone;
  for (const auto& each : target.members) everyone.push_back(each.connection);
  return everyone;
}

AttemptRecord MemoryRoomStore::passcode_failures(const std::string& key, std::int64_t now) {
  std::lock_guard lock(mutex_);
  auto it = attempts_.find(key);
  return it == attempts_.end() ? AttemptRecord{} : current(it->second, now);
}

AttemptRecord MemoryRoomStore::record_passcode_failure(const std::string& key, std::int64_t now) {
  std::lock_guard lock(mutex_);
  // Forgotten records are dropped whenever the map doubles, so a guesser cycling through
  // addresses costs memory only for as long as the records matter.
  if (attempts_.size() >= attempts_pruned_at_ * 2) {
    std::erase_if(attempts_, [&](const auto& entry) { return current(entry.second, now).failures == 0; });
    attempts_pruned_at_ = std::max<std::size_t>(attempts_.size(), 1024);
  }
  AttemptRecord& record = attempts_[key];
  record = with_failure(record, now);
  return record;
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

bool MemoryRoomStore::read_relay_targets(const RoomId& room, const ConnectionId& sender,
                                         RelayTargets& out) {
  std::lock_guard lock(mutex_);
  auto it = connections_.find(sender.value);
  if (it == connections_.end() || it->second.room != room) return false;
  auto members = rooms_.find(room.value);
  if (members == rooms_.end()) return false;
  // Assigned element by element, so the strings `out` holds from the last message are reused.
  std::size_t others = 0;
  for (const auto& member : members->second.members) {
    if (member.connection == sender) {
      out.sender = member.profile;
    } else if (others < out.others.size()) {
      out.others[others++] = member.connection;
    } else {
      out.others.push_back(member.connection);
      ++others;
    }
  }
  out.others.resize(others);
  return true;
}

std::size_t MemoryRoomStore::connection_count() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

}  // namespace videochat::lambdas
