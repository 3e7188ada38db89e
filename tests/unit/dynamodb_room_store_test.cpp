// The DynamoDB room store's conversation with DynamoDB, one scripted answer at a time: which
// requests each operation makes, in which order, and what it concludes from the answers (full
// rooms, expired members, rooms not created yet, moves between rooms).
#include "dynamodb_room_store.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "fake_aws_transport.hpp"

namespace {

using nlohmann::json;
using videochat::aws::DynamoDbClient;
using videochat::aws::DynamoDbRoomStore;
using videochat::aws::DynamoDbRoomStoreOptions;
using videochat::aws::UnsignedRequests;
using videochat::lambdas::ConnectionId;
using videochat::lambdas::JoinOutcome;
using videochat::lambdas::Participant;
using videochat::lambdas::ParticipantProfile;
using videochat::lambdas::PeerId;
using videochat::lambdas::PeerIdInUseError;
using videochat::lambdas::ResumeClaim;
using videochat::lambdas::RoomFullError;
using videochat::lambdas::RoomId;
using videochat::lambdas::StoreError;
using videochat::test::FakeRetryTime;
using videochat::test::ScriptedTransport;

const RoomId kRoom{"lobby-1"};
const RoomId kOtherRoom{"lobby-2"};
const ConnectionId kAlice{"aliceConnId="};
const ConnectionId kBob{"bobConnIdAA="};
const ConnectionId kCarol{"carolConnId="};
const PeerId kPeer{"0123456789abcdef0123456789abcdef"};

constexpr std::int64_t kNow = 1'800'000'000;
constexpr std::int64_t kLifetime = 7800;  // 2 h 10 min

json n(std::int64_t value) {
  return {{"N", std::to_string(value)}};
}
json consumed(double units) {
  return {{"TableName", "rooms"}, {"CapacityUnits", units}};
}

// A room item's attributes with these members (id -> expiresAt), none with a profile, and this
// peers index (peerId -> connection id).
json room_attributes(const std::map<std::string, std::int64_t>& members,
                     const std::map<std::string, std::string>& peers = {}) {
  json map = json::object();
  std::int64_t latest = 0;
  for (const auto& [id, expires_at] : members) {
    map[id] = {{"M", {{"e", n(expires_at)}}}};
    latest = std::max(latest, expires_at);
  }
  json index = json::object();
  for (const auto& [peer, holder] : peers) index[peer] = {{"S", holder}};
  return {{"pk", {{"S", "ROOM#lobby-1"}}},
          {"sk", {{"S", "ROOM"}}},
          {"members", {{"M", map}}},
          {"peers", {{"M", index}}},
          {"expiresAt", n(latest)}};
}

// The resume nonce the tests record for `who`.
std::string nonce_of(const ConnectionId& who) {
  return "nonce-" + who.value;
}

// Gives `member` in `attributes` the peerId kPeer (and the index entry) and its nonce.
json with_peer(json attributes, const ConnectionId& member) {
  attributes["members"]["M"][member.value]["M"]["p"] = {{"S", kPeer.value}};
  attributes["members"]["M"][member.value]["M"]["r"] = {{"S", nonce_of(member)}};
  attributes["peers"]["M"][kPeer.value] = {{"S", member.value}};
  return attributes;
}

JoinOutcome join(DynamoDbRoomStore& store, const ConnectionId& who, const RoomId& room,
                 ParticipantProfile profile = {},
                 std::optional<std::string> presented = std::nullopt) {
  return store.join_room(who, room, profile, ResumeClaim{std::move(presented), nonce_of(who)});
}

std::vector<ConnectionId> ids(const std::vector<Participant>& participants) {
  std::vector<ConnectionId> out;
  for (const auto& participant : participants) out.push_back(participant.connection);
  return out;
}

struct Store {
  ScriptedTransport transport;
  UnsignedRequests signer;
  FakeRetryTime time;
  DynamoDbClient client{"http://127.0.0.1:8000", transport, signer, {}, time.timing()};
  std::int64_t now = kNow;
  DynamoDbRoomStore store{client, "rooms",
                          DynamoDbRoomStoreOptions{3, std::chrono::seconds(kLifetime)},
                          [this] { return now; }};

