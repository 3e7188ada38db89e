// The route handlers over the in-memory store, as the members of a room experience them: who is
// told what when someone joins, relays, leaves or drops, and what a sender hears when its request
// is refused.
#include "route_handlers.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fake_connections.hpp"
#include "memory_room_store.hpp"
#include "resume_token.hpp"

namespace {

using nlohmann::json;
using videochat::lambdas::dispatch;
using videochat::lambdas::HandlerConfig;
using videochat::lambdas::HandlerResponse;
using videochat::lambdas::HandlerServices;
using videochat::lambdas::MemoryRoomStore;
using videochat::lambdas::NullLogger;
using videochat::lambdas::select_route;
using videochat::protocol::ConnectionId;
using videochat::test::connect_event;
using videochat::test::disconnect_event;
using videochat::test::FakeConnections;
using videochat::test::message_event;

const ConnectionId kAlice{"aliceConnId="};
const ConnectionId kBob{"bobConnIdAA="};
const ConnectionId kCarol{"carolConnId="};

const std::string kSecret = "0123456789abcdef0123456789abcdef-test-secret";
const std::string kPeerA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const std::string kPeerB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

HandlerConfig config_with_secret() {
  HandlerConfig config;
  config.resume_secret = kSecret;
  return config;
}

// The handlers with a real in-memory store and a fake @connections API.
struct Stack {
  MemoryRoomStore store;
  FakeConnections connections;
  NullLogger log;
  HandlerConfig config = config_with_secret();
  HandlerServices services{store, connections, log, config};
  std::int64_t now_s = 1'800'000'000;  // what the handlers' clock reads

  Stack() {
    config.clock = [this] { return now_s; };
  }
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  HandlerResponse send(const ConnectionId& from, const std::string& body) {
    return dispatch(message_event(from, body), services);
  }
  HandlerResponse join(const ConnectionId& who, const std::string& room) {
    return send(who, json{{"action", "joinRoom"}, {"roomId", room}}.dump());
  }
  HandlerResponse relay(const ConnectionId& from, const std::string& room,
                        const std::string& message) {
    return send(from,
                json{{"action", "sendMsgToRoom"}, {"roomId", room}, {"message", message}}.dump());
  }
  // A v2 join: `fields` (peerId, name, resumeToken, ...) added to the tutorial's.
  HandlerResponse join_v2(const ConnectionId& who, const std::string& room, json fields) {
    fields["action"] = "joinRoom";
    fields["roomId"] = room;
    return send(who, fields.dump());
  }
  HandlerResponse relay_to(const ConnectionId& from, const std::string& room,
                           const std::string& message, const std::string& to) {
    return send(
        from, json{{"action", "sendMsgToRoom"}, {"roomId", room}, {"message", message}, {"to", to}}
                  .dump());
  }
  // Joins everyone to `room`, then forgets what that posted.
  void seat(const std::vector<ConnectionId>& people, const std::string& room) {
    for (const auto& who : people) join(who, room);
    connections.clear();
  }
};

// The one frame posted to `to`, parsed; fails the test when there is not exactly one.
json only_frame_to(const FakeConnections& connections, const ConnectionId& to) {
  auto frames = connections.posts_to(to);
  REQUIRE_MESSAGE(frames.size() == 1, "frames to " << to.value << ": " << frames.size());
  return json::parse(frames.front());
}

void check_new_participant(const json& frame, const ConnectionId& newcomer) {
  CHECK(frame == json{{"type", "newParticipant"}, {"participantConnectionId", newcomer.value}});
}

void check_participant_left(const json& frame, const ConnectionId& leaver,
                            const std::string& reason) {
  CHECK(frame == json{{"type", "participantLeft"},
                      {"participantConnectionId", leaver.value},
                      {"reason", reason}});
}

// The `joined` frame posted to `to`, which must be the only frame it received.
json joined_frame_to(const FakeConnections& connections, const ConnectionId& to) {
  json frame = only_frame_to(connections, to);
  CHECK(frame["type"] == "joined");
  return frame;
}

// Checks that the only post went to `sender` and was an error frame with `code`.
void check_only_error_to(const FakeConnections& connections, const ConnectionId& sender,
                         const std::string& code) {
  REQUIRE(connections.posts().size() == 1);
  json frame = only_frame_to(connections, sender);
  CHECK(frame["type"] == "error");
  CHECK(frame["code"] == code);
  CHECK(frame["message"].is_string());
  CHECK_FALSE(frame["message"].get<std::string>().empty());
}

// A store whose backend is unreachable.
struct BrokenStore final : videochat::lambdas::RoomStore {
  using StoreError = videochat::lambdas::StoreError;
  void add_connection(const ConnectionId&, std::int64_t) override { throw StoreError("down"); }
  using RoomStore::join_room;
  videochat::lambdas::JoinOutcome join_room(const ConnectionId&, const videochat::protocol::RoomId&,
                                            const videochat::protocol::ParticipantProfile&,
                                            const videochat::lambdas::ResumeClaim&,
                                            const videochat::lambdas::Admission&) override {
    throw StoreError("down");
  }
  videochat::lambdas::RoomGate read_room_gate(const videochat::protocol::RoomId&) override {
    throw StoreError("down");
  }
  std::optional<std::vector<ConnectionId>> set_room_lock(const videochat::protocol::RoomId&,
                                                         const ConnectionId&, bool) override {
    throw StoreError("down");
  }
  videochat::lambdas::AttemptRecord passcode_failures(const std::string&, std::int64_t) override {
    throw StoreError("down");
  }
  videochat::lambdas::AttemptRecord record_passcode_failure(const std::string&,
                                                            std::int64_t) override {
    throw StoreError("down");
  }
  std::optional<videochat::lambdas::Departure> leave_room(const ConnectionId&) override {
    throw StoreError("down");
  }
  std::optional<videochat::lambdas::Departure> remove_connection(const ConnectionId&) override {
    throw StoreError("down");
  }
  bool read_relay_targets(const videochat::protocol::RoomId&, const ConnectionId&,
                          videochat::lambdas::RelayTargets&) override {
    throw StoreError("down");
  }
};

// A store whose every room is full, as a store with another capacity (DynamoDB's) reports it.
struct FullStore final : videochat::lambdas::RoomStore {
  std::size_t capacity = 4;
  void add_connection(const ConnectionId&, std::int64_t) override {}
  using RoomStore::join_room;
  videochat::lambdas::JoinOutcome join_room(const ConnectionId&,
                                            const videochat::protocol::RoomId& room,
                                            const videochat::protocol::ParticipantProfile&,
                                            const videochat::lambdas::ResumeClaim&,
                                            const videochat::lambdas::Admission&) override {
    throw videochat::lambdas::RoomFullError(room, capacity);
  }
  videochat::lambdas::RoomGate read_room_gate(const videochat::protocol::RoomId&) override {
    return {true, std::nullopt, false};
  }
  std::optional<std::vector<ConnectionId>> set_room_lock(const videochat::protocol::RoomId&,
                                                         const ConnectionId&, bool) override {
    return std::nullopt;
  }
  videochat::lambdas::AttemptRecord passcode_failures(const std::string&, std::int64_t) override {
    return {};
  }
  videochat::lambdas::AttemptRecord record_passcode_failure(const std::string&,
                                                            std::int64_t) override {
    return {};
  }
  std::optional<videochat::lambdas::Departure> leave_room(const ConnectionId&) override {
    return std::nullopt;
  }
  std::optional<videochat::lambdas::Departure> remove_connection(const ConnectionId&) override {
    return std::nullopt;
  }
  bool read_relay_targets(const videochat::protocol::RoomId&, const ConnectionId&,
                          videochat::lambdas::RelayTargets&) override {
    return false;
  }
};

// Six people other than Alice, Bob and Carol: enough to fill a room of the default capacity.
std::vector<ConnectionId> six_others() {
  std::vector<ConnectionId> people;
  for (int i = 0; i < 6; ++i) people.push_back(ConnectionId{"member" + std::to_string(i) + "=="});
  return people;
}

}  // namespace

