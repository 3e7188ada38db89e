// Every frame of the signaling protocol, both directions: the tutorial's frames byte for byte,
// parse ∘ write = identity for each frame with and without its optional fields, what the client
// frame parser refuses and why, and the error code table.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "client_frames.hpp"
#include "error_code.hpp"
#include "server_frames.hpp"

namespace {

using nlohmann::json;
using namespace videochat::protocol;

const PeerId kPeer{"0123456789abcdef0123456789abcdef"};
const RoomId kRoom{"123"};

ClientFrame parsed_client(std::string_view text) {
  auto parsed = parse_client_frame(text);
  if (auto* error = std::get_if<ClientFrameError>(&parsed)) {
    FAIL("refused: " << error->message);
  }
  return std::get<ClientFrame>(parsed);
}

ClientFrameError refusal(std::string_view text) {
  auto parsed = parse_client_frame(text);
  REQUIRE(std::holds_alternative<ClientFrameError>(parsed));
  return std::get<ClientFrameError>(parsed);
}

ServerFrame parsed_server(std::string_view text) {
  auto parsed = parse_server_frame(text);
  if (auto* error = std::get_if<ParseError>(&parsed)) FAIL("refused: " << error->detail);
  return std::get<ServerFrame>(parsed);
}

std::vector<ClientFrame> every_client_frame() {
  return {
      JoinRoom{kRoom, {}, std::nullopt},
      JoinRoom{kRoom, {kPeer, "Zoë"}, "token"},
      JoinRoom{RoomId{"r-1_x"}, {kPeer, std::nullopt}, std::nullopt},
      JoinRoom{kRoom, {kPeer, "Zoë"}, "token", "Tr0mbone ünd Pässe"},
      SendMsgToRoom{kRoom, "hello world!", std::nullopt},
      SendMsgToRoom{kRoom, R"({"type":"offer","offer":{"sdp":"v=0\r\n"}})", ConnectionId{"b="}},
      LeaveRoom{kRoom},
      LeaveRoom{std::nullopt},
      Ping{},
      LockRoom{kRoom, true},
      LockRoom{kRoom, false},
  };
}

std::vector<ServerFrame> every_server_frame() {
  const Participant bob{ConnectionId{"bob="}, {kPeer, "Bob"}};
  const Participant tutorial{ConnectionId{"carol="}, {}};
  return {
      Joined{kRoom, ConnectionId{"me="}, 6, {kPeer, "Me"}, "token", {bob, tutorial}},
      Joined{kRoom, ConnectionId{"me="}, 6, {}, std::nullopt, {}},
      Joined{kRoom,
             ConnectionId{"me="},
             6,
             {kPeer, "Me"},
             "token",
             {},
             {IceServer{{"turn:relay.example.org:3478?transport=udp",
                         "turns:relay.example.org:443?transport=tcp"},
                        "1700000000:" + kPeer.value,
                        "c2VjcmV0IGJ5dGVzIGdvIGhlcmUgICA="}},
             7800},
      NewParticipant{tutorial},
      NewParticipant{bob},
      ParticipantResumed{ConnectionId{"old="}, bob},
      ParticipantUpdated{bob},
      ParticipantLeft{ConnectionId{"bob="}, LeaveReason::Left},
      ParticipantLeft{ConnectionId{"bob="}, LeaveReason::Disconnected},
      RoomLocked{kRoom, true, ConnectionId{"bob="}},
      RoomLocked{kRoom, false, ConnectionId{"me="}},
      ErrorFrame{ErrorCode::RoomFull, "room '123' is full (6 people); try another room", {}},
      ErrorFrame{ErrorCode::InternalError, "from a newer server", "SLOW_DOWN"},
      Pong{},
      Relayed{json{{"type", "offer"}, {"from", "bob="}, {"offer", {{"sdp", "v=0"}}}}},
  };
}

}  // namespace

