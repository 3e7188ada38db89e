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

// The handlers with a real in-memory store and a fake @connections API.
struct Stack {
  MemoryRoomStore store;
  FakeConnections connections;
  NullLogger log;
  HandlerConfig config;
  HandlerServices services{store, connections, log, config};

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
  videochat::lambdas::JoinOutcome join_room(const ConnectionId&,
                                            const videochat::protocol::RoomId&) override {
    throw StoreError("down");
  }
  std::optional<videochat::lambdas::Departure> leave_room(const ConnectionId&) override {
    throw StoreError("down");
  }
  std::optional<videochat::lambdas::Departure> remove_connection(const ConnectionId&) override {
    throw StoreError("down");
  }
  std::optional<std::vector<ConnectionId>> relay_targets(const videochat::protocol::RoomId&,
                                                         const ConnectionId&) override {
    throw StoreError("down");
  }
};

// A store whose every room is full, as a store with another capacity (DynamoDB's) reports it.
struct FullStore final : videochat::lambdas::RoomStore {
  std::size_t capacity = 4;
  void add_connection(const ConnectionId&, std::int64_t) override {}
  videochat::lambdas::JoinOutcome join_room(const ConnectionId&,
                                            const videochat::protocol::RoomId& room) override {
    throw videochat::lambdas::RoomFullError(room, capacity);
  }
  std::optional<videochat::lambdas::Departure> leave_room(const ConnectionId&) override {
    return std::nullopt;
  }
  std::optional<videochat::lambdas::Departure> remove_connection(const ConnectionId&) override {
    return std::nullopt;
  }
  std::optional<std::vector<ConnectionId>> relay_targets(const videochat::protocol::RoomId&,
                                                         const ConnectionId&) override {
    return std::nullopt;
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
  TEST_CASE("every other member is told the newcomer's connection id; the newcomer hears nothing") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    CHECK(stack.join(kCarol, "123").status_code == 200);
    check_new_participant(only_frame_to(stack.connections, kAlice), kCarol);
    check_new_participant(only_frame_to(stack.connections, kBob), kCarol);
    CHECK(stack.connections.posts_to(kCarol).empty());
    CHECK(stack.connections.posts().size() == 2);
  }

  TEST_CASE("the first member of a room is told nothing") {
    Stack stack;
    CHECK(stack.join(kAlice, "123").status_code == 200);
    CHECK(stack.connections.posts().empty());
  }

  TEST_CASE("joining the room one is already in sends nothing") {
    Stack stack;
    stack.seat({kAlice, kBob}, "123");
    CHECK(stack.join(kBob, "123").status_code == 200);
    CHECK(stack.connections.posts().empty());
  }

  TEST_CASE("joining another room tells the old room's members the joiner left") {
    Stack stack;
    stack.seat({kAlice, kBob}, "old");
    stack.seat({kCarol}, "new");
    CHECK(stack.join(kAlice, "new").status_code == 200);
    check_participant_left(only_frame_to(stack.connections, kBob), kAlice, "left");
    check_new_participant(only_frame_to(stack.connections, kCarol), kAlice);
    CHECK(stack.connections.posts_to(kAlice).empty());
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

  TEST_CASE("a member of a full room joining it again is answered 200 and nothing is sent") {
    Stack stack;
    auto members = six_others();
    stack.seat(members, "123");
    CHECK(stack.join(members.front(), "123").status_code == 200);
    CHECK(stack.connections.posts().empty());
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
    const std::string offer = R"({"type":"offer","sdp":"v=0\r\no=- 46 2 IN IP4 127.0.0.1\r\n"})";
    CHECK(stack.relay(kAlice, "123", offer).status_code == 200);
    CHECK(stack.connections.posts_to(kBob) == std::vector<std::string>{offer});
    CHECK(stack.connections.posts_to(kCarol) == std::vector<std::string>{offer});
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
  TEST_CASE("with no allowed origins configured, any connection is accepted and recorded") {
    Stack stack;
    CHECK(dispatch(connect_event(kAlice, {{"origin", "https://anywhere.example"}}), stack.services)
              .status_code == 200);
    CHECK(stack.store.connection_count() == 1);
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
