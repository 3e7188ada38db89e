// The wire protocol as the client and the handlers rely on it: which room ids are valid, and the
// exact JSON of every frame the server sends.
#include "wire_protocol.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace {

using nlohmann::json;
using videochat::protocol::ConnectionId;
using videochat::protocol::ErrorCode;
using videochat::protocol::is_valid_room_id;
using videochat::protocol::LeaveReason;
using videochat::protocol::parse_room_id;

}  // namespace

TEST_SUITE("room ids") {
  TEST_CASE("a tutorial room id such as 123 is valid") { CHECK(is_valid_room_id("123")); }

  TEST_CASE("a one-character room id is valid") { CHECK(is_valid_room_id("a")); }

  TEST_CASE("every letter, digit, underscore and hyphen is allowed in a room id") {
    CHECK(is_valid_room_id("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
    CHECK(is_valid_room_id("abcdefghijklmnopqrstuvwxyz"));
    CHECK(is_valid_room_id("0123456789"));
    CHECK(is_valid_room_id("_-_-"));
  }

  TEST_CASE("a room id of exactly 64 characters is valid") {
    CHECK(is_valid_room_id(std::string(64, 'x')));
  }

  TEST_CASE("an empty room id is rejected") { CHECK_FALSE(is_valid_room_id("")); }

  TEST_CASE("a room id of 65 characters is rejected") {
    CHECK_FALSE(is_valid_room_id(std::string(65, 'x')));
  }

  TEST_CASE("a room id containing a space is rejected") {
    CHECK_FALSE(is_valid_room_id("my room"));
  }

  TEST_CASE("a room id containing a slash is rejected") {
    CHECK_FALSE(is_valid_room_id("a/b"));
    CHECK_FALSE(is_valid_room_id("../etc"));
  }

  TEST_CASE("a room id containing non-ASCII (UTF-8) characters is rejected") {
    CHECK_FALSE(is_valid_room_id("caf\xc3\xa9"));  // "café"
    CHECK_FALSE(is_valid_room_id("\xe2\x98\x83"));  // a snowman
  }

  TEST_CASE("a room id containing a NUL byte is rejected") {
    CHECK_FALSE(is_valid_room_id(std::string_view("ab\0cd", 5)));
  }

  TEST_CASE("parse_room_id returns the same text as a typed RoomId when it is valid") {
    auto room = parse_room_id("room_42-b");
    REQUIRE(room.has_value());
    CHECK(room->value == "room_42-b");
  }

  TEST_CASE("parse_room_id returns nothing for an invalid id") {
    CHECK_FALSE(parse_room_id("").has_value());
    CHECK_FALSE(parse_room_id(std::string(65, 'x')).has_value());
    CHECK_FALSE(parse_room_id("a b").has_value());
  }
}

TEST_SUITE("server frames") {
  TEST_CASE("newParticipant names the newcomer's connection id and nothing else") {
    json frame = json::parse(
        videochat::protocol::new_participant_message(ConnectionId{"L0SM9cOFvHcCIhw="}));
    CHECK(frame == json{{"type", "newParticipant"}, {"participantConnectionId", "L0SM9cOFvHcCIhw="}});
  }

  TEST_CASE("participantLeft for a participant who left says reason left") {
    json frame = json::parse(
        videochat::protocol::participant_left_message(ConnectionId{"abc="}, LeaveReason::Left));
    CHECK(frame ==
          json{{"type", "participantLeft"}, {"participantConnectionId", "abc="}, {"reason", "left"}});
  }

  TEST_CASE("participantLeft for a participant whose connection dropped says reason disconnected") {
    json frame = json::parse(videochat::protocol::participant_left_message(
        ConnectionId{"abc="}, LeaveReason::Disconnected));
    CHECK(frame == json{{"type", "participantLeft"},
                        {"participantConnectionId", "abc="},
                        {"reason", "disconnected"}});
  }

  TEST_CASE("an error frame carries its code and the human message") {
    json frame = json::parse(
        videochat::protocol::error_message(ErrorCode::NotInRoom, "you are not in room '123'"));
    CHECK(frame ==
          json{{"type", "error"}, {"code", "NOT_IN_ROOM"}, {"message", "you are not in room '123'"}});
  }

  TEST_CASE("every error code is spelled as the protocol documents it") {
    auto code_of = [](ErrorCode code) {
      return json::parse(videochat::protocol::error_message(code, "x")).at("code");
    };
    CHECK(code_of(ErrorCode::BadJson) == "BAD_JSON");
    CHECK(code_of(ErrorCode::BadRequest) == "BAD_REQUEST");
    CHECK(code_of(ErrorCode::UnknownAction) == "UNKNOWN_ACTION");
    CHECK(code_of(ErrorCode::NotInRoom) == "NOT_IN_ROOM");
    CHECK(code_of(ErrorCode::RoomFull) == "ROOM_FULL");
    CHECK(code_of(ErrorCode::MessageTooLarge) == "MESSAGE_TOO_LARGE");
    CHECK(code_of(ErrorCode::InternalError) == "INTERNAL_ERROR");
  }

  TEST_CASE("a connection id with quotes and backslashes is escaped, not spliced into the JSON") {
    const std::string tricky = R"(a"b\c},"type":"x)";
    json frame = json::parse(videochat::protocol::new_participant_message(ConnectionId{tricky}));
    CHECK(frame == json{{"type", "newParticipant"}, {"participantConnectionId", tricky}});
  }

  TEST_CASE("each frame is one line of text") {
    CHECK(videochat::protocol::new_participant_message(ConnectionId{"a"}).find('\n') ==
          std::string::npos);
    CHECK(videochat::protocol::participant_left_message(ConnectionId{"a"}, LeaveReason::Left)
              .find('\n') == std::string::npos);
    CHECK(videochat::protocol::error_message(ErrorCode::BadJson, "two\nlines").find('\n') ==
          std::string::npos);
  }

  TEST_CASE("an error message quoting invalid UTF-8 does not throw") {
    CHECK_NOTHROW(videochat::protocol::error_message(ErrorCode::UnknownAction, "bad \xff\xfe byte"));
  }

  TEST_CASE("an error message quoting invalid UTF-8 is still valid JSON with the bytes replaced") {
    std::string text = videochat::protocol::error_message(ErrorCode::UnknownAction, "bad \xff end");
    json frame = json::parse(text);  // throws on invalid UTF-8, so parsing proves the replacement
    CHECK(frame.at("code") == "UNKNOWN_ACTION");
    CHECK(frame.at("message") == "bad \xef\xbf\xbd end");  // U+FFFD REPLACEMENT CHARACTER
  }

  TEST_CASE("a full room's error code is spelled ROOM_FULL") {
    CHECK(videochat::protocol::to_string(ErrorCode::RoomFull) == "ROOM_FULL");
  }

  TEST_CASE("leave reasons are spelled left and disconnected") {
    CHECK(videochat::protocol::to_string(LeaveReason::Left) == "left");
    CHECK(videochat::protocol::to_string(LeaveReason::Disconnected) == "disconnected");
  }
}

TEST_SUITE("protocol v2 fields") {
  using videochat::protocol::check_name;
  using videochat::protocol::is_valid_peer_id;
  using videochat::protocol::NameProblem;

  TEST_CASE("a peerId is exactly 32 lowercase hex characters") {
    CHECK(is_valid_peer_id("0123456789abcdef0123456789abcdef"));
    CHECK_FALSE(is_valid_peer_id("0123456789ABCDEF0123456789abcdef"));
    CHECK_FALSE(is_valid_peer_id("0123456789abcdef0123456789abcde"));
    CHECK_FALSE(is_valid_peer_id("0123456789abcdef0123456789abcdef0"));
    CHECK_FALSE(is_valid_peer_id("0123456789abcdef0123456789abcdeg"));
    CHECK_FALSE(is_valid_peer_id(""));
  }

  TEST_CASE("a name is 1 to 64 bytes of UTF-8 without control characters") {
    CHECK_FALSE(check_name("Zoë"));
    CHECK_FALSE(check_name(std::string(64, 'x')));
    CHECK(check_name("") == NameProblem::Empty);
    CHECK(check_name(std::string(65, 'x')) == NameProblem::TooLong);
    CHECK(check_name("tab\there") == NameProblem::ControlCharacter);
    CHECK(check_name(std::string("nul\0here", 8)) == NameProblem::ControlCharacter);
    CHECK(check_name("del\x7f") == NameProblem::ControlCharacter);
    CHECK(check_name("\xC3") == NameProblem::InvalidUtf8);              // cut short
    CHECK(check_name("\xC0\xAF") == NameProblem::InvalidUtf8);          // overlong '/'
    CHECK(check_name("\xED\xA0\x80") == NameProblem::InvalidUtf8);      // a surrogate
    CHECK(check_name("\xF4\x90\x80\x80") == NameProblem::InvalidUtf8);  // above U+10FFFF
  }
}

TEST_SUITE("protocol v2 frames") {
  using videochat::protocol::Participant;
  using videochat::protocol::ParticipantProfile;
  using videochat::protocol::PeerId;
  using videochat::protocol::RoomId;
  const PeerId kPeer{"0123456789abcdef0123456789abcdef"};

  TEST_CASE("newParticipant without a profile is exactly the tutorial's text") {
    CHECK(videochat::protocol::new_participant_message(ConnectionId{"abc="}) ==
          R"({"participantConnectionId":"abc=","type":"newParticipant"})");
  }

  TEST_CASE("newParticipant with a profile adds peerId and name") {
    CHECK(json::parse(videochat::protocol::new_participant_message(
              ConnectionId{"abc="}, {kPeer, "Zoë"})) == json{{"type", "newParticipant"},
                                                             {"participantConnectionId", "abc="},
                                                             {"peerId", kPeer.value},
                                                             {"name", "Zoë"}});
  }

  TEST_CASE("participantResumed names both connections and the peer") {
    CHECK(json::parse(videochat::protocol::participant_resumed_message(
              ConnectionId{"old="}, ConnectionId{"new="}, {kPeer, std::nullopt})) ==
          json{{"type", "participantResumed"},
               {"previousConnectionId", "old="},
               {"participantConnectionId", "new="},
               {"peerId", kPeer.value}});
  }

  TEST_CASE("joined omits absent fields and lists the others in order") {
    const RoomId room{"r1"};
    const ConnectionId self{"me="};
    const ParticipantProfile none;
    std::vector<Participant> others = {{ConnectionId{"a="}, {kPeer, "A"}},
                                       {ConnectionId{"b="}, {}}};
    CHECK(json::parse(
              videochat::protocol::joined_message({room, self, 6, none, std::nullopt, others})) ==
          json{{"type", "joined"},
               {"roomId", "r1"},
               {"connectionId", "me="},
               {"capacity", 6},
               {"participants",
                {{{"participantConnectionId", "a="}, {"peerId", kPeer.value}, {"name", "A"}},
                 {{"participantConnectionId", "b="}}}}});
  }

  TEST_CASE("the new error codes have their wire names") {
    CHECK(videochat::protocol::to_string(ErrorCode::PeerIdInUse) == "PEER_ID_IN_USE");
    CHECK(videochat::protocol::to_string(ErrorCode::UnknownRecipient) == "UNKNOWN_RECIPIENT");
  }
}