TEST_SUITE("protocol: the tutorial's frames") {
  TEST_CASE("newParticipant is byte for byte the tutorial's") {
    // The tutorial's wscat session shows exactly this text.
    CHECK(to_text(NewParticipant{{ConnectionId{"diZbufWlSQ0CFHQ="}, {}}}) ==
          R"({"type":"newParticipant","participantConnectionId":"diZbufWlSQ0CFHQ="})");
  }

  TEST_CASE("joinRoom and sendMsgToRoom are the tutorial's, field for field, in its order") {
    CHECK(to_text(JoinRoom{kRoom, {}, std::nullopt}) == R"({"action":"joinRoom","roomId":"123"})");
    CHECK(to_text(SendMsgToRoom{kRoom, "hello world!", std::nullopt}) ==
          R"({"action":"sendMsgToRoom","roomId":"123","message":"hello world!"})");
  }

  TEST_CASE("the frames the tutorial types into wscat are read") {
    CHECK(parsed_client(R"({ "action": "joinRoom", "roomId": "123" })") ==
          ClientFrame{JoinRoom{kRoom, {}, std::nullopt}});
    CHECK(parsed_client(
              R"({"action": "sendMsgToRoom", "roomId": "123", "message": "hello world!"})") ==
          ClientFrame{SendMsgToRoom{kRoom, "hello world!", std::nullopt}});
  }

  TEST_CASE("joined's iceServers are RTCIceServer entries: urls a string or a list") {
    const auto joined = std::get<Joined>(parsed_server(
        R"({"type":"joined","roomId":"123","connectionId":"me=","iceServers":[)"
        R"({"urls":"stun:stun.example.org"},)"
        R"({"urls":["turn:a.example.org"],"username":"1:u","credential":"p"}]})"));
    CHECK(joined.ice_servers == std::vector<IceServer>{{{"stun:stun.example.org"}, "", ""},
                                                       {{"turn:a.example.org"}, "1:u", "p"}});
    CHECK(std::get<ParseError>(parse_server_frame(
              R"({"type":"joined","roomId":"123","connectionId":"me=","iceServersTtl":-1})"))
              .detail == "iceServersTtl must be a non-negative integer");
    for (const char* bad : {R"("turn:a")", R"([{"urls":[]}])", R"([{"urls":[3]}])",
                            R"([{"urls":"turn:a","credential":5}])", R"([7])"}) {
      CAPTURE(bad);
      const auto frame = parse_server_frame(
          std::string(R"({"type":"joined","roomId":"123","connectionId":"me=","iceServers":)") +
          bad + "}");
      REQUIRE(std::holds_alternative<ParseError>(frame));
      CHECK(std::get<ParseError>(frame).detail.starts_with("iceServers"));
    }
  }

  TEST_CASE("fields nobody defined are ignored, in both directions") {
    CHECK(parsed_client(R"({"action":"ping","client":"tutorial","v":[1,2]})") ==
          ClientFrame{Ping{}});
    CHECK(std::get<Pong>(parsed_server(R"({"type":"pong","serverTime":1})")) == Pong{});
  }
}

TEST_SUITE("protocol: round trips") {
  TEST_CASE("every client frame reads back as written") {
    for (const ClientFrame& frame : every_client_frame()) {
      const std::string text = to_text(frame);
      CAPTURE(text);
      CHECK(parsed_client(text) == frame);
      CHECK(to_text(parsed_client(text)) == text);
      CHECK(text.find('\n') == std::string::npos);
    }
  }

  TEST_CASE("every server frame reads back as written") {
    for (const ServerFrame& frame : every_server_frame()) {
      const std::string text = to_text(frame);
      CAPTURE(text);
      CHECK(parsed_server(text) == frame);
      CHECK(to_text(parsed_server(text)) == text);
      CHECK(text.find('\n') == std::string::npos);
    }
  }

  TEST_CASE("the samples cover every frame type") {
    std::set<std::size_t> client, server;
    for (const auto& frame : every_client_frame()) client.insert(frame.index());
    for (const auto& frame : every_server_frame()) server.insert(frame.index());
    CHECK(client.size() == std::variant_size_v<ClientFrame>);
    CHECK(server.size() == std::variant_size_v<ServerFrame>);
  }

  TEST_CASE("a frame quoting invalid UTF-8 is written with the bytes replaced, not thrown on") {
    const std::string text =
        to_text(ErrorFrame{ErrorCode::UnknownAction, "unknown action 'a\xff'", std::nullopt});
    CHECK(json::parse(text).at("message") == "unknown action 'a\xef\xbf\xbd'");
  }

  TEST_CASE("ids with quotes and backslashes are escaped, not spliced into the JSON") {
    const std::string tricky = R"(a"b\c},"type":"x)";
    CHECK(json::parse(to_text(NewParticipant{{ConnectionId{tricky}, {}}})) ==
          json{{"type", "newParticipant"}, {"participantConnectionId", tricky}});
  }
}

