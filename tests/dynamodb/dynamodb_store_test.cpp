// The DynamoDB room store against dynalite, a real DynamoDB-API server: every operation, capacity
// under concurrent joins, simultaneous joiners, expiry, and what relaying a message costs. Each
// case gets a table of its own; every request goes through the HTTP transport and SigV4 as on AWS
// (dynalite checks that requests are signed, not the signature).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <latch>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "beast_transport.hpp"
#include "dynalite_process.hpp"
#include "dynamodb_backend.hpp"
#include "dynamodb_config.hpp"
#include "dynamodb_room_requests.hpp"
#include "dynamodb_room_store.hpp"
#include "dynamodb_table.hpp"
#include "sigv4_request_signer.hpp"

namespace {

using nlohmann::json;
using namespace videochat::aws;
using videochat::lambdas::RoomFullError;
using videochat::test::DynaliteProcess;

std::string required_environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    throw std::runtime_error(std::string(name) +
                             " is not set (CTest sets it; see tests/CMakeLists.txt)");
  }
  return value;
}

// One dynalite for the whole program, started on first use.
DynaliteProcess& dynalite() {
  static DynaliteProcess process(required_environment("NODE"),
                                 required_environment("DYNALITE_LAUNCHER"));
  return process;
}

// The configuration a Lambda would read, pointed at dynalite by the SDKs' endpoint variable.
DynamoDbConfig config_for(const std::string& table) {
  std::map<std::string, std::string, std::less<>> variables = {
      {"AWS_REGION", "us-east-1"},
      {"VIDEOCHAT_TABLE", table},
      {"AWS_ENDPOINT_URL_DYNAMODB", dynalite().endpoint()},
      {"AWS_ACCESS_KEY_ID", "AKIDLOCAL"},
      {"AWS_SECRET_ACCESS_KEY", "local-secret"}};
  return dynamodb_config_from(
      [&](std::string_view name) -> std::optional<std::string> {
        auto it = variables.find(name);
        if (it == variables.end()) return std::nullopt;
        return it->second;
      },
      file_system_exists());
}

std::string fresh_table_name() {
  static std::atomic<int> counter{0};
  return "videochat-rooms-" + std::to_string(++counter);
}

std::int64_t epoch_now() {
  return system_epoch_clock()();
}

// The resume nonce the tests record for `who`.
std::string nonce_of(const ConnectionId& who) { return "nonce-" + who.value; }

// Joins as `who`, given nonce_of(who), presenting `presented` (a valid token's nonce) if any.
videochat::lambdas::JoinOutcome join(DynamoDbRoomStore& store, const ConnectionId& who,
                                     const RoomId& room,
                                     videochat::lambdas::ParticipantProfile profile = {},
                                     std::optional<std::string> presented = std::nullopt) {
  return store.join_room(who, room, profile,
                         videochat::lambdas::ResumeClaim{std::move(presented), nonce_of(who)});
}

std::vector<ConnectionId> ids(const std::vector<videochat::lambdas::Participant>& participants) {
  std::vector<ConnectionId> out;
  for (const auto& participant : participants) out.push_back(participant.connection);
  return out;
}

// The other members relay_targets names, or nothing when it names none.
std::optional<std::vector<ConnectionId>> others(
    const std::optional<videochat::lambdas::RelayTargets>& targets) {
  if (!targets) return std::nullopt;
  return targets->others;
}

ConnectionId connection(int i) {
  return ConnectionId{"conn" + std::to_string(i) + "AAAAAAA="};
}

// A table of its own, created as the local mode would create it.
struct Table {
  std::string name = fresh_table_name();
  DynamoDbBackend admin{config_for(name)};
  TableSetup setup = ensure_table(admin.client(), name, RetryTiming::system());

  json item(const std::string& pk, const std::string& sk) {
    json answer =
        admin.client().call("GetItem", {{"TableName", name},
                                        {"Key", {{"pk", {{"S", pk}}}, {"sk", {{"S", sk}}}}},
                                        {"ConsistentRead", true}});
    return answer.value("Item", json());
  }
  json room_item(const RoomId& room) { return item(room_partition_key(room), "ROOM"); }
  json connection_item(const ConnectionId& id) {
    return item(connection_partition_key(id), "CONN");
  }
};

// A store with its own HTTP connections and clock: another Lambda instance.
struct Instance {
  Instance(const Table& table, DynamoDbRoomStoreOptions options = {},
           EpochClock clock = system_epoch_clock())
      : backend(config_for(table.name)),
        store(backend.client(), table.name, options, std::move(clock)) {}
  DynamoDbBackend backend;
  DynamoDbRoomStore store;
};

std::int64_t number(const json& attribute) {
  return std::stoll(attribute.at("N").get<std::string>());
}

