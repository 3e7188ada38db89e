// Where connections and room membership live. The handlers see only this interface: the local
// stack uses the in-memory store, AWS a DynamoDB table. Every call is atomic and safe to make from
// several threads (or Lambda instances) at once; implementations throw StoreError when the backing
// store cannot be reached, which the handlers turn into a 500 and an INTERNAL_ERROR to the client.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "wire_protocol.hpp"

namespace videochat::lambdas {

using protocol::ConnectionId;
using protocol::RoomId;

struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Members a room admits unless configured otherwise, in every store. Six keeps a mesh call
// (n·(n-1) streams) within what browsers and home uplinks sustain.
inline constexpr std::size_t kDefaultRoomCapacity = 6;

// join_room refused: the room already holds as many members as a store allows. Nothing changed
// (the joiner is still in its previous room, if any). A StoreError so that a handler that does
// not know about capacity still answers instead of crashing.
struct RoomFullError : StoreError {
  RoomFullError(RoomId full_room, std::size_t room_capacity)
      : StoreError("room '" + full_room.value + "' is full: it admits " +
                   std::to_string(room_capacity) + " members"),
        room(std::move(full_room)),
        capacity(room_capacity) {}

  RoomId room;
  std::size_t capacity;
};

// A room as one connection left it: who is still there to be told.
struct Departure {
  RoomId room;
  std::vector<ConnectionId> remaining_members;
};

struct JoinOutcome {
  bool already_member = false;             // joining the room one is in changes nothing
  std::optional<Departure> left;           // the previous room, when joining moved rooms
  std::vector<ConnectionId> other_members; // members of the joined room besides the joiner
};

class RoomStore {
 public:
  virtual ~RoomStore() = default;

  virtual void add_connection(const ConnectionId& connection, std::int64_t connected_at_ms) = 0;
  // A connection is in one room at a time: joining a room leaves the previous one.
  virtual JoinOutcome join_room(const ConnectionId& connection, const RoomId& room) = 0;
  virtual std::optional<Departure> leave_room(const ConnectionId& connection) = 0;
  // Forgets the connection; returns the room it was in, if any.
  virtual std::optional<Departure> remove_connection(const ConnectionId& connection) = 0;
  // The per-message read: the members of `room` other than `sender`, or nothing when the sender
  // is not a member of that room.
  virtual std::optional<std::vector<ConnectionId>> relay_targets(const RoomId& room,
                                                                 const ConnectionId& sender) = 0;
};

}  // namespace videochat::lambdas
