// Room passcodes and the lock, as people at the door and in the room experience them: the first
// member sets the passcode, later joiners need it, guessers are slowed down by connection and by
// address, a member locks the room, and both die with the room. Also the hash (against RFC 7914's
// PBKDF2-HMAC-SHA256 vectors) and the attempt policy on their own.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "client_frames.hpp"
#include "fake_connections.hpp"
#include "memory_room_store.hpp"
#include "passcode_attempts.hpp"
#include "passcode_hash.hpp"
#include "route_handlers.hpp"
#include "server_frames.hpp"

namespace {

using nlohmann::json;
using videochat::lambdas::AttemptRecord;
using videochat::lambdas::dispatch;
using videochat::lambdas::HandlerConfig;
using videochat::lambdas::HandlerResponse;
using videochat::lambdas::HandlerServices;
using videochat::lambdas::Logger;
using videochat::lambdas::MemoryRoomStore;
using videochat::protocol::ConnectionId;
using videochat::test::FakeConnections;
using videochat::test::message_event;
namespace lambdas = videochat::lambdas;
namespace protocol = videochat::protocol;

const ConnectionId kAlice{"aliceConnId="};
const ConnectionId kBob{"bobConnIdAA="};
const ConnectionId kCarol{"carolConnId="};
const ConnectionId kMallory{"malloryConn="};
const std::string kPeerA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

// Every line the handlers log, as text.
struct CapturingLogger final : Logger {
  std::vector<std::string> lines;
  void write(json line) override { lines.push_back(line.dump()); }
  void write_rendered(std::string_view members) override { lines.emplace_back(members); }
};

struct Door {
  MemoryRoomStore store;
  FakeConnections connections;
  CapturingLogger log;
  HandlerConfig config;
  HandlerServices services{store, connections, log, config};
  std::int64_t now_s = 1'800'000'000;

  Door() {
    config.resume_secret = "0123456789abcdef0123456789abcdef-test-secret";
    config.clock = [this] { return now_s; };
  }
  Door(const Door&) = delete;
  Door& operator=(const Door&) = delete;

  HandlerResponse send(const ConnectionId& from, json body, const std::string& ip = "203.0.113.7") {
    auto event = message_event(from, body.dump());
    event.request_context.source_ip = ip;
    return dispatch(event, services);
  }
  HandlerResponse join(const ConnectionId& who, std::optional<std::string> passcode = {},
                       const std::string& ip = "203.0.113.7") {
    json frame = {{"action", "joinRoom"}, {"roomId", "standup"}};
    if (passcode) frame["passcode"] = *passcode;
    return send(who, frame, ip);
  }
  HandlerResponse lock(const ConnectionId& who, bool locked) {
    return send(who, {{"action", "lockRoom"}, {"roomId", "standup"}, {"locked", locked}});
  }
  // The one frame `to` got since the last clear.
  json frame_to(const ConnectionId& to) {
    auto frames = connections.posts_to(to);
    REQUIRE_MESSAGE(frames.size() == 1, "frames to " << to.value << ": " << frames.size());
    return json::parse(frames.front());
  }
  std::string error_code_to(const ConnectionId& to) {
    json frame = frame_to(to);
    REQUIRE(frame["type"] == "error");
    return frame["code"];
  }
};

}  // namespace