TEST_SUITE("protocol: what the client will not take for the server's word") {
  TEST_CASE("a frame behind a byte-order mark is refused: the server never writes one") {
    const std::string notice =
        R"({"type":"participantLeft","participantConnectionId":"victim","reason":"left"})";
    REQUIRE(std::holds_alternative<ServerFrame>(parse_server_frame(notice)));
    const auto parsed = parse_server_frame("\xEF\xBB\xBF" + notice);
    REQUIRE(std::holds_alternative<ParseError>(parsed));
    CHECK(std::get<ParseError>(parsed).problem == ParseProblem::NotJson);
  }

  TEST_CASE("a frame with a from is a member's message, whatever type it claims") {
    const auto frame = parsed_server(
        R"({"from":"mallory","type":"participantLeft","participantConnectionId":"victim"})");
    CHECK(std::holds_alternative<Relayed>(frame));
  }
}

TEST_SUITE("protocol: client frames read in place") {
  TEST_CASE(
      "keys and values are read as JSON means them: escapes decoded, the last duplicate wins") {
    const auto parsed = parse_client_frame(
        R"({"\u0061ction":"send\u004dsgToRoom","roomId":"a","roomId":"b",)"
        R"("message":"{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}","extra":{"x":[1]}})");
    REQUIRE(std::holds_alternative<ClientFrame>(parsed));
    CHECK(std::get<ClientFrame>(parsed) ==
          ClientFrame{SendMsgToRoom{RoomId{"b"}, R"({"type":"offer","sdp":"v=0\r\n"})", {}}});
  }

  TEST_CASE("a server reading frame after frame into one value reuses its strings") {
    const std::string long_message(200, 'm');
    ClientFrame frame;
    const auto send_text = [](const std::string& message) {
      return to_text(ClientFrame{SendMsgToRoom{RoomId{"room-1"}, message, {}}});
    };
    REQUIRE_FALSE(parse_client_frame(send_text(long_message), frame));
    const char* storage = std::get<SendMsgToRoom>(frame).message.data();
    REQUIRE_FALSE(parse_client_frame(send_text("short"), frame));
    CHECK(std::get<SendMsgToRoom>(frame).message == "short");
    CHECK(std::get<SendMsgToRoom>(frame).message.data() == storage);
    // Another kind of frame in between replaces the value; the next one reads as usual.
    REQUIRE_FALSE(parse_client_frame(R"({"action":"ping"})", frame));
    CHECK(frame == ClientFrame{Ping{}});
    REQUIRE_FALSE(parse_client_frame(send_text("again"), frame));
    CHECK(frame == ClientFrame{SendMsgToRoom{RoomId{"room-1"}, "again", {}}});
  }

  TEST_CASE("a frame read into a value that held another frame of its kind keeps nothing of it") {
    ClientFrame frame;
    REQUIRE_FALSE(parse_client_frame(
        R"({"action":"joinRoom","roomId":"r","peerId":"0123456789abcdef0123456789abcdef","name":"N"})",
        frame));
    REQUIRE_FALSE(parse_client_frame(R"({"action":"joinRoom","roomId":"s"})", frame));
    CHECK(frame == ClientFrame{JoinRoom{RoomId{"s"}, {}, std::nullopt}});
    REQUIRE_FALSE(parse_client_frame(
        R"({"action":"sendMsgToRoom","roomId":"r","message":"m","to":"c"})", frame));
    REQUIRE_FALSE(
        parse_client_frame(R"({"action":"sendMsgToRoom","roomId":"r","message":"n"})", frame));
    CHECK(frame == ClientFrame{SendMsgToRoom{RoomId{"r"}, "n", std::nullopt}});
    REQUIRE_FALSE(parse_client_frame(R"({"action":"leaveRoom","roomId":"r"})", frame));
    REQUIRE_FALSE(parse_client_frame(R"({"action":"leaveRoom"})", frame));
    CHECK(frame == ClientFrame{LeaveRoom{std::nullopt}});
  }
}