TEST_SUITE("joinRoom") {
  TEST_CASE("every other member is told the newcomer's connection id; the newcomer gets joined") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    CHECK(stack.join(kCarol, "123").status_code == 200);
    check_new_participant(only_frame_to(stack.connections, kAlice), kCarol);
    check_new_participant(only_frame_to(stack.connections, kBob), kCarol);
    joined_frame_to(stack.connections, kCarol);
    CHECK(stack.connections.posts().size() == 3);
  }

  TEST_CASE("a tutorial-format join gets joined with its own id and the others, and no token") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    stack.join(kCarol, "123");
    CHECK(joined_frame_to(stack.connections, kCarol) ==
          json{{"type", "joined"},
               {"roomId", "123"},
               {"connectionId", kCarol.value},
               {"capacity", 6},
               {"participants",
                {{{"participantConnectionId", kAlice.value}},
                 {{"participantConnectionId", kBob.value}}}}});
  }

  TEST_CASE("the first member of a room is told only that it joined, with no participants") {
    Stack stack;
    CHECK(stack.join(kAlice, "123").status_code == 200);
    json joined = joined_frame_to(stack.connections, kAlice);
    CHECK(joined["participants"] == json::array());
    CHECK(stack.connections.posts().size() == 1);
  }

  TEST_CASE("with a TURN relay, each joined carries fresh credentials for the joiner, no secret") {
    Stack stack;
    stack.config.turn = {{"turn:relay.example.org:3478", "turns:relay.example.org:443"},
                         "relay secret", std::chrono::seconds(600)};
    stack.join_v2(kAlice, "123", {{"peerId", std::string(32, 'a')}});
    json joined = joined_frame_to(stack.connections, kAlice);
    const std::string username = "1800000600:" + std::string(32, 'a');
    CHECK(joined["iceServers"] ==
          json::array({{{"urls", {"turn:relay.example.org:3478", "turns:relay.example.org:443"}},
                        {"username", username},
                        {"credential", videochat::lambdas::turn_password("relay secret", username)}}}));
    CHECK(joined["iceServersTtl"] == 600);
    CHECK(joined.dump().find("relay secret") == std::string::npos);
    // A tutorial client has no peerId: its credential names its connection. Joining again (the
    // client's way to renew them) mints new ones by the clock.
    stack.connections.clear();
    stack.now_s += 300;
    stack.join(kBob, "123");
    CHECK(joined_frame_to(stack.connections, kBob)["iceServers"][0]["username"] ==
          "1800000900:" + kBob.value);
  }

  TEST_CASE("without a relay, joined has no iceServers (the page uses config.json's)") {
    Stack stack;
    stack.join(kAlice, "123");
    CHECK_FALSE(joined_frame_to(stack.connections, kAlice).contains("iceServers"));
  }

  TEST_CASE("joining the room one is already in sends joined again, and nothing to the others") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    CHECK(stack.join(kBob, "123").status_code == 200);
    json joined = joined_frame_to(stack.connections, kBob);
    CHECK(joined["participants"] == json::array({{{"participantConnectionId", kAlice.value}}}));
    CHECK(stack.connections.posts().size() == 1);
  }

  TEST_CASE("a member who joins its room again with a new name: the others hear the name") {
    Stack stack;
    const std::string bob_peer(32, 'b');
    stack.seat({kAlice}, "123");
    stack.join_v2(kBob, "123", {{"peerId", bob_peer}, {"name", "Bob"}});
    stack.connections.clear();
    CHECK(stack.join_v2(kBob, "123", {{"peerId", bob_peer}, {"name", "Robert"}}).status_code ==
          200);
    CHECK(joined_frame_to(stack.connections, kBob)["name"] == "Robert");
    CHECK(only_frame_to(stack.connections, kAlice) == json{{"type", "participantUpdated"},
                                                           {"participantConnectionId", kBob.value},
                                                           {"peerId", bob_peer},
                                                           {"name", "Robert"}});
    // Whoever joins next is told the new name.
    stack.join(kCarol, "123");
    json others = joined_frame_to(stack.connections, kCarol)["participants"];
    CHECK(others[1]["name"] == "Robert");
  }

  TEST_CASE("joining another room tells the old room's members the joiner left") {
    Stack stack;
    stack.seat({kAlice, kBob}, "old");
    stack.seat({kCarol}, "new");
    CHECK(stack.join(kAlice, "new").status_code == 200);
    check_participant_left(only_frame_to(stack.connections, kBob), kAlice, "left");
    check_new_participant(only_frame_to(stack.connections, kCarol), kAlice);
    CHECK(joined_frame_to(stack.connections, kAlice)["roomId"] == "new");
  }

  TEST_CASE("after moving rooms, the old room's messages no longer reach the mover") {
    Stack stack;
    stack.seat({kAlice, kBob}, "old");
    stack.join(kAlice, "new");
    stack.connections.clear();
    stack.relay(kBob, "old", "anyone?");
    CHECK(stack.connections.posts().empty());
  }

  TEST_CASE("a joiner of a full room gets ROOM_FULL (409) and the members are told nothing") {
    Stack stack;
    stack.seat(six_others(), "123");
    CHECK(stack.join(kAlice, "123").status_code == 409);
    check_only_error_to(stack.connections, kAlice, "ROOM_FULL");
    CHECK(json::parse(stack.connections.posts_to(kAlice).front())["message"] ==
          "room '123' is full (6 people); try another room");
  }

  TEST_CASE("a joiner refused by a full room stays in its room, whose members are told nothing") {
    Stack stack;
    stack.seat({kAlice, kBob}, "old");
    stack.seat(six_others(), "full");
    stack.join(kAlice, "full");
    check_only_error_to(stack.connections, kAlice, "ROOM_FULL");
    stack.connections.clear();
    CHECK(stack.relay(kBob, "old", "still there?").status_code == 200);
    CHECK(stack.connections.posts() ==
          std::vector<videochat::test::Post>{{kAlice, "still there?"}});
  }

  TEST_CASE("a member of a full room joining it again is answered 200, not ROOM_FULL") {
    Stack stack;
    auto members = six_others();
    stack.seat(members, "123");
    CHECK(stack.join(members.front(), "123").status_code == 200);
    joined_frame_to(stack.connections, members.front());
    CHECK(stack.connections.posts().size() == 1);
  }

  TEST_CASE("a store's RoomFullError is answered ROOM_FULL with its capacity, not INTERNAL_ERROR") {
    FullStore store;
    FakeConnections connections;
    NullLogger log;
    HandlerConfig config;
    HandlerServices services{store, connections, log, config};
    auto response =
        dispatch(message_event(kAlice, R"({"action":"joinRoom","roomId":"r1"})"), services);
    CHECK(response.status_code == 409);
    check_only_error_to(connections, kAlice, "ROOM_FULL");
    CHECK(json::parse(connections.posts_to(kAlice).front())["message"] ==
          "room 'r1' is full (4 people); try another room");
  }

  TEST_CASE("a missing roomId is refused with BAD_REQUEST") {
    Stack stack;
    CHECK(stack.send(kAlice, R"({"action":"joinRoom"})").status_code == 400);
    check_only_error_to(stack.connections, kAlice, "BAD_REQUEST");
  }

  TEST_CASE("a roomId with a space is refused with BAD_REQUEST") {
    Stack stack;
    CHECK(stack.join(kAlice, "a b").status_code == 400);
    check_only_error_to(stack.connections, kAlice, "BAD_REQUEST");
  }

  TEST_CASE("a numeric roomId is refused with BAD_REQUEST") {
    Stack stack;
    CHECK(stack.send(kAlice, R"({"action":"joinRoom","roomId":123})").status_code == 400);
    check_only_error_to(stack.connections, kAlice, "BAD_REQUEST");
  }
}