// An item's size as DynamoDB bills it (roughly: names and values in bytes, numbers about one byte
// per two digits, 3 bytes per map plus 1 per entry).
std::size_t dynamodb_item_size(const json& attributes) {
  std::size_t size = 0;
  for (const auto& [name, value] : attributes.items()) {
    size += name.size();
    if (value.contains("S")) {
      size += value["S"].get<std::string>().size();
    } else if (value.contains("N")) {
      size += value["N"].get<std::string>().size() / 2 + 1;
    } else if (value.contains("M")) {
      size += 3 + value["M"].size() + dynamodb_item_size(value["M"]);
    }
  }
  return size;
}

bool contains(const std::vector<ConnectionId>& ids, const ConnectionId& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

const RoomId kRoom{"room-1"};
const RoomId kOtherRoom{"room-2"};

// A distinct valid peerId per number.
videochat::lambdas::PeerId peer(int i) {
  std::string hex = std::to_string(i);
  return videochat::lambdas::PeerId{std::string(32 - hex.size(), 'a') + hex};
}

}  // namespace

TEST_SUITE("DynamoDB store against dynalite: the table") {
  TEST_CASE("ensure_table creates the table once and finds it the second time") {
    Table table;
    CHECK(table.setup.created);
    auto again = ensure_table(table.admin.client(), table.name, RetryTiming::system());
    CHECK_FALSE(again.created);
    // dynalite 4.0.0 has no UpdateTimeToLive; the store's reads ignore expired items anyway.
    MESSAGE("TTL supported by the server: " << again.ttl_supported);
  }
}

TEST_SUITE("DynamoDB store against dynalite: operations") {
  TEST_CASE("a connection item holds connectedAt and the TTL attribute, 2 h 10 min ahead") {
    Table table;
    Instance one(table);
    auto before = epoch_now();
    one.store.add_connection(connection(1), 1'764'091'342'962);
    json item = table.connection_item(connection(1));
    REQUIRE(item.is_object());
    CHECK(number(item["connectedAt"]) == 1'764'091'342'962);
    CHECK(number(item["expiresAt"]) >= before + 7800);
    CHECK(number(item["expiresAt"]) <= epoch_now() + 7800);
  }

  TEST_CASE("the first joiner creates the room; the next is told who is there") {
    Table table;
    Instance one(table);
    auto first = join(one.store, connection(1), kRoom);
    CHECK(first.other_members.empty());
    CHECK_FALSE(first.already_member);
    CHECK_FALSE(first.left);
    auto second = join(one.store, connection(2), kRoom);
    CHECK(ids(second.other_members) == std::vector<ConnectionId>{connection(1)});

    json room = table.room_item(kRoom);
    REQUIRE(room.is_object());
    CHECK(room["members"]["M"].size() == 2);
    CHECK(number(room["expiresAt"]) >= epoch_now() + 7800 - 5);
    for (const auto& [id, entry] : room["members"]["M"].items()) {
      CHECK(number(entry["M"]["e"]) >= epoch_now() + 7800 - 5);
    }
    CHECK(table.connection_item(connection(2))["room"]["S"] == kRoom.value);
  }

  TEST_CASE("relay_targets: the others for a member; nothing for a non-member or unknown room") {
    Table table;
    Instance one(table);
    for (int i = 1; i <= 3; ++i) join(one.store, connection(i), kRoom);
    CHECK(others(one.store.relay_targets(kRoom, connection(2))) ==
          std::vector<ConnectionId>{connection(1), connection(3)});
    CHECK_FALSE(one.store.relay_targets(kRoom, connection(9)));
    CHECK_FALSE(one.store.relay_targets(RoomId{"nobody-here"}, connection(1)));
    join(one.store, connection(4), kOtherRoom);
    CHECK_FALSE(one.store.relay_targets(kOtherRoom, connection(1)));
  }

  TEST_CASE("joining the room one is in changes nothing") {
    Table table;
    Instance one(table);
    join(one.store, connection(1), kRoom);
    join(one.store, connection(2), kRoom);
    auto again = join(one.store, connection(1), kRoom);
    CHECK(again.already_member);
    CHECK_FALSE(again.left);
    CHECK(ids(again.other_members) == std::vector<ConnectionId>{connection(2)});
    CHECK(table.room_item(kRoom)["members"]["M"].size() == 2);
  }

  TEST_CASE("moving rooms leaves the old room, whose members are told; its relays stop") {
    Table table;
    Instance one(table);
    join(one.store, connection(1), kRoom);
    join(one.store, connection(2), kRoom);
    join(one.store, connection(3), kOtherRoom);
    auto moved = join(one.store, connection(1), kOtherRoom);
    CHECK(ids(moved.other_members) == std::vector<ConnectionId>{connection(3)});
    REQUIRE(moved.left);
    CHECK(moved.left->room == kRoom);
    CHECK(moved.left->remaining_members == std::vector<ConnectionId>{connection(2)});
    CHECK_FALSE(one.store.relay_targets(kRoom, connection(1)));
    CHECK(others(one.store.relay_targets(kRoom, connection(2))) == std::vector<ConnectionId>{});
    CHECK(others(one.store.relay_targets(kOtherRoom, connection(3))) ==
          std::vector<ConnectionId>{connection(1)});
  }

  TEST_CASE("leave_room returns who remains; leaving again is nothing") {
    Table table;
    Instance one(table);
    one.store.add_connection(connection(1), 1);
    join(one.store, connection(1), kRoom);
    join(one.store, connection(2), kRoom);
    auto left = one.store.leave_room(connection(1));
    REQUIRE(left);
    CHECK(left->room == kRoom);
    CHECK(left->remaining_members == std::vector<ConnectionId>{connection(2)});
    CHECK_FALSE(one.store.leave_room(connection(1)));
    CHECK_FALSE(one.store.leave_room(connection(7)));  // never seen
    CHECK_FALSE(one.store.relay_targets(kRoom, connection(1)));
    CHECK(table.connection_item(connection(1)).is_object());  // still connected
  }

  TEST_CASE("remove_connection forgets the connection and returns its room's remaining members") {
    Table table;
    Instance one(table);
    one.store.add_connection(connection(1), 1);
    one.store.add_connection(connection(2), 2);
    join(one.store, connection(1), kRoom);
    join(one.store, connection(2), kRoom);
    auto gone = one.store.remove_connection(connection(1));
    REQUIRE(gone);
    CHECK(gone->room == kRoom);
    CHECK(gone->remaining_members == std::vector<ConnectionId>{connection(2)});
    CHECK(table.connection_item(connection(1)).is_null());
    CHECK_FALSE(one.store.remove_connection(connection(1)));
    one.store.add_connection(connection(3), 3);
    CHECK_FALSE(one.store.remove_connection(connection(3)));  // in no room
    CHECK(table.room_item(kRoom)["members"]["M"].size() == 1);
  }

  TEST_CASE("the last member leaving leaves an empty room that the next joiner reuses") {
    Table table;
    Instance one(table);
    join(one.store, connection(1), kRoom);
    auto left = one.store.leave_room(connection(1));
    REQUIRE(left);
    CHECK(left->remaining_members.empty());
    CHECK(join(one.store, connection(2), kRoom).other_members.empty());
    CHECK(others(one.store.relay_targets(kRoom, connection(2))) == std::vector<ConnectionId>{});
  }
}