  std::vector<std::string> operations() const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < transport.requests.size(); ++i)
      out.push_back(transport.operation(i));
    return out;
  }
};

const std::string kConditionFailed = "ConditionalCheckFailedException";

}  // namespace

TEST_SUITE("DynamoDB room store: relay_targets") {
  TEST_CASE("is one strongly consistent GetItem: the other live members, in join order") {
    Store s;
    s.transport.answer_ok({{"Item", room_attributes({{kAlice.value, kNow + 10},
                                                     {kBob.value, kNow + 20},
                                                     {kCarol.value, kNow + 30}})},
                           {"ConsumedCapacity", consumed(1.0)}});
    auto targets = s.store.relay_targets(kRoom, kBob);
    REQUIRE(targets);
    CHECK(targets->others == std::vector<ConnectionId>{kAlice, kCarol});
    CHECK(targets->sender == ParticipantProfile{});
    REQUIRE(s.operations() == std::vector<std::string>{"GetItem"});
    CHECK(s.transport.body(0)["ConsistentRead"] == true);
    CHECK(s.store.last_consumed().read_units == 1.0);
    CHECK(s.store.last_consumed().write_units == 0.0);
  }

  TEST_CASE("leaves out members whose entry expired") {
    Store s;
    s.transport.answer_ok(
        {{"Item", room_attributes({{kAlice.value, kNow - 1}, {kBob.value, kNow + 20}})}});
    CHECK(s.store.relay_targets(kRoom, kBob)->others == std::vector<ConnectionId>{});
  }

  TEST_CASE("gives the sender's profile, for the relayed message's fromPeer") {
    Store s;
    s.transport.answer_ok(
        {{"Item",
          with_peer(room_attributes({{kAlice.value, kNow + 10}, {kBob.value, kNow + 20}}), kBob)}});
    auto targets = s.store.relay_targets(kRoom, kBob);
    REQUIRE(targets);
    CHECK(targets->sender.peer_id == kPeer);
    CHECK(targets->others == std::vector<ConnectionId>{kAlice});
  }

  TEST_CASE("is nothing for a sender who is not a member, or whose entry expired") {
    Store s;
    s.transport.answer_ok({{"Item", room_attributes({{kAlice.value, kNow + 10}})}});
    CHECK_FALSE(s.store.relay_targets(kRoom, kBob));
    s.transport.answer_ok(
        {{"Item", room_attributes({{kAlice.value, kNow + 10}, {kBob.value, kNow}})}});
    CHECK_FALSE(s.store.relay_targets(kRoom, kBob));
  }

  TEST_CASE("is nothing for a room that does not exist") {
    Store s;
    s.transport.answer_ok();
    CHECK_FALSE(s.store.relay_targets(kRoom, kBob));
  }

  TEST_CASE("a throttled read is retried; a failing one becomes a StoreError") {
    Store s;
    s.transport.answer_error(400, "ProvisionedThroughputExceededException", "slow down");
    s.transport.answer_ok({{"Item", room_attributes({{kBob.value, kNow + 10}})}});
    CHECK(s.store.relay_targets(kRoom, kBob));
    s.transport.answer_error(400, "ResourceNotFoundException", "Requested resource not found");
    CHECK_THROWS_AS(s.store.relay_targets(kRoom, kBob), StoreError);
  }
}

