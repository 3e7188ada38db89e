// The RoomStore of the AWS deployment: rooms and connections in one DynamoDB table (see the
// docs/aws.md, "DynamoDB table design"). Relaying a message reads one room item, strongly consistent
// and well under 4 KB: one read unit, however many connections the table holds.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "dynamodb_client.hpp"
#include "dynamodb_room_requests.hpp"
#include "room_store.hpp"

namespace videochat::aws {

using lambdas::ConnectionId;
using lambdas::RoomId;

struct DynamoDbRoomStoreOptions {
  // Members a room admits; join_room throws RoomFullError beyond. The default (6) also keeps a
  // room item near 300 B.
  std::size_t room_capacity = lambdas::kDefaultRoomCapacity;
  // How long items live without a write: API Gateway closes a connection after 2 hours, plus
  // 10 minutes of grace so that a live connection's items never expire first.
  std::chrono::seconds item_lifetime = std::chrono::hours(2) + std::chrono::minutes(10);
};

// Seconds since the Unix epoch: the unit of DynamoDB's TTL. Injectable so tests can age items.
using EpochClock = std::function<std::int64_t()>;
EpochClock system_epoch_clock();

class DynamoDbRoomStore final : public lambdas::RoomStore {
 public:
  DynamoDbRoomStore(DynamoDbClient& client, std::string table,
                    DynamoDbRoomStoreOptions options = {}, EpochClock clock = system_epoch_clock());

  using lambdas::RoomStore::join_room;

  void add_connection(const ConnectionId& connection, std::int64_t connected_at_ms) override;
  // Throws RoomFullError when the room holds room_capacity live members, PeerIdInUseError when a
  // live member has the joiner's peerId (unless it may be replaced); members that expired are
  // pruned first, so they never keep anyone out, nor hold a peerId.
  lambdas::JoinOutcome join_room(const ConnectionId& connection, const RoomId& room,
                                 const lambdas::ParticipantProfile& profile,
                                 const lambdas::ResumeClaim& claim,
                                 const lambdas::Admission& admission) override;
  // One strongly consistent GetItem of the room item.
  lambdas::RoomGate read_room_gate(const RoomId& room) override;
  // One conditional UpdateItem.
  std::optional<std::vector<ConnectionId>> set_room_lock(const RoomId& room,
                                                         const ConnectionId& member,
                                                         bool locked) override;
  // A GetItem of the key's attempts item; recording one more adds a conditional UpdateItem.
  lambdas::AttemptRecord passcode_failures(const std::string& key, std::int64_t now) override;
  lambdas::AttemptRecord record_passcode_failure(const std::string& key,
                                                 std::int64_t now) override;
  std::optional<lambdas::Departure> leave_room(const ConnectionId& connection) override;
  std::optional<lambdas::Departure> remove_connection(const ConnectionId& connection) override;
  std::optional<lambdas::Departure> evict(const ConnectionId& member, const RoomId& room,
                                          const std::optional<lambdas::PeerId>& peer) override;
  // One strongly consistent GetItem of the room item.
  bool read_relay_targets(const RoomId& room, const ConnectionId& sender,
                          lambdas::RelayTargets& out) override;

  // The capacity units the last completed operation consumed, summed over its requests, as
  // DynamoDB reported them (a failed conditional write reports none, though AWS bills it).
  ConsumedCapacity last_consumed() const;

 private:
  class Operation;

  // The room item as it was before `connection` entered it, and the member it replaced, if any;
  // or RoomFullError / PeerIdInUseError.
  struct Added {
    nlohmann::json before;
    std::optional<ConnectionId> replaced;
    lambdas::RoomGate gate;  // after the join
  };
  Added add_member(Operation& operation, const ConnectionId& connection, const RoomId& room,
                   const lambdas::ParticipantProfile& profile, const lambdas::ResumeClaim& claim,
                   const lambdas::Admission& admission);
  // Nothing when `connection` was not a member (a resume replaced it); the room with no one left
  // to tell when the room item is gone.
  std::optional<lambdas::Departure> remove_member(Operation& operation,
                                                  const ConnectionId& connection,
                                                  const ConnectionPlace& place);

  DynamoDbClient& client_;
  std::string table_;
  DynamoDbRoomStoreOptions options_;
  EpochClock clock_;

  mutable std::mutex consumed_mutex_;
  ConsumedCapacity last_consumed_;
};

}  // namespace videochat::aws