TEST_SUITE("protocol: client frames refused") {
  TEST_CASE("text that is not a JSON object, or names no known action, goes to $default") {
    CHECK(refusal("not json") ==
          ClientFrameError{ErrorCode::BadJson,
                           "the message is not valid JSON: an unknown word where a value should be",
                           std::nullopt});
    CHECK(refusal(R"({"action":"ping"} x)").message ==
          "the message is not valid JSON: there is text after the JSON value");
    CHECK(refusal(std::string(100, '[') + std::string(100, ']')) ==
          ClientFrameError{ErrorCode::BadJson,
                           "the message nests arrays and objects deeper than 64 levels",
                           std::nullopt});
    CHECK(refusal(R"(["joinRoom"])").message == "the message must be a JSON object");
    CHECK(refusal(R"({"roomId":"1"})").message == "action is required");
    CHECK(refusal(R"({"action":1})").message == "action must be a string");
    CHECK(refusal(R"({"action":"JOINROOM"})") ==
          ClientFrameError{ErrorCode::UnknownAction,
                           "unknown action 'JOINROOM'; expected joinRoom, sendMsgToRoom, "
                           "leaveRoom, ping or lockRoom",
                           std::nullopt});
  }

  TEST_CASE("a known action with a bad field is refused with that action, so it is routed") {
    struct Case {
      const char* text;
      const char* message;
      Action action;
    };
    const Case cases[] = {
        {R"({"action":"joinRoom"})", "roomId is required", Action::JoinRoom},
        {R"({"action":"joinRoom","roomId":5})", "roomId must be a string", Action::JoinRoom},
        {R"({"action":"joinRoom","roomId":"a b"})",
         "roomId must be 1 to 128 bytes of UTF-8, with A-Z a-z 0-9 _ - its only ASCII characters",
         Action::JoinRoom},
        {R"({"action":"joinRoom","roomId":"1","peerId":"P"})",
         "peerId must be 32 lowercase hex characters (a random 128-bit id)", Action::JoinRoom},
        {R"({"action":"joinRoom","roomId":"1","peerId":1})",
         "peerId must be a string of 32 lowercase hex characters", Action::JoinRoom},
        {R"({"action":"joinRoom","roomId":"1","name":""})",
         "name must not be empty (leave it out instead)", Action::JoinRoom},
        {R"({"action":"joinRoom","roomId":"1","name":7})", "name must be a string",
         Action::JoinRoom},
        {R"({"action":"joinRoom","roomId":"1","resumeToken":"t"})",
         "resumeToken needs the peerId it was issued for", Action::JoinRoom},
        {R"({"action":"sendMsgToRoom","roomId":"1"})", "message is required",
         Action::SendMsgToRoom},
        {R"({"action":"sendMsgToRoom","roomId":"1","message":{}})", "message must be a string",
         Action::SendMsgToRoom},
        {R"({"action":"sendMsgToRoom","roomId":"1","message":"m","to":3})",
         "to must be a connection id string", Action::SendMsgToRoom},
        {R"({"action":"leaveRoom","roomId":""})",
         "roomId must be 1 to 128 bytes of UTF-8, with A-Z a-z 0-9 _ - its only ASCII characters",
         Action::LeaveRoom},
    };
    for (const Case& c : cases) {
      CAPTURE(c.text);
      CHECK(refusal(c.text) == ClientFrameError{ErrorCode::BadRequest, c.message, c.action});
    }
  }
}

TEST_SUITE("protocol: error codes") {
  TEST_CASE("each code has one wire name, read back as the same code") {
    std::set<std::string_view> names;
    for (const ErrorCodeInfo& entry : kErrorCodes) {
      CAPTURE(entry.wire);
      CHECK(names.insert(entry.wire).second);
      CHECK(parse_error_code(entry.wire) == entry.code);
      CHECK(to_string(entry.code) == entry.wire);
    }
    CHECK_FALSE(parse_error_code("room_full").has_value());
  }

  TEST_CASE("the codes are spelled as docs/protocol.md documents them, with their statuses") {
    CHECK(to_string(ErrorCode::BadJson) == "BAD_JSON");
    CHECK(to_string(ErrorCode::RoomFull) == "ROOM_FULL");
    CHECK(http_status(ErrorCode::RoomFull) == 409);
    CHECK(http_status(ErrorCode::PeerIdInUse) == 409);
    CHECK(http_status(ErrorCode::UnknownRecipient) == 404);
    CHECK(http_status(ErrorCode::InternalError) == 500);
    CHECK(http_status(ErrorCode::BadRequest) == 400);
  }
}