TEST_SUITE("DynamoDB room store: join_room") {
  TEST_CASE("into an existing room: add under the capacity condition, then point the connection") {
    Store s;
    s.transport.answer_ok({{"Attributes", room_attributes({{kAlice.value, kNow + 10}})},
                           {"ConsumedCapacity", consumed(1.0)}});
    s.transport.answer_ok({{"ConsumedCapacity", consumed(1.0)}});
    auto outcome = join(s.store, kBob, kRoom);
    CHECK_FALSE(outcome.already_member);
    CHECK_FALSE(outcome.left);
    CHECK_FALSE(outcome.replaced);
    CHECK(outcome.capacity == 3);
    CHECK(outcome.other_members == std::vector<Participant>{{kAlice, {}}});
    REQUIRE(s.operations() == std::vector<std::string>{"UpdateItem", "UpdateItem"});
    json add = s.transport.body(0);
    CHECK(add["ExpressionAttributeNames"]["#id"] == kBob.value);
    CHECK(add["ExpressionAttributeValues"][":expires"] == n(kNow + kLifetime));
    CHECK(add["ExpressionAttributeValues"][":capacity"] == n(3));
    json point = s.transport.body(1);
    CHECK(point["Key"]["pk"]["S"] == "CONN#bobConnIdAA=");
    CHECK(point["ExpressionAttributeValues"][":room"]["S"] == kRoom.value);
    CHECK(s.store.last_consumed().write_units == 2.0);
  }

  TEST_CASE("the other members come back with their profiles") {
    Store s;
    json before = with_peer(room_attributes({{kAlice.value, kNow + 10}}), kAlice);
    before["members"]["M"][kAlice.value]["M"]["n"] = {{"S", "Alice"}};
    s.transport.answer_ok({{"Attributes", before}});
    s.transport.answer_ok();
    auto outcome = join(s.store, kBob, kRoom, {PeerId{std::string(32, 'b')}, "Bob"});
    CHECK(outcome.other_members == std::vector<Participant>{{kAlice, {kPeer, "Alice"}}});
    CHECK(s.transport.body(1)["ExpressionAttributeValues"][":peer"]["S"] == std::string(32, 'b'));
  }

  TEST_CASE("into a room with no maps yet: the maps are made, then the add retried") {
    Store s;
    s.transport.answer_error(
        400, "ValidationException",
        "The document path provided in the update expression is invalid for update");
    s.transport.answer_ok();  // ensure the maps
    s.transport.answer_ok();  // add
    s.transport.answer_ok();  // point the connection
    auto outcome = join(s.store, kAlice, kRoom, {kPeer, std::nullopt});
    CHECK(outcome.other_members.empty());
    REQUIRE(s.transport.requests.size() == 4);
    CHECK(s.transport.body(1)["UpdateExpression"].get<std::string>().starts_with(
        "SET #members = if_not_exists(#members, :empty)"));
    CHECK(s.transport.body(2) == s.transport.body(0));
  }

  TEST_CASE("a room full of live members refuses with RoomFullError and nothing changes") {
    Store s;
    s.transport.answer_error(400, kConditionFailed, "The conditional request failed");
    s.transport.answer_ok({{"Item", room_attributes({{kAlice.value, kNow + 10},
                                                     {kBob.value, kNow + 10},
                                                     {kCarol.value, kNow + 10}})}});
    CHECK_THROWS_AS(join(s.store, ConnectionId{"daveConnIdA="}, kRoom), RoomFullError);
    // No prune, and the connection item is not touched.
    CHECK(s.operations() == std::vector<std::string>{"UpdateItem", "GetItem"});
  }

  TEST_CASE("a room full only because of expired members is pruned, then the join retried") {
    Store s;
    s.transport.answer_error(400, kConditionFailed, "The conditional request failed");
    s.transport.answer_ok({{"Item", room_attributes({{kAlice.value, kNow - 5},
                                                     {kBob.value, kNow + 10},
                                                     {kCarol.value, kNow - 1}})}});
    s.transport.answer_ok();  // prune
    s.transport.answer_ok({{"Attributes", room_attributes({{kBob.value, kNow + 10}})}});
    s.transport.answer_ok();  // point the connection
    ConnectionId dave{"daveConnIdA="};
    auto outcome = join(s.store, dave, kRoom);
    CHECK(ids(outcome.other_members) == std::vector<ConnectionId>{kBob});
    REQUIRE(s.operations() == std::vector<std::string>{"UpdateItem", "GetItem", "UpdateItem",
                                                       "UpdateItem", "UpdateItem"});
    json prune = s.transport.body(2);
    CHECK(prune["UpdateExpression"] == "REMOVE #members.#m0, #members.#m1");
    CHECK(prune["ExpressionAttributeNames"]["#m0"] == kAlice.value);
    CHECK(prune["ExpressionAttributeValues"][":e0"] == n(kNow - 5));
    CHECK(prune["ExpressionAttributeNames"]["#m1"] == kCarol.value);
  }

  TEST_CASE("after one prune and retry, a still-full room refuses") {
    Store s;
    auto full_with_expired = room_attributes(
        {{kAlice.value, kNow - 5}, {kBob.value, kNow + 10}, {kCarol.value, kNow + 10}});
    s.transport.answer_error(400, kConditionFailed, "The conditional request failed");
    s.transport.answer_ok({{"Item", full_with_expired}});
    s.transport.answer_error(400, kConditionFailed,
                             "The conditional request failed");  // prune lost
    s.transport.answer_error(400, kConditionFailed, "The conditional request failed");
    s.transport.answer_ok({{"Item", room_attributes({{kAlice.value, kNow + 20},
                                                     {kBob.value, kNow + 10},
                                                     {kCarol.value, kNow + 10}})}});
    CHECK_THROWS_AS(join(s.store, ConnectionId{"daveConnIdA="}, kRoom), RoomFullError);
    CHECK(s.transport.requests.size() == 5);
  }

  TEST_CASE("a peerId a live member holds is refused with PeerIdInUseError, nothing changed") {
    Store s;
    s.transport.answer_error(400, kConditionFailed, "The conditional request failed");
    s.transport.answer_ok({{"Item", with_peer(room_attributes({{kBob.value, kNow + 10}}), kBob)}});
    try {
      join(s.store, kAlice, kRoom, {kPeer, std::nullopt});
      FAIL("the peerId was admitted twice");
    } catch (const PeerIdInUseError& in_use) {
      CHECK(in_use.holder == kBob);
      CHECK(in_use.peer_id == kPeer);
    }
    CHECK(s.operations() == std::vector<std::string>{"UpdateItem", "GetItem"});
  }

  TEST_CASE("a resume replaces the holder in one conditional write, even in a full room") {
    Store s;
    json room = with_peer(
        room_attributes(
            {{kBob.value, kNow + 10}, {kCarol.value, kNow + 10}, {"daveConnIdA=", kNow + 10}}),
        kBob);
    s.transport.answer_error(400, kConditionFailed, "The conditional request failed");
    s.transport.answer_ok({{"Item", room}});
    s.transport.answer_ok({{"Attributes", room}});  // replace
    s.transport.answer_ok();                        // point the connection
    auto outcome = join(s.store, kAlice, kRoom, {kPeer, std::nullopt}, nonce_of(kBob));
    CHECK(outcome.replaced == kBob);
    CHECK(ids(outcome.other_members) ==
          std::vector<ConnectionId>{kCarol, ConnectionId{"daveConnIdA="}});
    REQUIRE(s.operations() ==
            std::vector<std::string>{"UpdateItem", "GetItem", "UpdateItem", "UpdateItem"});
    json replace = s.transport.body(2);
    CHECK(replace["ExpressionAttributeNames"]["#old"] == kBob.value);
    CHECK(replace["ExpressionAttributeNames"]["#id"] == kAlice.value);
    // Only while Bob's entry still holds the nonce presented: a race with another resume loses.
    CHECK(replace["ConditionExpression"].get<std::string>().find(
              "#members.#old.#nonce = :claimed") != std::string::npos);
    CHECK(replace["ExpressionAttributeValues"][":claimed"]["S"] == nonce_of(kBob));
    const json entry = replace["ExpressionAttributeValues"][":entry"]["M"];
    CHECK(entry["r"]["S"] == nonce_of(kAlice));
    CHECK(entry["q"]["S"] == nonce_of(kBob));
  }

  TEST_CASE("a resume naming another nonce than the holder's is refused without a write") {
    Store s;
    json room = with_peer(room_attributes({{kBob.value, kNow + 10}}), kBob);
    s.transport.answer_error(400, kConditionFailed, "The conditional request failed");
    s.transport.answer_ok({{"Item", room}});
    CHECK_THROWS_AS(join(s.store, kAlice, kRoom, {kPeer, std::nullopt}, "nonce-of-someone-else"),
                    videochat::lambdas::PeerIdInUseError);
    CHECK(s.operations() == std::vector<std::string>{"UpdateItem", "GetItem"});
  }

  TEST_CASE("a peerId held only by a stale index entry is freed, then the join retried") {
    Store s;
    s.transport.answer_error(400, kConditionFailed, "The conditional request failed");
    s.transport.answer_ok(
        {{"Item", room_attributes({{kBob.value, kNow + 10}}, {{kPeer.value, kCarol.value}})}});
    s.transport.answer_ok();  // prune the index entry
    s.transport.answer_ok({{"Attributes", room_attributes({{kBob.value, kNow + 10}})}});
    s.transport.answer_ok();  // point the connection
    auto outcome = join(s.store, kAlice, kRoom, {kPeer, std::nullopt});
    CHECK_FALSE(outcome.replaced);
    CHECK(s.transport.body(2)["UpdateExpression"] == "REMOVE #peers.#p0");
    CHECK(s.transport.requests.size() == 5);
  }

  TEST_CASE("moving rooms: add to the new one, then leave the old one, whose members are told") {
    Store s;
    s.transport.answer_ok({{"Attributes", room_attributes({{kCarol.value, kNow + 10}})}});
    s.transport.answer_ok(
        {{"Attributes", {{"room", {{"S", kRoom.value}}}, {"expiresAt", n(kNow + 100)}}}});
    s.transport.answer_ok(
        {{"Attributes", room_attributes({{kAlice.value, kNow + 10}, {kBob.value, kNow + 10}})}});
    auto outcome = join(s.store, kAlice, kOtherRoom);
    CHECK(ids(outcome.other_members) == std::vector<ConnectionId>{kCarol});
    REQUIRE(outcome.left);
    CHECK(outcome.left->room == kRoom);
    CHECK(outcome.left->remaining_members == std::vector<ConnectionId>{kBob});
    REQUIRE(s.transport.requests.size() == 3);
    CHECK(s.transport.body(0)["Key"]["pk"]["S"] == "ROOM#lobby-2");
    CHECK(s.transport.body(2)["Key"]["pk"]["S"] == "ROOM#lobby-1");
    CHECK(s.transport.body(2)["UpdateExpression"] == "REMOVE #members.#id");
  }

  TEST_CASE("joining the room one is in keeps one's place and is reported as such") {
    Store s;
    s.transport.answer_ok(
        {{"Attributes", room_attributes({{kAlice.value, kNow + 10}, {kBob.value, kNow + 5}})}});
    s.transport.answer_ok(
        {{"Attributes", {{"room", {{"S", kRoom.value}}}, {"expiresAt", n(kNow + 100)}}}});
    auto outcome = join(s.store, kAlice, kRoom);
    CHECK(outcome.already_member);
    CHECK_FALSE(outcome.left);
    CHECK(ids(outcome.other_members) == std::vector<ConnectionId>{kBob});
    CHECK(s.transport.requests.size() == 2);
    // Same profile (none) as the room's entry: nothing for the others to hear.
    CHECK_FALSE(outcome.profile_changed);
  }

  TEST_CASE("a previous room named by an expired connection item is not left again") {
    Store s;
    s.transport.answer_ok({{"Attributes", room_attributes({})}});
    s.transport.answer_ok(
        {{"Attributes", {{"room", {{"S", kRoom.value}}}, {"expiresAt", n(kNow - 1)}}}});
    auto outcome = join(s.store, kAlice, kOtherRoom);
    CHECK_FALSE(outcome.left);
    CHECK(s.transport.requests.size() == 2);
  }
}