TEST_SUITE("sendMsgToRoom") {
  TEST_CASE("the message string reaches every other member verbatim, and not the sender") {
    Stack stack;
    stack.seat({kAlice, kBob, kCarol}, "123");
    const std::string text = "v=0\r\no=- 46 2 IN IP4 127.0.0.1\r\n";
    CHECK(stack.relay(kAlice, "123", text).status_code == 200);
    CHECK(stack.connections.posts_to(kBob) == std::vector<std::string>{text});
    CHECK(stack.connections.posts_to(kCarol) == std::vector<std::string>{text});
    CHECK(stack.connections.posts_to(kAlice).empty());
  }

  TEST_CASE("a sender not in the room gets NOT_IN_ROOM and nothing is relayed") {
    Stack stack;
    stack.seat({kBob, kCarol}, "123");
    stack.seat({kAlice}, "other");
    CHECK(stack.relay(kAlice, "123", "hello").status_code == 400);
    check_only_error_to(stack.connections, kAlice, "NOT_IN_ROOM");
  }

  TEST_CASE("a message one byte over the limit is refused with MESSAGE_TOO_LARGE") {
    Stack stack;
    stack.config.max_message_bytes = 10;
    stack.seat({kAlice, kBob}, "123");
    CHECK(stack.relay(kAlice, "123", std::string(11, 'x')).status_code == 400);
    check_only_error_to(stack.connections, kAlice, "MESSAGE_TOO_LARGE");
  }

  TEST_CASE("a message exactly at the limit is relayed") {
    Stack stack;
    stack.config.max_message_bytes = 10;
    stack.seat({kAlice, kBob}, "123");
    CHECK(stack.relay(kAlice, "123", std::string(10, 'x')).status_code == 200);
    CHECK(stack.connections.posts_to(kBob) == std::vector<std::string>{std::string(10, 'x')});
  }

  TEST_CASE("a frame that is not JSON is refused with BAD_JSON") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    CHECK(stack.send(kAlice, R"({"action":"sendMsgToRoom","roomId":"123",)").status_code == 400);
    check_only_error_to(stack.connections, kAlice, "BAD_JSON");
  }

  TEST_CASE("a missing roomId is refused with BAD_REQUEST") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    stack.send(kAlice, R"({"action":"sendMsgToRoom","message":"hi"})");
    check_only_error_to(stack.connections, kAlice, "BAD_REQUEST");
  }

  TEST_CASE("an invalid roomId is refused with BAD_REQUEST") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    stack.relay(kAlice, "../123", "hi");
    check_only_error_to(stack.connections, kAlice, "BAD_REQUEST");
  }

  TEST_CASE("a missing or non-string message is refused with BAD_REQUEST") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    const char* body = R"({"action":"sendMsgToRoom","roomId":"123"})";
    SUBCASE("missing") {}
    SUBCASE("an object") {
      body = R"({"action":"sendMsgToRoom","roomId":"123","message":{}})";
    }
    CHECK(stack.send(kAlice, body).status_code == 400);
    check_only_error_to(stack.connections, kAlice, "BAD_REQUEST");
  }
}

TEST_SUITE("$default") {
  TEST_CASE("an unknown action is refused with UNKNOWN_ACTION naming the action") {
    Stack stack;
    CHECK(stack.send(kAlice, R"({"action":"dance"})").status_code == 400);
    check_only_error_to(stack.connections, kAlice, "UNKNOWN_ACTION");
    auto message = json::parse(stack.connections.posts_to(kAlice).front())["message"];
    CHECK(message.get<std::string>().find("dance") != std::string::npos);
  }

  TEST_CASE("a JSON array is refused with BAD_REQUEST") {
    Stack stack;
    stack.send(kAlice, R"(["joinRoom"])");
    check_only_error_to(stack.connections, kAlice, "BAD_REQUEST");
  }

  TEST_CASE("an object without an action is refused with BAD_REQUEST") {
    Stack stack;
    stack.send(kAlice, R"({"roomId":"123"})");
    check_only_error_to(stack.connections, kAlice, "BAD_REQUEST");
  }
}

TEST_SUITE("leaveRoom") {
  TEST_CASE("leaving without a roomId tells the remaining members the leaver left") {
    Stack stack;
    stack.seat({kAlice, kBob, kCarol}, "123");
    CHECK(stack.send(kAlice, R"({"action":"leaveRoom"})").status_code == 200);
    check_participant_left(only_frame_to(stack.connections, kBob), kAlice, "left");
    check_participant_left(only_frame_to(stack.connections, kCarol), kAlice, "left");
    CHECK(stack.connections.posts_to(kAlice).empty());
  }

  TEST_CASE("leaving with one's own roomId tells the remaining members the leaver left") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    CHECK(stack.send(kAlice, R"({"action":"leaveRoom","roomId":"123"})").status_code == 200);
    check_participant_left(only_frame_to(stack.connections, kBob), kAlice, "left");
  }

  TEST_CASE("after leaving, the leaver can no longer relay to the room") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    stack.send(kAlice, R"({"action":"leaveRoom"})");
    stack.connections.clear();
    stack.relay(kAlice, "123", "still here?");
    check_only_error_to(stack.connections, kAlice, "NOT_IN_ROOM");
  }

  TEST_CASE("naming a room one is not in is refused with NOT_IN_ROOM and leaves nothing") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    stack.send(kAlice, R"({"action":"leaveRoom","roomId":"456"})");
    check_only_error_to(stack.connections, kAlice, "NOT_IN_ROOM");
    stack.connections.clear();
    stack.relay(kAlice, "123", "still in");
    CHECK(stack.connections.posts_to(kBob) == std::vector<std::string>{"still in"});
  }

  TEST_CASE("leaving when in no room is refused with NOT_IN_ROOM") {
    Stack stack;
    CHECK(stack.send(kAlice, R"({"action":"leaveRoom"})").status_code == 400);
    check_only_error_to(stack.connections, kAlice, "NOT_IN_ROOM");
  }
}