TEST_SUITE("room passcodes") {
  TEST_CASE("PBKDF2-HMAC-SHA256 matches RFC 7914's vectors (first 32 bytes)") {
    CHECK(lambdas::pbkdf2_sha256_hex("passwd", "salt", 1) ==
          "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
    CHECK(lambdas::pbkdf2_sha256_hex("Password", "NaCl", 80000) ==
          "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56");
  }

  TEST_CASE("a record matches its passcode only, is salted afresh and never holds the passcode") {
    const std::string record = lambdas::hash_passcode("Tr0mbone", 1000);
    CHECK(record.starts_with("pbkdf2-sha256$1000$"));
    CHECK(record.find("Tr0mbone") == std::string::npos);
    CHECK(lambdas::passcode_matches("Tr0mbone", record));
    CHECK_FALSE(lambdas::passcode_matches("tr0mbone", record));
    CHECK_FALSE(lambdas::passcode_matches("", record));
    CHECK(lambdas::hash_passcode("Tr0mbone", 1000) != record);
    CHECK(lambdas::hash_passcode("Tr0mbone").starts_with("pbkdf2-sha256$50000$"));
  }

  TEST_CASE("a record not in our form matches nothing, and an absurd cost is not run") {
    const std::string record = lambdas::hash_passcode("1234", 10);
    for (std::string bad : {std::string(""), std::string("1234"), record.substr(0, record.size() - 1),
                            "pbkdf2-sha1" + record.substr(13), "pbkdf2-sha256$0" + record.substr(16),
                            "pbkdf2-sha256$99999999999" + record.substr(16)}) {
      CAPTURE(bad);
      CHECK_FALSE(lambdas::passcode_matches("1234", bad));
    }
  }

  TEST_CASE("passcodes are 4 to 64 characters (not bytes) without control characters") {
    CHECK(protocol::check_passcode("1234") == std::nullopt);
    CHECK(protocol::check_passcode("äöüß") == std::nullopt);  // 4 characters, 8 bytes
    CHECK(protocol::check_passcode("123") == protocol::PasscodeProblem::TooShort);
    CHECK(protocol::check_passcode(std::string(64, 'x')) == std::nullopt);
    CHECK(protocol::check_passcode(std::string(65, 'x')) == protocol::PasscodeProblem::TooLong);
    CHECK(protocol::check_passcode("12\n34") == protocol::PasscodeProblem::ControlCharacter);
    CHECK(protocol::check_passcode("\xff\xfe\xfd\xfc") == protocol::PasscodeProblem::InvalidUtf8);
  }
}

TEST_SUITE("passcode attempts") {
  TEST_CASE("five wrong passcodes are free, then each waits twice as long, up to five minutes") {
    const std::int64_t t = 1000;
    AttemptRecord record;
    for (int i = 0; i < 5; ++i) {
      CHECK(lambdas::passcode_wait_seconds(record, t) == 0);
      record = lambdas::with_failure(record, t);
    }
    CHECK(lambdas::passcode_wait_seconds(record, t) == 1);
    CHECK(lambdas::passcode_wait_seconds(record, t + 1) == 0);
    record = lambdas::with_failure(record, t + 1);
    CHECK(lambdas::passcode_wait_seconds(record, t + 1) == 2);
    for (int i = 0; i < 20; ++i) record = lambdas::with_failure(record, t + 2);
    CHECK(lambdas::passcode_wait_seconds(record, t + 2) == lambdas::kMaxPasscodeWaitSeconds);
  }

  TEST_CASE("failures are forgotten fifteen minutes after the last") {
    AttemptRecord record{9, 1000};
    CHECK(lambdas::passcode_wait_seconds(record, 1000) > 0);
    CHECK(lambdas::current(record, 1000 + lambdas::kPasscodeFailureMemory) == AttemptRecord{});
    CHECK(lambdas::with_failure(record, 1000 + lambdas::kPasscodeFailureMemory).failures == 1);
  }

  TEST_CASE("addresses: IPv4 as is, IPv4-mapped as IPv4, IPv6 by its /64") {
    CHECK(lambdas::address_attempt_key("203.0.113.7") == "addr:203.0.113.7");
    CHECK(lambdas::address_attempt_key("::ffff:203.0.113.7") == "addr:203.0.113.7");
    CHECK(lambdas::address_attempt_key("2001:db8:1:2:aaaa::1") == "addr:2001:db8:1:2::/64");
    CHECK(lambdas::address_attempt_key("2001:db8:1:2:bbbb::9") == "addr:2001:db8:1:2::/64");
    CHECK(lambdas::address_attempt_key("") == "");
    CHECK(lambdas::address_attempt_key("not an address") == "");
  }
}

TEST_SUITE("frames: passcode and lock") {
  TEST_CASE("joinRoom carries a passcode; a bad one is refused by the parser") {
    auto parsed = protocol::parse_client_frame(
        R"({"action":"joinRoom","roomId":"standup","passcode":"Tr0mbone"})");
    auto& join = std::get<protocol::JoinRoom>(std::get<protocol::ClientFrame>(parsed));
    CHECK(join.passcode == "Tr0mbone");
    CHECK(protocol::to_text(protocol::ClientFrame{join}) ==
          R"({"action":"joinRoom","roomId":"standup","passcode":"Tr0mbone"})");
    for (const char* bad : {R"({"action":"joinRoom","roomId":"r","passcode":12345})",
                            R"({"action":"joinRoom","roomId":"r","passcode":"abc"})"}) {
      auto refused = std::get<protocol::ClientFrameError>(protocol::parse_client_frame(bad));
      CHECK(refused.code == protocol::ErrorCode::BadRequest);
      CHECK(refused.message.find("passcode") != std::string::npos);
    }
  }

  TEST_CASE("lockRoom needs locked as true or false") {
    auto parsed = protocol::parse_client_frame(R"({"action":"lockRoom","roomId":"r","locked":false})");
    auto& lock = std::get<protocol::LockRoom>(std::get<protocol::ClientFrame>(parsed));
    CHECK_FALSE(lock.locked);
    CHECK(protocol::to_text(protocol::ClientFrame{lock}) ==
          R"({"action":"lockRoom","roomId":"r","locked":false})");
    for (const char* bad : {R"({"action":"lockRoom","roomId":"r"})",
                            R"({"action":"lockRoom","roomId":"r","locked":"yes"})",
                            R"({"action":"lockRoom","locked":true})"}) {
      CHECK(std::holds_alternative<protocol::ClientFrameError>(protocol::parse_client_frame(bad)));
    }
  }

  TEST_CASE("roomLocked and joined's lock and passcode flags read back as written") {
    protocol::RoomLocked locked{protocol::RoomId{"r"}, true, ConnectionId{"c1"}};
    CHECK(protocol::to_text(locked) == R"({"type":"roomLocked","roomId":"r","locked":true,"by":"c1"})");
    auto read = protocol::parse_server_frame(protocol::to_text(locked));
    CHECK(std::get<protocol::RoomLocked>(std::get<protocol::ServerFrame>(read)) == locked);
    protocol::Joined joined{protocol::RoomId{"r"}, ConnectionId{"c1"}, 6u, {}, {}, {}, {}, {}};
    joined.locked = true;
    joined.has_passcode = true;
    auto back = protocol::parse_server_frame(protocol::to_text(joined));
    CHECK(std::get<protocol::Joined>(std::get<protocol::ServerFrame>(back)) == joined);
    // A member cannot forge one: anything with "from" is a member's message.
    auto forged = protocol::parse_server_frame(
        R"({"type":"roomLocked","roomId":"r","locked":true,"by":"c1","from":"x"})");
    CHECK(std::holds_alternative<protocol::Relayed>(std::get<protocol::ServerFrame>(forged)));
  }
}

TEST_SUITE("joining a room with a passcode") {
  TEST_CASE("the first member sets it; the others need it; a wrong one tells nobody else") {
    Door door;
    door.join(kAlice, "Tr0mbone");
    json joined = door.frame_to(kAlice);
    CHECK(joined["hasPasscode"] == true);
    door.connections.clear();

    CHECK(door.join(kBob).status_code == 401);
    CHECK(door.error_code_to(kBob) == "PASSCODE_REQUIRED");
    door.connections.clear();
    CHECK(door.join(kBob, "trombone").status_code == 403);
    CHECK(door.error_code_to(kBob) == "WRONG_PASSCODE");
    CHECK(door.connections.posts_to(kAlice).empty());
    door.connections.clear();

    CHECK(door.join(kBob, "Tr0mbone").status_code == 200);
    CHECK(door.frame_to(kBob)["hasPasscode"] == true);
    CHECK(door.frame_to(kAlice)["type"] == "newParticipant");
  }

  TEST_CASE("the passcode is compared in NFC: a precomposed and a decomposed é are one") {
    Door door;
    door.join(kAlice, "caf\xC3\xA9!");   // U+00E9
    door.connections.clear();
    CHECK(door.join(kBob, "cafe\xCC\x81!").status_code == 200);  // e + U+0301
  }

  TEST_CASE("a room without a passcode ignores one, and its joiners need none") {
    Door door;
    door.join(kAlice);
    door.connections.clear();
    CHECK(door.join(kBob, "whatever").status_code == 200);
    CHECK_FALSE(door.frame_to(kBob).contains("hasPasscode"));
    door.connections.clear();
    CHECK(door.join(kCarol).status_code == 200);
  }

  TEST_CASE("the passcode dies with the room: once empty, the next joiner sets its own or none") {
    Door door;
    door.join(kAlice, "Tr0mbone");
    door.send(kAlice, {{"action", "leaveRoom"}});
    door.connections.clear();
    CHECK(door.join(kBob).status_code == 200);
    CHECK_FALSE(door.frame_to(kBob).contains("hasPasscode"));
  }

  TEST_CASE("neither the passcode nor its hash is ever logged") {
    Door door;
    door.join(kAlice, "Tr0mbone");
    door.join(kBob, "Wr0ngpass");
    door.join(kCarol, "Tr0mbone");
    REQUIRE_FALSE(door.log.lines.empty());
    for (const auto& line : door.log.lines) {
      CHECK(line.find("Tr0mbone") == std::string::npos);
      CHECK(line.find("Wr0ngpass") == std::string::npos);
      CHECK(line.find("pbkdf2") == std::string::npos);
    }
  }

  TEST_CASE("a guesser waits after five wrong passcodes, on a new connection from its address too") {
    Door door;
    door.join(kAlice, "Tr0mbone", "198.51.100.1");
    for (int i = 0; i < 5; ++i) {
      door.connections.clear();
      door.join(kMallory, "guess" + std::to_string(i));
      CHECK(door.error_code_to(kMallory) == "WRONG_PASSCODE");
    }
    // Even the right passcode waits: the wait is what makes guessing slow.
    door.connections.clear();
    CHECK(door.join(kMallory, "Tr0mbone").status_code == 429);
    json refused = door.frame_to(kMallory);
    CHECK(refused["code"] == "TOO_MANY_ATTEMPTS");
    CHECK(refused["message"].get<std::string>().find("try again in 1 second") != std::string::npos);
    door.connections.clear();
    CHECK(door.join(ConnectionId{"mallory2Con="}, "Tr0mbone").status_code == 429);
    // Someone else, from another address, is not held up by the guesser.
    door.connections.clear();
    CHECK(door.join(kBob, "Tr0mbone", "192.0.2.44").status_code == 200);
    // After the wait, the right passcode gets in.
    door.now_s += 1;
    door.connections.clear();
    CHECK(door.join(kMallory, "Tr0mbone").status_code == 200);
  }

  TEST_CASE("the same guesser is slowed by its connection whatever address it claims") {
    Door door;
    door.join(kAlice, "Tr0mbone");
    for (int i = 0; i < 5; ++i) door.join(kMallory, "guess" + std::to_string(i), "192.0.2." + std::to_string(i));
    door.connections.clear();
    CHECK(door.join(kMallory, "guess9", "192.0.2.99").status_code == 429);
  }
}

TEST_SUITE("locking a room") {
  TEST_CASE("a member locks: everyone is told, newcomers are refused, members stay; unlock reopens") {
    Door door;
    door.join(kAlice);
    door.join(kBob);
    door.connections.clear();
    CHECK(door.lock(kBob, true).status_code == 200);
    const json told = {{"type", "roomLocked"}, {"roomId", "standup"}, {"locked", true}, {"by", kBob.value}};
    CHECK(door.frame_to(kAlice) == told);
    CHECK(door.frame_to(kBob) == told);
    door.connections.clear();

    CHECK(door.join(kCarol).status_code == 423);
    CHECK(door.error_code_to(kCarol) == "ROOM_LOCKED");
    CHECK(door.connections.posts_to(kAlice).empty());
    // A member joining its room again (a new name) is no newcomer.
    door.connections.clear();
    CHECK(door.send(kAlice, {{"action", "joinRoom"}, {"roomId", "standup"}, {"name", "Al"}})
              .status_code == 200);
    CHECK(door.frame_to(kAlice)["locked"] == true);

    door.connections.clear();
    door.lock(kAlice, false);
    CHECK(door.frame_to(kBob)["locked"] == false);
    door.connections.clear();
    CHECK(door.join(kCarol).status_code == 200);
  }

  TEST_CASE("a member who lost its connection comes back into a locked room with its token") {
    Door door;
    door.send(kAlice, {{"action", "joinRoom"}, {"roomId", "standup"}, {"peerId", kPeerA}});
    const std::string token = door.frame_to(kAlice)["resumeToken"];
    door.join(kBob);
    door.lock(kBob, true);
    // Alice's connection dropped, and its $disconnect already ran.
    dispatch(videochat::test::disconnect_event(kAlice), door.services);
    door.connections.clear();
    const ConnectionId alice_again{"aliceAgain=="};
    CHECK(door.send(alice_again, {{"action", "joinRoom"},
                                  {"roomId", "standup"},
                                  {"peerId", kPeerA},
                                  {"resumeToken", token}})
              .status_code == 200);
    // Without the token, the same peerId is a newcomer.
    door.connections.clear();
    CHECK(door.send(ConnectionId{"imposter===="},
                    {{"action", "joinRoom"}, {"roomId", "standup"}, {"peerId", std::string(32, 'c')}})
              .status_code == 423);
  }

  TEST_CASE("only members lock; the lock dies with the room") {
    Door door;
    door.join(kAlice);
    door.connections.clear();
    CHECK(door.lock(kMallory, true).status_code == 400);
    CHECK(door.error_code_to(kMallory) == "NOT_IN_ROOM");
    door.lock(kAlice, true);
    door.send(kAlice, {{"action", "leaveRoom"}});
    door.connections.clear();
    CHECK(door.join(kBob).status_code == 200);
    CHECK_FALSE(door.frame_to(kBob).contains("locked"));
  }
}