TEST_SUITE("DynamoDB room store: leaving and forgetting") {
  TEST_CASE("leave_room clears the connection's room, then removes it from the room") {
    Store s;
    s.transport.answer_ok({{"Attributes", {{"room", {{"S", kRoom.value}}}}}});
    s.transport.answer_ok({{"Attributes", room_attributes({{kAlice.value, kNow + 10},
                                                           {kBob.value, kNow + 10},
                                                           {kCarol.value, kNow - 1}})}});
    auto departure = s.store.leave_room(kAlice);
    REQUIRE(departure);
    CHECK(departure->room == kRoom);
    CHECK(departure->remaining_members == std::vector<ConnectionId>{kBob});
    CHECK(s.transport.body(0)["UpdateExpression"] == "REMOVE #room, #peer");
  }

  TEST_CASE("leave_room when in no room is nothing, after one conditional write") {
    Store s;
    s.transport.answer_error(400, kConditionFailed, "The conditional request failed");
    CHECK_FALSE(s.store.leave_room(kAlice));
    CHECK(s.transport.requests.size() == 1);
  }

  TEST_CASE("leaving a room that TTL already deleted leaves no one to tell") {
    Store s;
    s.transport.answer_ok({{"Attributes", {{"room", {{"S", kRoom.value}}}}}});
    s.transport.answer_error(400, kConditionFailed, "The conditional request failed");
    auto departure = s.store.leave_room(kAlice);
    REQUIRE(departure);
    CHECK(departure->remaining_members.empty());
  }

  TEST_CASE("remove_connection deletes the connection item and leaves the room it named") {
    Store s;
    s.transport.answer_ok(
        {{"Attributes", {{"room", {{"S", kRoom.value}}}, {"expiresAt", n(kNow + 60)}}}});
    s.transport.answer_ok(
        {{"Attributes", room_attributes({{kAlice.value, kNow + 10}, {kBob.value, kNow + 10}})}});
    auto departure = s.store.remove_connection(kAlice);
    REQUIRE(departure);
    CHECK(departure->remaining_members == std::vector<ConnectionId>{kBob});
    CHECK(s.operations() == std::vector<std::string>{"DeleteItem", "UpdateItem"});
  }

  TEST_CASE("remove_connection of a connection a resume replaced is nothing: it left its room") {
    Store s;
    s.transport.answer_ok({{"Attributes",
                            {{"room", {{"S", kRoom.value}}},
                             {"peerId", {{"S", kPeer.value}}},
                             {"expiresAt", n(kNow + 60)}}}});
    // The index entry is the resumer's now, so the first removal's condition fails.
    s.transport.answer_error(400, kConditionFailed, "The conditional request failed");
    s.transport.answer_ok(
        {{"Attributes", with_peer(room_attributes({{kBob.value, kNow + 10}}), kBob)}});
    CHECK_FALSE(s.store.remove_connection(kAlice));
    CHECK(s.operations() == std::vector<std::string>{"DeleteItem", "UpdateItem", "UpdateItem"});
    CHECK(s.transport.body(1)["UpdateExpression"] == "REMOVE #members.#id, #peers.#peer");
    CHECK(s.transport.body(2)["UpdateExpression"] == "REMOVE #members.#id");
  }

  TEST_CASE("remove_connection of a connection in no room, or unknown, is nothing") {
    Store s;
    s.transport.answer_ok({{"Attributes", {{"expiresAt", n(kNow + 60)}}}});
    CHECK_FALSE(s.store.remove_connection(kAlice));
    s.transport.answer_ok();
    CHECK_FALSE(s.store.remove_connection(kAlice));
  }

  TEST_CASE("add_connection writes connectedAt and the item's expiry") {
    Store s;
    s.transport.answer_ok();
    s.store.add_connection(kAlice, 1'800'000'000'123);
    json body = s.transport.body(0);
    CHECK(body["ExpressionAttributeValues"][":connectedAt"] == n(1'800'000'000'123));
    CHECK(body["ExpressionAttributeValues"][":expires"] == n(kNow + kLifetime));
  }
}