TEST_SUITE("$disconnect and gone connections") {
  TEST_CASE("a disconnect tells the remaining members the participant disconnected") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    CHECK(dispatch(disconnect_event(kAlice), stack.services).status_code == 200);
    check_participant_left(only_frame_to(stack.connections, kBob), kAlice, "disconnected");
    CHECK(stack.connections.posts().size() == 1);
  }

  TEST_CASE("a disconnect of a connection in no room posts nothing") {
    Stack stack;
    dispatch(connect_event(kAlice), stack.services);
    CHECK(dispatch(disconnect_event(kAlice), stack.services).status_code == 200);
    CHECK(stack.connections.posts().empty());
    CHECK(stack.store.connection_count() == 0);
  }

  TEST_CASE("a gone target met during a relay is forgotten and its room told it disconnected") {
    Stack stack;
    for (const auto& who : {kAlice, kBob, kCarol}) dispatch(connect_event(who), stack.services);
    stack.seat({kAlice, kBob, kCarol}, "123");
    stack.connections.mark_gone(kBob);
    CHECK(stack.relay(kAlice, "123", "offer").status_code == 200);

    CHECK(stack.store.connection_count() == 2);
    check_participant_left(only_frame_to(stack.connections, kAlice), kBob, "disconnected");
    auto to_carol = stack.connections.posts_to(kCarol);
    REQUIRE(to_carol.size() == 2);
    CHECK(to_carol[0] == "offer");
    check_participant_left(json::parse(to_carol[1]), kBob, "disconnected");

    stack.connections.clear();
    stack.relay(kAlice, "123", "again");
    CHECK(stack.connections.posts_to(kBob).empty());
  }

  TEST_CASE("a target whose post failed (not gone) stays in the room") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    stack.connections.mark_failing(kBob);
    stack.relay(kAlice, "123", "one");
    stack.connections.mark_healthy(kBob);
    stack.connections.clear();
    stack.relay(kAlice, "123", "two");
    CHECK(stack.connections.posts() == std::vector<videochat::test::Post>{{kBob, "two"}});
  }
}

TEST_SUITE("$connect") {
  TEST_CASE("with no allowed origins configured, the server's own pages and non-browsers connect") {
    Stack stack;
    CHECK(dispatch(connect_event(kAlice, {{"origin", "http://127.0.0.1:8080"},
                                          {"host", "127.0.0.1:8080"}}),
                   stack.services)
              .status_code == 200);
    CHECK(dispatch(connect_event(kBob, {{"host", "127.0.0.1:8080"}}), stack.services).status_code ==
          200);
    CHECK(stack.store.connection_count() == 2);
  }

  TEST_CASE("with no allowed origins configured, another site's page is refused") {
    Stack stack;
    CHECK(dispatch(connect_event(kAlice, {{"origin", "https://anywhere.example"},
                                          {"host", "127.0.0.1:8080"}}),
                   stack.services)
              .status_code == 403);
    CHECK(stack.store.connection_count() == 0);
  }

  TEST_CASE("\"*\" accepts every page") {
    Stack stack;
    stack.config.allowed_origins = {"*"};
    CHECK(dispatch(connect_event(kAlice, {{"origin", "https://anywhere.example"}}), stack.services)
              .status_code == 200);
  }

  TEST_CASE("a listed origin is accepted") {
    Stack stack;
    stack.config.allowed_origins = {"https://app.example.com", "http://localhost:8080"};
    auto response =
        dispatch(connect_event(kAlice, {{"origin", "http://localhost:8080"}}), stack.services);
    CHECK(response.status_code == 200);
    CHECK(stack.store.connection_count() == 1);
  }

  TEST_CASE("another origin, or none, is refused with 403 and not recorded") {
    Stack stack;
    stack.config.allowed_origins = {"https://app.example.com"};
    std::map<std::string, std::string> headers;
    SUBCASE("another origin") {
      headers = {{"origin", "https://evil.example"}};
    }
    SUBCASE("same host, other scheme") {
      headers = {{"origin", "http://app.example.com"}};
    }
    SUBCASE("no Origin header") {}
    CHECK(dispatch(connect_event(kAlice, headers), stack.services).status_code == 403);
    CHECK(stack.store.connection_count() == 0);
    CHECK(stack.connections.calls().empty());
  }
}

TEST_SUITE("select_route") {
  TEST_CASE("each custom action selects its own route") {
    CHECK(select_route(R"({"action":"joinRoom","roomId":"1"})") == "joinRoom");
    CHECK(select_route(R"({"action":"sendMsgToRoom"})") == "sendMsgToRoom");
    CHECK(select_route(R"({"action":"leaveRoom"})") == "leaveRoom");
    CHECK(select_route(R"({"action":"ping"})") == "ping");
  }

  TEST_CASE("a predefined route named as an action selects $default") {
    CHECK(select_route(R"({"action":"$connect"})") == "$default");
    CHECK(select_route(R"({"action":"$disconnect"})") == "$default");
  }

  TEST_CASE("anything without a string action selects $default") {
    CHECK(select_route("joinRoom") == "$default");
    CHECK(select_route(R"(["joinRoom"])") == "$default");
    CHECK(select_route(R"({"roomId":"1"})") == "$default");
    CHECK(select_route(R"({"action":1})") == "$default");
    CHECK(select_route(R"({"action":"JOINROOM"})") == "$default");
  }
}

TEST_SUITE("dispatch") {
  TEST_CASE("an unknown route key is answered 404 and touches nothing") {
    Stack stack;
    auto event = message_event(kAlice, R"({"action":"joinRoom","roomId":"1"})");
    event.request_context.route_key = "dance";
    CHECK(dispatch(event, stack.services).status_code == 404);
    CHECK(stack.connections.calls().empty());
    CHECK(stack.store.connection_count() == 0);
  }

  TEST_CASE("a store failure is answered 500 with INTERNAL_ERROR posted to the sender") {
    BrokenStore store;
    FakeConnections connections;
    NullLogger log;
    HandlerConfig config;
    HandlerServices services{store, connections, log, config};
    auto response =
        dispatch(message_event(kAlice, R"({"action":"joinRoom","roomId":"1"})"), services);
    CHECK(response.status_code == 500);
    check_only_error_to(connections, kAlice, "INTERNAL_ERROR");
  }

  TEST_CASE("a store failure on $connect refuses the connection with 500 and posts nothing") {
    BrokenStore store;
    FakeConnections connections;
    NullLogger log;
    HandlerConfig config;
    HandlerServices services{store, connections, log, config};
    CHECK(dispatch(connect_event(kAlice), services).status_code == 500);
    CHECK(connections.calls().empty());
  }
}

