// The in-memory RoomStore of the local stack: one process, shared by all its threads.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "room_store.hpp"

namespace videochat::lambdas {

class MemoryRoomStore final : public RoomStore {
 public:
  // join_room throws RoomFullError beyond `room_capacity` members; it must be at least 1
  // (std::invalid_argument otherwise).
  explicit MemoryRoomStore(std::size_t room_capacity = kDefaultRoomCapacity);

  using RoomStore::join_room;

  void add_connection(const ConnectionId& connection, std::int64_t connected_at_ms) override;
  JoinOutcome join_room(const ConnectionId& connection, const RoomId& room,
                        const ParticipantProfile& profile, const ResumeClaim& claim,
                        const Admission& admission) override;
  RoomGate read_room_gate(const RoomId& room) override;
  std::optional<std::vector<ConnectionId>> set_room_lock(const RoomId& room,
                                                         const ConnectionId& member,
                                                         bool locked) override;
  AttemptRecord passcode_failures(const std::string& key, std::int64_t now) override;
  AttemptRecord record_passcode_failure(const std::string& key, std::int64_t now) override;
  std::optional<Departure> leave_room(const ConnectionId& connection) override;
  std::optional<Departure> remove_connection(const ConnectionId& connection) override;
  bool read_relay_targets(const RoomId& room, const ConnectionId& sender,
                          RelayTargets& out) override;

  std::size_t connection_count() const;

 private:
  struct Connection {
    std::int64_t connected_at_ms = 0;
    std::optional<RoomId> room;
    // Its resume nonces while it is a member (ResumeClaim).
    std::string nonce;
    std::optional<std::string> previous_nonce;
  };

  // Both take the lock as held.
  std::optional<Departure> leave_locked(const std::string& connection, Connection& record);
  std::vector<ConnectionId> members_except(const std::string& room, const std::string& who) const;
  std::vector<Participant> participants_except(const std::string& room,
                                               const ConnectionId& who) const;

  // A room exists while it has members; its gate goes with it.
  struct Room {
    // Insertion-ordered: rooms are small (a mesh), a vector beats a set.
    std::vector<Participant> members;
    std::optional<std::string> passcode;
    bool locked = false;
  };

  const std::size_t room_capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Connection> connections_;
  std::unordered_map<std::string, Room> rooms_;
  // Wrong passcodes by key; records older than kPasscodeFailureMemory are dropped as the map grows.
  std::unordered_map<std::string, AttemptRecord> attempts_;
  std::size_t attempts_pruned_at_ = 1024;
};

}  // namespace videochat::lambdas
