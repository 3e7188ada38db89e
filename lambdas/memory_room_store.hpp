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

  void add_connection(const ConnectionId& connection, std::int64_t connected_at_ms) override;
  JoinOutcome join_room(const ConnectionId& connection, const RoomId& room,
                        const ParticipantProfile& profile, const ResumeClaim& claim) override;
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

  const std::size_t room_capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Connection> connections_;
  // Insertion-ordered members per room: rooms are small (a mesh), a vector beats a set.
  std::unordered_map<std::string, std::vector<Participant>> rooms_;
};

}  // namespace videochat::lambdas