TEST_SUITE("ping") {
  TEST_CASE("a ping is answered with a pong to the sender alone, in a room or not") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    CHECK(stack.send(kAlice, R"({"action":"ping"})").status_code == 200);
    REQUIRE(stack.connections.posts_to(kAlice).size() == 1);
    CHECK(json::parse(stack.connections.posts_to(kAlice).front()) == json{{"type", "pong"}});
    CHECK(stack.connections.posts_to(kBob).empty());

    CHECK(stack.send(kCarol, R"({"action":"ping"})").status_code == 200);
    CHECK(stack.connections.posts_to(kCarol).size() == 1);
  }
}

namespace {

// A v2 member: a peerId and a name.
json profile(const std::string& peer, const std::string& name) {
  return json{{"peerId", peer}, {"name", name}};
}

// The token in the last `joined` the server sent `who`.
std::string issued_token(const FakeConnections& connections, const ConnectionId& who) {
  const auto posts = connections.posts_to(who);
  for (auto it = posts.rbegin(); it != posts.rend(); ++it) {
    json frame = json::parse(*it);
    if (frame["type"] == "joined") return frame.value("resumeToken", "");
  }
  FAIL("no joined frame to " << who.value);
  return "";
}

// Whether `token` is one the server issued for this room and peerId, good at `now_s`.
bool is_token_for(const std::string& token, const std::string& room, const std::string& peer,
                  std::int64_t now_s) {
  return videochat::lambdas::resume_token_nonce(kSecret, videochat::protocol::RoomId{room},
                                                videochat::protocol::PeerId{peer}, token, now_s)
      .has_value();
}

json with_token(json fields, const std::string& token) {
  fields["resumeToken"] = token;
  return fields;
}

const ConnectionId kAlice2{"alice2Conn=="};
const ConnectionId kAlice3{"alice3Conn=="};
const ConnectionId kMallory{"malloryConn="};

}  // namespace