TEST_SUITE("DynamoDB store against dynalite: peerIds and resume") {
  using videochat::lambdas::PeerIdInUseError;

  TEST_CASE("a member's entry holds its peerId and name; relay_targets gives them back") {
    Table table;
    Instance one(table);
    join(one.store, connection(1), kRoom, {peer(1), "Ann"});
    auto second = join(one.store, connection(2), kRoom);
    REQUIRE(second.other_members.size() == 1);
    CHECK(second.other_members[0].profile ==
          videochat::lambdas::ParticipantProfile{peer(1), "Ann"});
    json room = table.room_item(kRoom);
    CHECK(room["members"]["M"][connection(1).value]["M"]["p"]["S"] == peer(1).value);
    CHECK(room["members"]["M"][connection(1).value]["M"]["n"]["S"] == "Ann");
    CHECK(room["peers"]["M"][peer(1).value]["S"] == connection(1).value);
    auto targets = one.store.relay_targets(kRoom, connection(1));
    REQUIRE(targets);
    CHECK(targets->sender.peer_id == peer(1));
    CHECK(targets->others == std::vector<ConnectionId>{connection(2)});
  }

  TEST_CASE("a live member's peerId is refused to another connection, and nothing changes") {
    Table table;
    Instance one(table);
    join(one.store, connection(1), kRoom, {peer(1), std::nullopt});
    CHECK_THROWS_AS(join(one.store, connection(2), kRoom, {peer(1), std::nullopt}),
                    PeerIdInUseError);
    CHECK(table.room_item(kRoom)["members"]["M"].size() == 1);
    CHECK_FALSE(one.store.relay_targets(kRoom, connection(2)));
  }

  TEST_CASE("a resume in a full room replaces the holder; its removal later is silent") {
    Table table;
    DynamoDbRoomStoreOptions options;
    options.room_capacity = 3;
    Instance one(table, options);
    join(one.store, connection(1), kRoom, {peer(1), "Ann"});
    join(one.store, connection(2), kRoom);
    join(one.store, connection(3), kRoom);
    auto resumed = join(one.store, connection(9), kRoom, {peer(1), "Ann"},
                        nonce_of(connection(1)));
    CHECK(resumed.replaced == connection(1));
    CHECK(ids(resumed.other_members) == std::vector<ConnectionId>{connection(2), connection(3)});
    json room = table.room_item(kRoom);
    CHECK(room["members"]["M"].size() == 3);
    CHECK_FALSE(room["members"]["M"].contains(connection(1).value));
    CHECK(room["peers"]["M"][peer(1).value]["S"] == connection(9).value);
    CHECK_FALSE(one.store.relay_targets(kRoom, connection(1)));
    // The replaced connection's $disconnect: nobody to tell, and the resumer keeps its place.
    CHECK_FALSE(one.store.remove_connection(connection(1)));
    CHECK(table.room_item(kRoom)["peers"]["M"][peer(1).value]["S"] == connection(9).value);
    CHECK(others(one.store.relay_targets(kRoom, connection(9))) ==
          std::vector<ConnectionId>{connection(2), connection(3)});
  }

  TEST_CASE("a resume needs the holder's nonce; the one it used works until the next is used") {
    Table table;
    Instance one(table);
    join(one.store, connection(1), kRoom, {peer(1), "Ann"});
    CHECK_THROWS_AS(join(one.store, connection(2), kRoom, {peer(1), "Ann"}, "nonce-of-another"),
                    PeerIdInUseError);
    CHECK(join(one.store, connection(2), kRoom, {peer(1), "Ann"}, nonce_of(connection(1)))
              .replaced == connection(1));
    json entry = table.room_item(kRoom)["members"]["M"][connection(2).value]["M"];
    CHECK(entry["r"]["S"] == nonce_of(connection(2)));
    CHECK(entry["q"]["S"] == nonce_of(connection(1)));
    // The joined that carried connection 2's token was lost: connection 1's nonce still works...
    CHECK(join(one.store, connection(3), kRoom, {peer(1), "Ann"}, nonce_of(connection(1)))
              .replaced == connection(2));
    // ...until the newest one has been used.
    CHECK(join(one.store, connection(4), kRoom, {peer(1), "Ann"}, nonce_of(connection(3)))
              .replaced == connection(3));
    CHECK_THROWS_AS(join(one.store, connection(5), kRoom, {peer(1), "Ann"},
                         nonce_of(connection(1))),
                    PeerIdInUseError);
    CHECK(table.room_item(kRoom)["members"]["M"].size() == 1);
  }

  TEST_CASE("evict frees a peerId whose holder's connection item is already gone") {
    // A $disconnect that deleted the connection item, then failed before the room: the member
    // entry and its peerId stay until evicted.
    Table table;
    Instance one(table);
    join(one.store, connection(1), kRoom, {peer(1), std::nullopt});
    join(one.store, connection(3), kRoom, {peer(3), std::nullopt});
    table.admin.client().call(
        "DeleteItem", {{"TableName", table.name},
                       {"Key", {{"pk", {{"S", connection_partition_key(connection(1))}}},
                                {"sk", {{"S", "CONN"}}}}}});
    CHECK_FALSE(one.store.remove_connection(connection(1)));  // nothing left to find it by
    CHECK_THROWS_AS(join(one.store, connection(2), kRoom, {peer(1), std::nullopt}),
                    PeerIdInUseError);
    auto departure = one.store.evict(connection(1), kRoom, peer(1));
    REQUIRE(departure);
    CHECK(departure->remaining_members == std::vector<ConnectionId>{connection(3)});
    join(one.store, connection(2), kRoom, {peer(1), std::nullopt});
    CHECK(others(one.store.relay_targets(kRoom, connection(3))) ==
          std::vector<ConnectionId>{connection(2)});
  }

  TEST_CASE("a peerId is freed by leaving, and by moving rooms") {
    Table table;
    Instance one(table);
    join(one.store, connection(1), kRoom, {peer(1), std::nullopt});
    REQUIRE(one.store.leave_room(connection(1)));
    CHECK_FALSE(table.room_item(kRoom)["peers"]["M"].contains(peer(1).value));
    join(one.store, connection(2), kRoom, {peer(1), std::nullopt});
    join(one.store, connection(2), kOtherRoom, {peer(1), std::nullopt});
    CHECK_FALSE(table.room_item(kRoom)["peers"]["M"].contains(peer(1).value));
    CHECK_NOTHROW(join(one.store, connection(3), kRoom, {peer(1), std::nullopt}));
  }

  TEST_CASE("a peerId held by an expired member is taken over by a newcomer") {
    Table table;
    std::atomic<std::int64_t> now{epoch_now()};
    Instance lambda(table, {}, [&] { return now.load(); });
    join(lambda.store, connection(1), kRoom, {peer(1), std::nullopt});
    now += 3 * 3600;
    CHECK_FALSE(join(lambda.store, connection(2), kRoom, {peer(1), std::nullopt}).replaced);
    CHECK(table.room_item(kRoom)["peers"]["M"][peer(1).value]["S"] == connection(2).value);
  }

  TEST_CASE("10 connections claiming one peerId at once: exactly one holds it") {
    Table table;
    constexpr int kClaimants = 10;
    std::vector<std::unique_ptr<Instance>> lambdas;
    for (int i = 0; i < kClaimants; ++i) lambdas.push_back(std::make_unique<Instance>(table));
    std::latch start(kClaimants);
    std::atomic<int> admitted{0};
    std::atomic<int> refused{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kClaimants; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        try {
          join(lambdas[i]->store, connection(i), kRoom, {peer(1), std::nullopt});
          ++admitted;
        } catch (const PeerIdInUseError&) {
          ++refused;
        } catch (const std::exception&) {
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(admitted.load() == 1);
    CHECK(refused.load() == kClaimants - 1);
    CHECK(table.room_item(kRoom)["members"]["M"].size() == 1);
  }
}

TEST_SUITE("DynamoDB store against dynalite: concurrency") {
  TEST_CASE("20 simultaneous joiners of a room of 6, each with a peerId: exactly 6 admitted") {
    Table table;
    constexpr int kJoiners = 20;
    std::vector<std::unique_ptr<Instance>> lambdas;
    for (int i = 0; i < kJoiners; ++i) lambdas.push_back(std::make_unique<Instance>(table));
    std::latch start(kJoiners);
    std::mutex mutex;
    std::vector<ConnectionId> admitted;
    int refused = 0;
    std::vector<std::string> other_errors;
    std::vector<std::thread> threads;
    for (int i = 0; i < kJoiners; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        try {
          join(lambdas[i]->store, connection(i), kRoom, {peer(i), "Joiner " + std::to_string(i)});
          std::lock_guard lock(mutex);
          admitted.push_back(connection(i));
        } catch (const RoomFullError&) {
          std::lock_guard lock(mutex);
          ++refused;
        } catch (const std::exception& error) {
          std::lock_guard lock(mutex);
          other_errors.push_back(error.what());
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(other_errors.empty());
    for (const auto& error : other_errors) MESSAGE(error);
    CHECK(admitted.size() == 6);
    CHECK(refused == kJoiners - 6);

    json members = table.room_item(kRoom)["members"]["M"];
    CHECK(members.size() == 6);
    for (const auto& id : admitted) CHECK(members.contains(id.value));
    // The refused are in no room: they cannot relay.
    for (int i = 0; i < kJoiners; ++i) {
      if (!contains(admitted, connection(i)))
        CHECK_FALSE(lambdas[0]->store.relay_targets(kRoom, connection(i)));
    }
  }

  TEST_CASE("two simultaneous joiners of a new room see each other") {
    Table table;
    Instance first(table);
    Instance second(table);
    for (int round = 0; round < 20; ++round) {
      RoomId room{"pair-" + std::to_string(round)};
      ConnectionId a = connection(2 * round);
      ConnectionId b = connection(2 * round + 1);
      std::latch start(2);
      videochat::lambdas::JoinOutcome a_outcome;
      videochat::lambdas::JoinOutcome b_outcome;
      std::thread a_thread([&] {
        start.arrive_and_wait();
        a_outcome = join(first.store, a, room);
      });
      std::thread b_thread([&] {
        start.arrive_and_wait();
        b_outcome = join(second.store, b, room);
      });
      a_thread.join();
      b_thread.join();
      // Whoever came second was told about the first, so the first hears of the second.
      CHECK(
          (contains(ids(a_outcome.other_members), b) || contains(ids(b_outcome.other_members), a)));
      CHECK(a_outcome.other_members.size() + b_outcome.other_members.size() == 1);
      CHECK(others(first.store.relay_targets(room, a)) == std::vector<ConnectionId>{b});
      CHECK(others(second.store.relay_targets(room, b)) == std::vector<ConnectionId>{a});
    }
  }
}

TEST_SUITE("DynamoDB store against dynalite: expiry") {
  TEST_CASE("members whose entry expired are ignored by relays and joins") {
    Table table;
    std::atomic<std::int64_t> now{epoch_now()};
    Instance lambda(table, {}, [&] { return now.load(); });
    join(lambda.store, connection(1), kRoom);
    join(lambda.store, connection(2), kRoom);
    now += 7800;  // 2 h 10 min later: both entries expired, and dynalite deleted nothing
    CHECK_FALSE(lambda.store.relay_targets(kRoom, connection(1)));
    auto newcomer = join(lambda.store, connection(3), kRoom);
    CHECK(newcomer.other_members.empty());
    CHECK(others(lambda.store.relay_targets(kRoom, connection(3))) == std::vector<ConnectionId>{});
    // The expired connection item's room is forgotten too.
    CHECK_FALSE(lambda.store.leave_room(connection(1)));
  }

  TEST_CASE("a room full of expired members is pruned and admits a newcomer") {
    Table table;
    std::atomic<std::int64_t> now{epoch_now()};
    DynamoDbRoomStoreOptions options;
    options.room_capacity = 3;
    Instance lambda(table, options, [&] { return now.load(); });
    for (int i = 1; i <= 3; ++i) join(lambda.store, connection(i), kRoom);
    CHECK_THROWS_AS(join(lambda.store, connection(4), kRoom), RoomFullError);
    now += 3 * 3600;
    auto outcome = join(lambda.store, connection(4), kRoom);
    CHECK(outcome.other_members.empty());
    json members = table.room_item(kRoom)["members"]["M"];
    CHECK(members.size() == 1);
    CHECK(members.contains(connection(4).value));
  }
}

namespace {

// Counts the operations that reach the server, by X-Amz-Target.
class CountingTransport final : public http::Transport {
 public:
  explicit CountingTransport(http::Transport& inner) : inner_(inner) {}
  http::Result send(const http::Request& request, std::chrono::milliseconds timeout) override {
    {
      std::lock_guard lock(mutex_);
      operations_.emplace_back(http::header_value(request.headers, "X-Amz-Target"));
    }
    return inner_.send(request, timeout);
  }
  std::vector<std::string> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(operations_, {});
  }

 private:
  http::Transport& inner_;
  std::mutex mutex_;
  std::vector<std::string> operations_;
};

// Items in the shape the store writes them (dynamodb_room_requests.hpp) once `members` joined
// `room`: a room item with its members map, and one connection item per member naming the room.
json room_item_for(const RoomId& room, const std::vector<ConnectionId>& members,
                   std::int64_t expires_at) {
  // Every member with a 32-character peerId and a 20-byte name, as a v2 client joins.
  json map = json::object();
  json peers = json::object();
  for (std::size_t i = 0; i < members.size(); ++i) {
    const std::string peer_id = std::string(28, 'b') + members[i].value.substr(0, 4);
    map[members[i].value] = {{"M",
                              {{"e", {{"N", std::to_string(expires_at)}}},
                               {"p", {{"S", peer_id}}},
                               {"n", {{"S", "Participant number " + std::to_string(i)}}}}}};
    peers[peer_id] = {{"S", members[i].value}};
  }
  return {{"pk", {{"S", room_partition_key(room)}}},
          {"sk", {{"S", "ROOM"}}},
          {"members", {{"M", std::move(map)}}},
          {"peers", {{"M", std::move(peers)}}},
          {"expiresAt", {{"N", std::to_string(expires_at)}}}};
}

json connection_item_for(const ConnectionId& id, const RoomId& room, std::int64_t connected_at_ms,
                         std::int64_t expires_at) {
  return {{"pk", {{"S", connection_partition_key(id)}}},
          {"sk", {{"S", "CONN"}}},
          {"connectedAt", {{"N", std::to_string(connected_at_ms)}}},
          {"room", {{"S", room.value}}},
          {"expiresAt", {{"N", std::to_string(expires_at)}}}};
}

// Test-only bulk loading: BatchWriteItem, 25 puts per call (DynamoDB's limit), re-sending what
// the server leaves in UnprocessedItems (AWS may, under load; dynalite never does).
void batch_put(DynamoDbClient& client, const std::string& table, const std::vector<json>& items) {
  constexpr std::size_t kBatch = 25;
  for (std::size_t first = 0; first < items.size(); first += kBatch) {
    json requests = json::array();
    for (std::size_t i = first; i < std::min(items.size(), first + kBatch); ++i) {
      requests.push_back({{"PutRequest", {{"Item", items[i]}}}});
    }
    json pending = {{table, std::move(requests)}};
    for (int round = 0; !pending.empty(); ++round) {
      if (round == 10) FAIL("BatchWriteItem kept items unprocessed: " << pending.dump());
      json answer = client.call("BatchWriteItem", {{"RequestItems", std::move(pending)}});
      pending = answer.value("UnprocessedItems", json::object());
    }
  }
}

// How many items the table holds, by a counting Scan (paged: a Scan reads at most 1 MB a call).
std::size_t count_items(DynamoDbClient& client, const std::string& table,
                        std::string_view sort_key) {
  std::size_t count = 0;
  json request = {{"TableName", table},
                  {"Select", "COUNT"},
                  {"FilterExpression", "sk = :sk"},
                  {"ExpressionAttributeValues", {{":sk", {{"S", sort_key}}}}}};
  for (;;) {
    json answer = client.call("Scan", request);
    count += answer.at("Count").get<std::size_t>();
    if (!answer.contains("LastEvaluatedKey")) return count;
    request["ExclusiveStartKey"] = answer["LastEvaluatedKey"];
  }
}

// A table of rooms of five, the store under measurement reached through a transport that counts
// its requests.
struct RelayCost {
  Table table;
  http::BeastTransport transport;
  CountingTransport counting{transport};
  SigV4RequestSigner signer{{"AKIDLOCAL", "local-secret", std::nullopt}, "us-east-1", "dynamodb"};
  DynamoDbClient client{dynalite().endpoint(), counting, signer};
  DynamoDbRoomStore store{client, table.name};
  int connections = 0;

  static RoomId room_of(int connection_index) {
    return RoomId{"r" + std::to_string(connection_index / 5)};
  }

  // Connects and joins through the store, as $connect and joinRoom would, up to `total`.
  void populate(int total) {
    for (; connections < total; ++connections) {
      store.add_connection(connection(connections), connections);
      join(store, connection(connections), room_of(connections),
           {peer(connections), "Participant number " + std::to_string(connections % 5)});
    }
  }

  // One relay from a full room's member: its requests, and the units they consumed.
  ConsumedCapacity measure(const RoomId& room, const ConnectionId& sender) {
    counting.take();
    auto targets = store.relay_targets(room, sender);
    REQUIRE(targets);
    CHECK(targets->others.size() == 4);
    CHECK(counting.take() == std::vector<std::string>{"DynamoDB_20120810.GetItem"});
    return store.last_consumed();
  }
};

}  // namespace

TEST_SUITE("DynamoDB store against dynalite: cost") {
  TEST_CASE(
      "relaying reads one item, 1 RCU, whether the table holds 10, 1000 or 20,000 connections") {
    RelayCost cost;
    cost.populate(10);
    auto at_10 = cost.measure(RoomId{"r1"}, connection(7));
    cost.populate(1000);
    auto at_1000 = cost.measure(RoomId{"r1"}, connection(7));
    auto at_1000_last_room = cost.measure(RoomId{"r199"}, connection(999));

    // 19,000 more connections in rooms of five, written in bulk: through the store they would
    // take dynalite half a minute or more, with BatchWriteItem about 2 s. Room r1 is still the
    // store's own item; r3999 is a bulk-written one, read by relay_targets like any other.
    constexpr int kConnections = 20'000;
    const auto started = std::chrono::steady_clock::now();
    const std::int64_t expires_at = epoch_now() + 7800;
    std::vector<json> items;
    for (int first = cost.connections; first < kConnections; first += 5) {
      std::vector<ConnectionId> members;
      for (int i = first; i < first + 5; ++i) {
        members.push_back(connection(i));
        items.push_back(connection_item_for(connection(i), RelayCost::room_of(i), i, expires_at));
      }
      items.push_back(room_item_for(RelayCost::room_of(first), members, expires_at));
    }
    batch_put(cost.table.admin.client(), cost.table.name, items);
    const auto filled = std::chrono::steady_clock::now();
    cost.connections = kConnections;
    REQUIRE(count_items(cost.table.admin.client(), cost.table.name, "CONN") == kConnections);
    REQUIRE(count_items(cost.table.admin.client(), cost.table.name, "ROOM") == kConnections / 5);
    auto at_20000 = cost.measure(RoomId{"r1"}, connection(7));
    auto at_20000_last_room = cost.measure(RoomId{"r3999"}, connection(kConnections - 1));

    MESSAGE("read units per relay_targets (one GetItem each): "
            << at_10.read_units << " at 10 connections, " << at_1000.read_units << " at 1000, "
            << at_20000.read_units << " at 20,000 (" << items.size() << " items bulk-written in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(filled - started).count()
            << " ms)");
    CHECK(at_10.read_units == 1.0);
    CHECK(at_1000.read_units == 1.0);
    CHECK(at_1000_last_room.read_units == 1.0);
    CHECK(at_20000.read_units == 1.0);
    CHECK(at_20000_last_room.read_units == 1.0);
    CHECK(at_10.write_units == 0.0);
    CHECK(at_1000.write_units == 0.0);
    CHECK(at_20000.write_units == 0.0);
  }

  TEST_CASE("a full room of 6 with peerIds and 64-byte names is one read unit, under 4 KB") {
    Table table;
    Instance lambda(table);
    const std::string longest_name(64, 'n');
    for (int i = 0; i < 6; ++i) join(lambda.store, connection(i), kRoom, {peer(i), longest_name});
    const double sixth_join_write_units = lambda.store.last_consumed().write_units;
    lambda.store.relay_targets(kRoom, connection(0));
    CHECK(lambda.store.last_consumed().read_units == 1.0);
    const std::size_t size = dynamodb_item_size(table.room_item(kRoom));
    CHECK(size < 4096);
    MESSAGE("a room of 6 with peerIds and 64-byte names: about "
            << size << " bytes as DynamoDB counts them; the sixth join consumed "
            << sixth_join_write_units << " write units");
  }
}

TEST_SUITE("DynamoDB store against dynalite: passcodes and the lock") {
  using videochat::lambdas::Admission;
  using videochat::lambdas::GateChangedError;
  using videochat::lambdas::ResumeClaim;
  using videochat::lambdas::RoomLockedError;

  videochat::lambdas::JoinOutcome join_with(DynamoDbRoomStore& store, const ConnectionId& who,
                                            const Admission& admission) {
    return store.join_room(who, kRoom, {}, ResumeClaim{std::nullopt, nonce_of(who)}, admission);
  }

  TEST_CASE("the first member sets the passcode record; the rest must have been checked against it") {
    Table table;
    Instance one(table);
    CHECK(one.store.read_room_gate(kRoom) == videochat::lambdas::RoomGate{});
    auto first = join_with(one.store, connection(1), {std::nullopt, "record-1", false});
    CHECK(first.gate.passcode == "record-1");
    CHECK(table.room_item(kRoom)["passcode"]["S"] == "record-1");
    CHECK(one.store.read_room_gate(kRoom) ==
          videochat::lambdas::RoomGate{true, "record-1", false});
    // Checked against no passcode, or another one: the room changed under the joiner.
    CHECK_THROWS_AS(join_with(one.store, connection(2), {}), GateChangedError);
    CHECK_THROWS_AS(join_with(one.store, connection(2), {"record-2", "record-2", false}),
                    GateChangedError);
    auto second = join_with(one.store, connection(2), {"record-1", "record-1", false});
    CHECK(ids(second.other_members) == std::vector<ConnectionId>{connection(1)});
    CHECK(second.gate.passcode == "record-1");
  }

  TEST_CASE("the last one out takes the passcode and the lock away; the next first member opens it") {
    Table table;
    Instance one(table);
    join_with(one.store, connection(1), {std::nullopt, "record-1", false});
    REQUIRE(one.store.set_room_lock(kRoom, connection(1), true));
    one.store.leave_room(connection(1));
    json room = table.room_item(kRoom);
    CHECK_FALSE(room.contains("passcode"));
    CHECK_FALSE(room.contains("locked"));
    CHECK(one.store.read_room_gate(kRoom) == videochat::lambdas::RoomGate{});
    auto next = join_with(one.store, connection(2), {});
    CHECK_FALSE(next.gate.passcode);
  }

  TEST_CASE("a gate left by members who expired dies with them") {
    Table table;
    std::atomic<std::int64_t> now{epoch_now()};
    Instance lambda(table, {}, [&] { return now.load(); });
    join_with(lambda.store, connection(1), {std::nullopt, "record-1", false});
    lambda.store.set_room_lock(kRoom, connection(1), true);
    now += 3 * 3600;
    CHECK_FALSE(lambda.store.read_room_gate(kRoom).occupied);
    auto outcome = join_with(lambda.store, connection(2), {});
    CHECK(outcome.gate == videochat::lambdas::RoomGate{true, std::nullopt, false});
    CHECK_FALSE(table.room_item(kRoom).contains("passcode"));
  }

  TEST_CASE("a locked room refuses newcomers, not its members nor a member coming back") {
    Table table;
    Instance one(table);
    join_with(one.store, connection(1), {});
    join_with(one.store, connection(2), {});
    auto told = one.store.set_room_lock(kRoom, connection(2), true);
    REQUIRE(told);
    CHECK(*told == std::vector<ConnectionId>{connection(1), connection(2)});
    CHECK(one.store.read_room_gate(kRoom).locked);
    CHECK_THROWS_AS(join_with(one.store, connection(3), {}), RoomLockedError);
    CHECK_FALSE(one.store.relay_targets(kRoom, connection(3)));
    CHECK(join_with(one.store, connection(1), {}).already_member);
    CHECK(join_with(one.store, connection(4), {std::nullopt, std::nullopt, true}).gate.locked);
    CHECK_FALSE(one.store.set_room_lock(kRoom, connection(9), false));
    one.store.set_room_lock(kRoom, connection(1), false);
    CHECK_FALSE(join_with(one.store, connection(3), {}).gate.locked);
  }

  TEST_CASE("wrong passcodes are counted per key, concurrent failures each counted") {
    Table table;
    constexpr int kGuessers = 3;  // three Lambda instances failing at the same second
    std::vector<std::unique_ptr<Instance>> lambdas;
    for (int i = 0; i < kGuessers; ++i) lambdas.push_back(std::make_unique<Instance>(table));
    const std::int64_t now = epoch_now();
    CHECK(lambdas[0]->store.passcode_failures("addr:192.0.2.1", now) ==
          videochat::lambdas::AttemptRecord{});
    std::latch start(kGuessers);
    std::vector<std::thread> guessers;
    for (int i = 0; i < kGuessers; ++i) {
      guessers.emplace_back([&, i] {
        start.arrive_and_wait();
        lambdas[i]->store.record_passcode_failure("addr:192.0.2.1", now);
      });
    }
    for (auto& guesser : guessers) guesser.join();
    CHECK(lambdas[1]->store.passcode_failures("addr:192.0.2.1", now).failures == kGuessers);
    CHECK(lambdas[0]->store.passcode_failures("addr:192.0.2.2", now).failures == 0);
    // Forgotten after a quarter of an hour.
    CHECK(lambdas[2]->store.passcode_failures("addr:192.0.2.1", now + 15 * 60).failures == 0);
  }
}