TEST_SUITE("resume tokens") {
  using videochat::lambdas::resume_token;
  using videochat::lambdas::resume_token_nonce;
  const videochat::protocol::RoomId kRoom{"123"};
  const videochat::protocol::PeerId kPeer{kPeerA};
  const std::string kNonce = "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f";

  TEST_CASE("a token carries its expiry and nonce, and the HMAC-SHA256 of them under the secret") {
    // Computed independently: Python's hmac.new(secret, b"videochat-resume-v2\n123\n" + peer +
    // b"\n1800007800\n" + nonce, hashlib.sha256).hexdigest().
    CHECK(resume_token(kSecret, kRoom, kPeer, kNonce, 1'800'007'800) ==
          "2.1800007800." + kNonce +
              ".6cf7321a76e54f4917729218323b371575cf7018edb0f5c3383313387779520e");
  }

  TEST_CASE("a token names its nonce for its room and peerId, under its secret, until it expires") {
    const std::string token = resume_token(kSecret, kRoom, kPeer, kNonce, 1'800'007'800);
    CHECK(resume_token_nonce(kSecret, kRoom, kPeer, token, 1'800'007'799) == kNonce);
    CHECK_FALSE(resume_token_nonce(kSecret, kRoom, kPeer, token, 1'800'007'800));
    CHECK_FALSE(resume_token_nonce(kSecret, videochat::protocol::RoomId{"124"}, kPeer, token, 0));
    CHECK_FALSE(
        resume_token_nonce(kSecret, kRoom, videochat::protocol::PeerId{kPeerB}, token, 0));
    CHECK_FALSE(resume_token_nonce(kSecret + "x", kRoom, kPeer, token, 0));
  }

  TEST_CASE("a changed expiry, nonce or digest, or anything that is not a token, names nothing") {
    const std::string token = resume_token(kSecret, kRoom, kPeer, kNonce, 1'800'007'800);
    std::string later = token;
    later.replace(2, 10, "1900007800");
    std::string other_nonce = token;
    other_nonce[13] = 'e';
    for (const std::string& bad :
         {later, other_nonce, token.substr(0, token.size() - 1), token + "0", token + ".",
          "1" + token.substr(1), std::string(64, '0'), std::string(""), std::string("2..."),
          "2.-1." + kNonce + "." + std::string(64, '0'),
          "2.01800007800." + kNonce + "." + token.substr(token.size() - 64)}) {
      CAPTURE(bad);
      CHECK_FALSE(resume_token_nonce(kSecret, kRoom, kPeer, bad, 0));
    }
  }
}

TEST_SUITE("joinRoom v2") {
  TEST_CASE("joined tells the joiner its own id, profile, token, capacity and the others") {
    Stack stack;
    stack.join_v2(kAlice, "123", profile(kPeerA, "Alice"));
    stack.join(kBob, "123");
    stack.connections.clear();
    CHECK(stack.join_v2(kCarol, "123", profile(kPeerB, "Carol")).status_code == 200);
    json joined = joined_frame_to(stack.connections, kCarol);
    CHECK(is_token_for(joined["resumeToken"], "123", kPeerB, stack.now_s));
    joined.erase("resumeToken");
    CHECK(joined ==
          json{{"type", "joined"},
               {"roomId", "123"},
               {"connectionId", kCarol.value},
               {"capacity", 6},
               {"peerId", kPeerB},
               {"name", "Carol"},
               {"participants",
                {{{"participantConnectionId", kAlice.value}, {"peerId", kPeerA}, {"name", "Alice"}},
                 {{"participantConnectionId", kBob.value}}}}});
  }

  TEST_CASE("newParticipant carries the newcomer's peerId and name") {
    Stack stack;
    stack.seat({kAlice}, "123");
    stack.join_v2(kBob, "123", profile(kPeerB, "Bob"));
    CHECK(only_frame_to(stack.connections, kAlice) == json{{"type", "newParticipant"},
                                                           {"participantConnectionId", kBob.value},
                                                           {"peerId", kPeerB},
                                                           {"name", "Bob"}});
  }

  TEST_CASE("a name alone is announced without a peerId, and joined carries no token") {
    Stack stack;
    stack.seat({kAlice}, "123");
    stack.join_v2(kBob, "123", json{{"name", "Bob"}});
    CHECK(only_frame_to(stack.connections, kAlice) == json{{"type", "newParticipant"},
                                                           {"participantConnectionId", kBob.value},
                                                           {"name", "Bob"}});
    json joined = joined_frame_to(stack.connections, kBob);
    CHECK_FALSE(joined.contains("resumeToken"));
    CHECK_FALSE(joined.contains("peerId"));
  }

  TEST_CASE("a resume with a valid token replaces the old connection") {
    Stack stack;
    stack.join_v2(kAlice, "123", profile(kPeerA, "Alice"));
    const std::string token = issued_token(stack.connections, kAlice);
    stack.seat({kBob, kCarol}, "123");
    CHECK(stack.join_v2(kAlice2, "123", with_token(profile(kPeerA, "Alice"), token)).status_code ==
          200);

    const json resumed{{"type", "participantResumed"},
                       {"previousConnectionId", kAlice.value},
                       {"participantConnectionId", kAlice2.value},
                       {"peerId", kPeerA},
                       {"name", "Alice"}};
    CHECK(only_frame_to(stack.connections, kBob) == resumed);
    CHECK(only_frame_to(stack.connections, kCarol) == resumed);
    CHECK(stack.connections.disconnects() == std::vector<ConnectionId>{kAlice});
    CHECK(stack.connections.posts_to(kAlice).empty());
    json joined = joined_frame_to(stack.connections, kAlice2);
    CHECK(joined["participants"] == json::array({{{"participantConnectionId", kBob.value}},
                                                 {{"participantConnectionId", kCarol.value}}}));
    // A new token: the one just used goes out of use once this one has been used.
    CHECK(joined["resumeToken"] != token);
    CHECK(is_token_for(joined["resumeToken"], "123", kPeerA, stack.now_s));
  }

  TEST_CASE("after a resume the old connection's $disconnect announces nothing") {
    Stack stack;
    stack.join_v2(kAlice, "123", profile(kPeerA, "Alice"));
    const std::string token = issued_token(stack.connections, kAlice);
    stack.seat({kBob}, "123");
    stack.join_v2(kAlice2, "123", with_token(profile(kPeerA, "Alice"), token));
    stack.connections.clear();

    CHECK(dispatch(disconnect_event(kAlice), stack.services).status_code == 200);
    CHECK(stack.connections.posts().empty());
    // The room still holds Bob and the resumed connection: the count did not change.
    stack.relay(kBob, "123", "still two");
    CHECK(stack.connections.posts() == std::vector<videochat::test::Post>{{kAlice2, "still two"}});
  }

  TEST_CASE("a resume into a full room is admitted, since it takes a place already counted") {
    Stack stack;
    stack.join_v2(kAlice, "123", profile(kPeerA, "Alice"));
    const std::string token = issued_token(stack.connections, kAlice);
    auto others = six_others();
    others.pop_back();
    stack.seat(others, "123");
    REQUIRE(stack.join(kCarol, "123").status_code == 409);
    stack.connections.clear();
    CHECK(stack.join_v2(kAlice2, "123", with_token(profile(kPeerA, "Alice"), token)).status_code ==
          200);
    CHECK(joined_frame_to(stack.connections, kAlice2)["participants"].size() == 5);
  }

  TEST_CASE("the same peerId without a token is refused with PEER_ID_IN_USE, nothing changes") {
    Stack stack;
    stack.join_v2(kAlice, "123", profile(kPeerA, "Alice"));
    stack.seat({kBob}, "123");
    CHECK(stack.join_v2(kAlice2, "123", profile(kPeerA, "Alice")).status_code == 409);
    check_only_error_to(stack.connections, kAlice2, "PEER_ID_IN_USE");
    CHECK(stack.connections.disconnects().empty());
    stack.connections.clear();
    stack.relay(kBob, "123", "hi");
    CHECK(stack.connections.posts() == std::vector<videochat::test::Post>{{kAlice, "hi"}});
  }

  TEST_CASE("a peerId held by a connection API Gateway says is gone is freed, and the join succeeds") {
    Stack stack;
    stack.join_v2(kAlice, "123", profile(kPeerA, "Alice"));
    stack.seat({kBob}, "123");
    // Alice's connection died without a $disconnect (say, a server restarted over its table), and
    // her page comes back without a valid token.
    stack.connections.mark_gone(kAlice);
    stack.connections.clear();
    CHECK(stack.join_v2(kAlice2, "123", profile(kPeerA, "Alice")).status_code == 200);
    const auto to_bob = stack.connections.posts_to(kBob);
    REQUIRE(to_bob.size() == 2);
    CHECK(json::parse(to_bob[0]) == json{{"type", "participantLeft"},
                                         {"participantConnectionId", kAlice.value},
                                         {"reason", "disconnected"}});
    CHECK(json::parse(to_bob[1])["participantConnectionId"] == kAlice2.value);
    CHECK(joined_frame_to(stack.connections, kAlice2)["participants"].size() == 1);
    stack.connections.clear();
    stack.relay(kBob, "123", "hi");
    CHECK(stack.connections.posts() == std::vector<videochat::test::Post>{{kAlice2, "hi"}});
  }

  TEST_CASE("a live holder is probed, and the refusal stands") {
    Stack stack;
    stack.join_v2(kAlice, "123", profile(kPeerA, "Alice"));
    stack.connections.clear();
    CHECK(stack.join_v2(kAlice2, "123", profile(kPeerA, "Alice")).status_code == 409);
    const auto& calls = stack.connections.calls();
    CHECK(std::count_if(calls.begin(), calls.end(), [](const auto& call) {
            return call.kind == FakeConnections::CallKind::Probe && call.connection == kAlice;
          }) == 1);
  }

  TEST_CASE("the same peerId with a wrong token is refused with PEER_ID_IN_USE saying why") {
    Stack stack;
    stack.join_v2(kAlice, "123", profile(kPeerA, "Alice"));
    stack.connections.clear();
    // A real token, for another room.
    std::string wrong = videochat::lambdas::resume_token(
        kSecret, videochat::protocol::RoomId{"other"}, videochat::protocol::PeerId{kPeerA},
        "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f", stack.now_s + 60);
    SUBCASE("for another room") {}
    SUBCASE("made up") {
      wrong = std::string(64, '0');
    }
    json fields = profile(kPeerA, "Alice");
    fields["resumeToken"] = wrong;
    CHECK(stack.join_v2(kAlice2, "123", fields).status_code == 409);
    check_only_error_to(stack.connections, kAlice2, "PEER_ID_IN_USE");
    CHECK(
        json::parse(stack.connections.posts_to(kAlice2).front())["message"].get<std::string>().find(
            "resumeToken is not valid") != std::string::npos);
    CHECK(stack.connections.disconnects().empty());
  }

  TEST_CASE("an invalid token on a join whose peerId is free is no error") {
    Stack stack;
    json fields = profile(kPeerA, "Alice");
    fields["resumeToken"] = "not-a-token";
    CHECK(stack.join_v2(kAlice, "123", fields).status_code == 200);
    CHECK(is_token_for(joined_frame_to(stack.connections, kAlice)["resumeToken"], "123", kPeerA,
                       stack.now_s));
  }

  TEST_CASE("two members of a room never share a peerId, whoever joins") {
    Stack stack;
    stack.join_v2(kAlice, "123", profile(kPeerA, "A"));
    CHECK(stack.join_v2(kBob, "123", profile(kPeerA, "B")).status_code == 409);
    CHECK(stack.join_v2(kCarol, "123", profile(kPeerA, "C")).status_code == 409);
    CHECK(stack.join_v2(kBob, "123", profile(kPeerB, "B")).status_code == 200);
  }

  TEST_CASE("a second claimant of a free peerId gets a token of its own: neither evicts the other") {
    Stack stack;
    stack.join_v2(kAlice, "123", profile(kPeerA, "Alice"));
    const std::string alices = issued_token(stack.connections, kAlice);
    // Alice's connection drops; her peerId, which everyone in the room saw, is free.
    CHECK(dispatch(disconnect_event(kAlice), stack.services).status_code == 200);
    stack.join_v2(kMallory, "123", profile(kPeerA, "Mallory"));
    const std::string mallorys = issued_token(stack.connections, kMallory);
    CHECK(mallorys != alices);
    stack.connections.clear();

    // Alice's token was for the place she had, not for whoever holds her peerId now.
    CHECK(stack.join_v2(kAlice2, "123", with_token(profile(kPeerA, "Alice"), alices))
              .status_code == 409);
    check_only_error_to(stack.connections, kAlice2, "PEER_ID_IN_USE");
    CHECK(stack.connections.disconnects().empty());

    // Mallory leaves, Alice takes her peerId back: Mallory's old token cannot evict her.
    stack.send(kMallory, json{{"action", "leaveRoom"}, {"roomId", "123"}}.dump());
    REQUIRE(stack.join_v2(kAlice2, "123", profile(kPeerA, "Alice")).status_code == 200);
    stack.connections.clear();
    const ConnectionId mallory2{"mallory2Con="};
    CHECK(stack.join_v2(mallory2, "123", with_token(profile(kPeerA, "Mallory"), mallorys))
              .status_code == 409);
    CHECK(stack.connections.disconnects().empty());
  }

  TEST_CASE("every resume rotates the token; the previous one works until the new one is used") {
    Stack stack;
    stack.join_v2(kAlice, "123", profile(kPeerA, "Alice"));
    const std::string first = issued_token(stack.connections, kAlice);
    REQUIRE(stack.join_v2(kAlice2, "123", with_token(profile(kPeerA, "Alice"), first))
                .status_code == 200);
    // The joined that carried the second token was lost: the first one still resumes.
    REQUIRE(stack.join_v2(kAlice3, "123", with_token(profile(kPeerA, "Alice"), first))
                .status_code == 200);
    const std::string third = issued_token(stack.connections, kAlice3);
    // Once the newest token has been used, the first is out of use for good.
    const ConnectionId alice4{"alice4Conn=="}, alice5{"alice5Conn=="};
    REQUIRE(stack.join_v2(alice4, "123", with_token(profile(kPeerA, "Alice"), third))
                .status_code == 200);
    stack.connections.clear();
    CHECK(stack.join_v2(alice5, "123", with_token(profile(kPeerA, "Alice"), first)).status_code ==
          409);
    check_only_error_to(stack.connections, alice5, "PEER_ID_IN_USE");
  }

  TEST_CASE("a token resumes only within its lifetime") {
    Stack stack;
    stack.join_v2(kAlice, "123", profile(kPeerA, "Alice"));
    const std::string token = issued_token(stack.connections, kAlice);
    const std::int64_t lifetime = stack.config.resume_token_lifetime.count();
    CHECK(lifetime > 2 * 3600);  // longer than API Gateway lets a connection live
    SUBCASE("just before it expires") {
      stack.now_s += lifetime - 1;
      CHECK(stack.join_v2(kAlice2, "123", with_token(profile(kPeerA, "Alice"), token))
                .status_code == 200);
    }
    SUBCASE("once it has expired") {
      stack.now_s += lifetime;
      CHECK(stack.join_v2(kAlice2, "123", with_token(profile(kPeerA, "Alice"), token))
                .status_code == 409);
    }
  }

  TEST_CASE("invalid v2 fields are refused with BAD_REQUEST and a specific message") {
    Stack stack;
    json fields;
    std::string says;
    SUBCASE("peerId in upper case") {
      fields = {{"peerId", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}};
      says = "peerId must be 32 lowercase hex";
    }
    SUBCASE("peerId too short") {
      fields = {{"peerId", "abc"}};
      says = "peerId must be 32 lowercase hex";
    }
    SUBCASE("peerId a number") {
      fields = {{"peerId", 12}};
      says = "peerId must be a string";
    }
    SUBCASE("name of 65 bytes") {
      fields = {{"name", std::string(65, 'n')}};
      says = "at most 64 bytes";
    }
    SUBCASE("name with a newline") {
      fields = {{"name", "Al\nice"}};
      says = "control characters";
    }
    SUBCASE("name with DEL") {
      fields = {{"name", "Al\x7fice"}};
      says = "control characters";
    }
    SUBCASE("empty name") {
      fields = {{"name", ""}};
      says = "must not be empty";
    }
    SUBCASE("name not a string") {
      fields = {{"name", json::array()}};
      says = "name must be a string";
    }
    SUBCASE("resumeToken without peerId") {
      fields = {{"resumeToken", "2.1.2.3"}};
      says = "resumeToken needs the peerId";
    }
    SUBCASE("resumeToken not a string") {
      fields = {{"peerId", kPeerA}, {"resumeToken", 1}};
      says = "resumeToken must be a string";
    }
    CHECK(stack.join_v2(kAlice, "123", fields).status_code == 400);
    check_only_error_to(stack.connections, kAlice, "BAD_REQUEST");
    std::string message = json::parse(stack.connections.posts_to(kAlice).front())["message"];
    CHECK_MESSAGE(message.find(says) != std::string::npos, message);
  }

  TEST_CASE("a name that could disguise itself is refused as such; the room never hears of it") {
    Stack stack;
    stack.seat({kBob}, "123");
    // "Ann" then U+202E RIGHT-TO-LEFT OVERRIDE: what follows would be shown reversed.
    const std::string name = "Ann\xe2\x80\xaegpj.exe";
    CHECK(stack.join_v2(kAlice, "123", json{{"name", name}}).status_code == 400);
    // Its own code, so that a page can say what is wrong with the name.
    check_only_error_to(stack.connections, kAlice, "NAME_NOT_ALLOWED");
    CHECK(only_frame_to(stack.connections, kAlice)["message"].get<std::string>().find("U+202E") !=
          std::string::npos);
  }

  TEST_CASE("a name is passed on in NFC, without spaces at either end") {
    Stack stack;
    stack.seat({kBob}, "123");
    stack.join_v2(kAlice, "123", json{{"name", "  Zoe\xcc\x88 "}});  // o + combining diaeresis
    CHECK(only_frame_to(stack.connections, kBob)["name"] == "Zo\xc3\xab");
    CHECK(joined_frame_to(stack.connections, kAlice)["name"] == "Zo\xc3\xab");
  }

  TEST_CASE("a name of exactly 64 bytes of multi-byte UTF-8 is accepted") {
    Stack stack;
    std::string name;
    for (int i = 0; i < 16; ++i) name += "\xF0\x9F\x98\x80";  // 😀, 4 bytes each
    CHECK(stack.join_v2(kAlice, "123", json{{"name", name}}).status_code == 200);
    CHECK(joined_frame_to(stack.connections, kAlice)["name"] == name);
  }
}

TEST_SUITE("sendMsgToRoom v2") {
  TEST_CASE("with `to`, the message reaches that member only") {
    Stack stack;
    stack.seat({kAlice, kBob, kCarol}, "123");
    CHECK(stack.relay_to(kAlice, "123", "for bob", kBob.value).status_code == 200);
    CHECK(stack.connections.posts() == std::vector<videochat::test::Post>{{kBob, "for bob"}});
  }

  TEST_CASE("a `to` outside the room is UNKNOWN_RECIPIENT (404) and nothing is relayed") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    stack.seat({kCarol}, "other");
    std::string to = kCarol.value;
    SUBCASE("a member of another room") {}
    SUBCASE("no one at all") {
      to = "nobodyHere==";
    }
    SUBCASE("the sender itself") {
      to = kAlice.value;
    }
    CHECK(stack.relay_to(kAlice, "123", "psst", to).status_code == 404);
    check_only_error_to(stack.connections, kAlice, "UNKNOWN_RECIPIENT");
    CHECK(json::parse(stack.connections.posts_to(kAlice).front())["message"] ==
          "'" + to + "' is not in room '123'");
  }

  TEST_CASE("NOT_IN_ROOM is checked before the recipient") {
    Stack stack;
    stack.seat({kBob}, "123");
    CHECK(stack.relay_to(kAlice, "123", "psst", "nobodyHere==").status_code == 400);
    check_only_error_to(stack.connections, kAlice, "NOT_IN_ROOM");
  }

  TEST_CASE("a `to` that is not a string is BAD_REQUEST") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    stack.send(kAlice, R"({"action":"sendMsgToRoom","roomId":"123","message":"m","to":7})");
    check_only_error_to(stack.connections, kAlice, "BAD_REQUEST");
  }

  TEST_CASE("a gone `to` target is forgotten and its room told it disconnected") {
    Stack stack;
    stack.seat({kAlice, kBob, kCarol}, "123");
    stack.connections.mark_gone(kBob);
    CHECK(stack.relay_to(kAlice, "123", "offer", kBob.value).status_code == 200);
    check_participant_left(only_frame_to(stack.connections, kAlice), kBob, "disconnected");
    check_participant_left(only_frame_to(stack.connections, kCarol), kBob, "disconnected");
    stack.connections.clear();
    CHECK(stack.relay_to(kAlice, "123", "again", kBob.value).status_code == 404);
  }
}

TEST_SUITE("from splicing") {
  TEST_CASE("a JSON object gets from and fromPeer, the rest unchanged") {
    Stack stack;
    stack.join_v2(kAlice, "123", profile(kPeerA, "Alice"));
    stack.seat({kBob}, "123");
    stack.relay(kAlice, "123", R"({"type":"offer","sdp":"v=0\r\n"})");
    CHECK(
        only_frame_to(stack.connections, kBob) ==
        json{{"type", "offer"}, {"sdp", "v=0\r\n"}, {"from", kAlice.value}, {"fromPeer", kPeerA}});
  }

  TEST_CASE("a forged from and fromPeer are overwritten") {
    Stack stack;
    stack.join_v2(kAlice, "123", profile(kPeerA, "Alice"));
    stack.seat({kBob}, "123");
    stack.relay(kAlice, "123",
                R"({"type":"offer","from":"carolConnId=","fromPeer":")" + kPeerB +
                    R"(","nested":{"from":"kept"}})");
    CHECK(only_frame_to(stack.connections, kBob) == json{{"type", "offer"},
                                                         {"nested", {{"from", "kept"}}},
                                                         {"from", kAlice.value},
                                                         {"fromPeer", kPeerA}});
  }

  TEST_CASE("a sender without a peerId gets from, and any fromPeer it wrote removed") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    std::string message = R"({"type":"answer"})";
    SUBCASE("without fromPeer") {}
    SUBCASE("with a forged fromPeer") {
      message = R"({"type":"answer","fromPeer":")" + kPeerB + "\"}";
    }
    stack.relay(kAlice, "123", message);
    CHECK(only_frame_to(stack.connections, kBob) ==
          json{{"type", "answer"}, {"from", kAlice.value}});
  }

  TEST_CASE("an empty object and one with whitespace are spliced into valid JSON") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    std::string message = "{}";
    SUBCASE("empty") {}
    SUBCASE("empty with whitespace") {
      message = " { \n } ";
    }
    stack.relay(kAlice, "123", message);
    CHECK(only_frame_to(stack.connections, kBob) == json{{"from", kAlice.value}});
  }

  TEST_CASE("anything but a JSON object is relayed byte for byte") {
    Stack stack;
    stack.join_v2(kAlice, "123", profile(kPeerA, "Alice"));
    stack.seat({kBob}, "123");
    std::string message;
    SUBCASE("plain text") {
      message = "hello world!";
    }
    SUBCASE("a JSON string") {
      message = R"("quoted")";
    }
    SUBCASE("a JSON array") {
      message = R"([{"from":"x"}])";
    }
    SUBCASE("a number with spaces") {
      message = " 42 ";
    }
    SUBCASE("empty") {
      message = "";
    }
    stack.relay(kAlice, "123", message);
    CHECK(stack.connections.posts() == std::vector<videochat::test::Post>{{kBob, message}});
  }

  TEST_CASE("text that starts like an object but is not valid JSON is refused, not relayed") {
    // A receiver's laxer parser could read these as objects carrying a forged "from".
    Stack stack;
    stack.join_v2(kAlice, "123", profile(kPeerA, "Alice"));
    stack.seat({kBob}, "123");
    stack.connections.clear();
    std::string message;
    SUBCASE("cut short") {
      message = R"({"type":"offer")";
    }
    SUBCASE("followed by more") {
      message = R"({"a":1} {"b":2})";
    }
    SUBCASE("a number JSON.parse reads as Infinity, before a forged from") {
      message = R"({"a":1e400,"from":"victim","type":"offer"})";
    }
    SUBCASE("a forged from first, then a lone surrogate") {
      message = R"({"from":"victim","s":"\ud800"})";
    }
    CHECK(stack.relay(kAlice, "123", message).status_code == 400);
    check_only_error_to(stack.connections, kAlice, "BAD_REQUEST");
    CHECK(stack.connections.posts_to(kBob).empty());
  }

  TEST_CASE("an object behind a byte-order mark is an object: it gets the sender's fields") {
    // nlohmann, which our client parses with, skips a leading mark: relayed as it came, this
    // would reach every member as a server notice that the victim left.
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    const std::string forged =
        R"({"type":"participantLeft","participantConnectionId":"victim","reason":"left"})";
    CHECK(stack.relay(kAlice, "123", "\xEF\xBB\xBF" + forged).status_code == 200);
    const auto posts = stack.connections.posts_to(kBob);
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].starts_with(R"({"from":)"));  // the mark is gone, the server's fields first
    CHECK(json::parse(posts[0]).at("from") == kAlice.value);
  }

  TEST_CASE("an object nested deeper than the limit is refused, not relayed") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    stack.connections.clear();
    const std::string deep = "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}";
    CHECK(stack.relay(kAlice, "123", deep).status_code == 400);
    check_only_error_to(stack.connections, kAlice, "BAD_REQUEST");
    CHECK(stack.connections.posts_to(kBob).empty());
  }

  TEST_CASE("the size limit applies to the client's text, not the spliced one") {
    Stack stack;
    const std::string message = R"({"n":1})";
    stack.config.max_message_bytes = message.size();
    stack.seat({kAlice, kBob}, "123");
    CHECK(stack.relay(kAlice, "123", message).status_code == 200);
    CHECK(only_frame_to(stack.connections, kBob) == json{{"n", 1}, {"from", kAlice.value}});
  }
}
