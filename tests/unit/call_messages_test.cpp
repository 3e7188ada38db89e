// The messages of the client on the wire: the offer, answer and candidate messages members relay to
// each other (shape and round trip, with protocol v2's sender and session fields) and the server
// frames the client reads (written by hand, as protocol v2 specifies them). protocol_test.cpp
// covers the writers and the frames clients send.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "call_test_support.hpp"
#include "identifiers.hpp"
#include "incoming_frame.hpp"
#include "peer_messages.hpp"

namespace {

using nlohmann::json;
using videochat::client::Answer;
using videochat::client::Candidate;
using videochat::client::IceCandidate;
using videochat::client::IncomingFrame;
using videochat::client::Joined;
using videochat::client::NewParticipant;
using videochat::client::Offer;
using videochat::protocol::parse_ice_candidate;
using videochat::client::parse_incoming_frame;
using videochat::protocol::parse_signal_message;
using videochat::client::ParseError;
using videochat::client::ParseProblem;
using videochat::client::Participant;
using videochat::client::ParticipantLeft;
using videochat::client::ParticipantResumed;
using videochat::client::Pong;
using videochat::client::ErrorCode;
using videochat::client::ErrorFrame;
using videochat::client::SignalMessage;
using videochat::protocol::PeerId;
using videochat::protocol::to_json_text;
using videochat::protocol::to_text;
using videochat::protocol::ConnectionId;
using videochat::protocol::LeaveReason;
using videochat::test::answer_message;
using videochat::test::candidate_json;
using videochat::test::candidate_message;
using videochat::test::kAlice;
using videochat::test::kAnswerSdp;
using videochat::test::kBob;
using videochat::test::kOfferSdp;
using videochat::test::kRoom;
using videochat::test::offer_message;

const PeerId kPeerB{std::string(32, 'b')};

// A relayed message with only the tutorial's fields, and with "from".
SignalMessage message_of(videochat::client::SignalBody body,
                         std::optional<ConnectionId> from = std::nullopt) {
  return SignalMessage{std::move(from), std::move(body), std::nullopt, std::nullopt, std::nullopt};
}

// The same candidate as candidate_json(1).
const IceCandidate kHostCandidate{
    "candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host generation 0", "0", 0, "EsNP"};

// The parsed value, or a test failure naming the problem.
template <class T, class Parsed>
T parsed_value(const Parsed& parsed) {
  if (const auto* error = std::get_if<ParseError>(&parsed)) {
    FAIL_CHECK("refused: " << to_string(error->problem) << ": " << error->detail);
    return T{};
  }
  return std::get<T>(parsed);
}

template <class Parsed>
ParseProblem problem_of(const Parsed& parsed) {
  const auto* error = std::get_if<ParseError>(&parsed);
  REQUIRE_MESSAGE(error != nullptr, "accepted, but should have been refused");
  return error->problem;
}

}  // namespace

TEST_SUITE("call messages: relayed offer, answer and candidate") {
  TEST_CASE("an offer is written in the tutorial's shape") {
    CHECK(json::parse(to_text(message_of(Offer{kOfferSdp}))) == offer_message(kOfferSdp));
  }

  TEST_CASE("an answer is written in the tutorial's shape") {
    CHECK(json::parse(to_text(message_of(Answer{kAnswerSdp}))) == answer_message(kAnswerSdp));
  }

  TEST_CASE("a candidate is written with all four toJSON fields") {
    CHECK(json::parse(to_text(message_of(Candidate{kHostCandidate}))) ==
          candidate_message(candidate_json(1)));
  }

  TEST_CASE("a candidate's absent fields are written as null, as toJSON writes them") {
    CHECK(json::parse(to_json_text(IceCandidate{"", std::nullopt, std::nullopt, std::nullopt})) ==
          json{{"candidate", ""},
               {"sdpMid", nullptr},
               {"sdpMLineIndex", nullptr},
               {"usernameFragment", nullptr}});
  }

  TEST_CASE("offer, answer and candidate messages read back as they were written") {
    const std::string awkward_sdp = "v=0\r\ns=\"quoted\" \\ caf\xc3\xa9\r\n";
    for (const SignalMessage& message :
         {message_of(Offer{kOfferSdp}), message_of(Answer{awkward_sdp}),
          message_of(Candidate{kHostCandidate}),
          message_of(Candidate{IceCandidate{"", std::nullopt, std::nullopt, std::nullopt}}),
          SignalMessage{kAlice, Offer{kOfferSdp}, std::string(32, 'a'), "s1", "s2"},
          message_of(Offer{kOfferSdp}, kAlice),
          message_of(Candidate{IceCandidate{"candidate:2", std::nullopt, 65535, "u"}}, kBob)}) {
      std::string text = to_text(message);
      CAPTURE(text);
      CHECK(parsed_value<SignalMessage>(parse_signal_message(text)) == message);
    }
  }

  TEST_CASE("\"from\" is written only when the sender is known") {
    CHECK_FALSE(json::parse(to_text(message_of(Offer{"v=0"}))).contains("from"));
    CHECK(json::parse(to_text(message_of(Offer{"v=0"}, kAlice)))["from"] == kAlice.value);
  }

  TEST_CASE("a browser's candidate JSON reads field by field") {
    auto candidate = parsed_value<IceCandidate>(parse_ice_candidate(candidate_json(1).dump()));
    CHECK(candidate == kHostCandidate);
  }

  TEST_CASE("a candidate's absent and null fields both read as no value") {
    auto absent = parsed_value<IceCandidate>(parse_ice_candidate(R"({"candidate":"c"})"));
    auto null = parsed_value<IceCandidate>(parse_ice_candidate(
        R"({"candidate":"c","sdpMid":null,"sdpMLineIndex":null,"usernameFragment":null})"));
    CHECK(absent == IceCandidate{"c", std::nullopt, std::nullopt, std::nullopt});
    CHECK(null == absent);
  }

  TEST_CASE("a candidate with a field of the wrong type is refused") {
    CHECK(problem_of(parse_ice_candidate(R"({"sdpMid":"0"})")) == ParseProblem::BadField);
    CHECK(problem_of(parse_ice_candidate(R"({"candidate":1})")) == ParseProblem::BadField);
    CHECK(problem_of(parse_ice_candidate(R"({"candidate":"c","sdpMid":0})")) ==
          ParseProblem::BadField);
    CHECK(problem_of(parse_ice_candidate(R"({"candidate":"c","sdpMLineIndex":"0"})")) ==
          ParseProblem::BadField);
    CHECK(problem_of(parse_ice_candidate(R"({"candidate":"c","sdpMLineIndex":1.5})")) ==
          ParseProblem::BadField);
    CHECK(problem_of(parse_ice_candidate(R"({"candidate":"c","usernameFragment":[]})")) ==
          ParseProblem::BadField);
    CHECK(problem_of(parse_ice_candidate("null")) == ParseProblem::NotAnObject);
    CHECK(problem_of(parse_ice_candidate("candidate:1")) == ParseProblem::NotJson);
  }

  TEST_CASE("a description whose inner type disagrees with the message type is refused") {
    CHECK(problem_of(
              parse_signal_message(R"({"type":"offer","offer":{"type":"answer","sdp":"v=0"}})")) ==
          ParseProblem::BadField);
  }

  TEST_CASE("a description without its inner type is accepted") {
    CHECK(parsed_value<SignalMessage>(parse_signal_message(
              R"({"type":"answer","answer":{"sdp":"v=0"}})")) == message_of(Answer{"v=0"}));
  }

  TEST_CASE("an unknown message type is told apart from a malformed message") {
    CHECK(problem_of(parse_signal_message(R"({"type":"bye"})")) == ParseProblem::UnknownType);
    CHECK(problem_of(parse_signal_message(R"({"type":"offer"})")) == ParseProblem::BadField);
    CHECK(problem_of(parse_signal_message("[1]")) == ParseProblem::NotAnObject);
    CHECK(problem_of(parse_signal_message("{")) == ParseProblem::NotJson);
  }
}

TEST_SUITE("call messages: sessions and senders (protocol v2)") {
  TEST_CASE("fromPeer, session and toSession are written only when set") {
    json written =
        json::parse(to_text(SignalMessage{kAlice, Answer{"v=0"}, std::string(32, 'a'), "7", "3"}));
    CHECK(written == json{{"type", "answer"},
                          {"answer", {{"type", "answer"}, {"sdp", "v=0"}}},
                          {"from", kAlice.value},
                          {"fromPeer", std::string(32, 'a')},
                          {"session", "7"},
                          {"toSession", "3"}});
    json bare = json::parse(to_text(message_of(Answer{"v=0"})));
    CHECK_FALSE(bare.contains("fromPeer"));
    CHECK_FALSE(bare.contains("session"));
    CHECK_FALSE(bare.contains("toSession"));
  }

  TEST_CASE("a relayed message reads its sender and sessions as our server delivers them") {
    auto message = parsed_value<SignalMessage>(parse_signal_message(
        R"({"type":"candidate","candidate":{"candidate":"c"},"from":"aliceConnId=",)"
        R"("fromPeer":"pp","session":"s1","toSession":"s9"})"));
    CHECK(message.from == kAlice);
    CHECK(message.from_peer == "pp");
    CHECK(message.session == "s1");
    CHECK(message.to_session == "s9");
  }

  TEST_CASE("null sender and session fields read as absent; other types are refused") {
    CHECK(parsed_value<SignalMessage>(parse_signal_message(
              R"({"type":"answer","answer":{"sdp":"v=0"},"fromPeer":null,"session":null})")) ==
          message_of(Answer{"v=0"}));
    for (const char* text : {R"({"type":"answer","answer":{"sdp":"v=0"},"fromPeer":1})",
                             R"({"type":"answer","answer":{"sdp":"v=0"},"session":{}})",
                             R"({"type":"answer","answer":{"sdp":"v=0"},"toSession":true})",
                             R"({"type":"answer","answer":{"sdp":"v=0"},"from":""})",
                             R"({"type":"answer","answer":{"sdp":"v=0"},"from":5})"}) {
      CAPTURE(text);
      CHECK(problem_of(parse_signal_message(text)) == ParseProblem::BadField);
    }
  }
}

TEST_SUITE("call messages: server frames the client reads") {
  TEST_CASE("the tutorial's newParticipant frame reads as the newcomer's id alone") {
    auto frame = parse_incoming_frame(
        R"({"type":"newParticipant","participantConnectionId":"bobConnIdAA="})");
    CHECK(std::get<NewParticipant>(parsed_value<IncomingFrame>(frame)) ==
          NewParticipant{Participant{kBob, {}}});
  }

  TEST_CASE("a v2 newParticipant frame reads with the newcomer's peerId and name") {
    auto frame = parse_incoming_frame(
        R"({"type":"newParticipant","participantConnectionId":"bobConnIdAA=","peerId":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",)"
        R"("name":"Bob"})");
    CHECK(std::get<NewParticipant>(parsed_value<IncomingFrame>(frame)) ==
          NewParticipant{Participant{kBob, {kPeerB, "Bob"}}});
  }

  TEST_CASE("a joined frame reads with our id, the resume token and the members in order") {
    auto frame = parse_incoming_frame(
        R"({"type":"joined","roomId":"123","connectionId":"aliceConnId=","capacity":6,)"
        R"("peerId":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","name":"Alice","resumeToken":"tok",)"
        R"("participants":[{"participantConnectionId":"bobConnIdAA=","peerId":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","name":"Bob"},)"
        R"({"participantConnectionId":"carolConnId="}]})");
    CHECK(std::get<Joined>(parsed_value<IncomingFrame>(frame)) ==
          Joined{kRoom,
                 kAlice,
                 6,
                 {PeerId{std::string(32, 'a')}, "Alice"},
                 "tok",
                 {Participant{kBob, {kPeerB, "Bob"}}, Participant{videochat::test::kCarol, {}}}});
  }

  TEST_CASE("a joined frame without a token or participants reads as alone, with no token") {
    auto frame =
        parse_incoming_frame(R"({"type":"joined","roomId":"123","connectionId":"aliceConnId="})");
    CHECK(std::get<Joined>(parsed_value<IncomingFrame>(frame)) ==
          Joined{kRoom, kAlice, std::nullopt, {}, std::nullopt, {}});
  }

  TEST_CASE("a joined frame with a bad field is refused") {
    for (
        const char* text : {
            R"({"type":"joined","connectionId":"c="})",
            R"({"type":"joined","roomId":"bad room id!","connectionId":"c="})",
            R"({"type":"joined","roomId":"123","connectionId":""})",
            R"({"type":"joined","roomId":"123","connectionId":"c=","resumeToken":1})",
            R"({"type":"joined","roomId":"123","connectionId":"c=","participants":"x"})",
            R"({"type":"joined","roomId":"123","connectionId":"c=","participants":[1]})",
            R"({"type":"joined","roomId":"123","connectionId":"c=","participants":[{"participantConnectionId":""}]})",
            R"({"type":"joined","roomId":"123","connectionId":"c=","participants":[{"participantConnectionId":"x","name":2}]})",
        }) {
      CAPTURE(text);
      CHECK(problem_of(parse_incoming_frame(text)) == ParseProblem::BadField);
    }
  }

  TEST_CASE("a participantResumed frame reads as the old and the new connection of a member") {
    auto frame = parse_incoming_frame(
        R"({"type":"participantResumed","previousConnectionId":"bobConnIdAA=",)"
        R"("participantConnectionId":"bobConnId2==","peerId":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","name":"Bob"})");
    CHECK(std::get<ParticipantResumed>(parsed_value<IncomingFrame>(frame)) ==
          ParticipantResumed{kBob, Participant{ConnectionId{"bobConnId2=="}, {kPeerB, "Bob"}}});
    CHECK(problem_of(parse_incoming_frame(
              R"({"type":"participantResumed","participantConnectionId":"x=","peerId":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"})")) ==
          ParseProblem::BadField);
  }

  TEST_CASE("a pong frame reads as a pong") {
    CHECK(std::holds_alternative<Pong>(
        parsed_value<IncomingFrame>(parse_incoming_frame(R"({"type":"pong"})"))));
  }

  TEST_CASE("the server's participantLeft frames read with their reason") {
    CHECK(
        std::get<ParticipantLeft>(parsed_value<IncomingFrame>(parse_incoming_frame(
            R"({"type":"participantLeft","participantConnectionId":"bobConnIdAA=","reason":"left"})"))) ==
        ParticipantLeft{kBob, LeaveReason::Left});
    CHECK(
        std::get<ParticipantLeft>(parsed_value<IncomingFrame>(parse_incoming_frame(
            R"({"type":"participantLeft","participantConnectionId":"bobConnIdAA=","reason":"disconnected"})"))) ==
        ParticipantLeft{kBob, LeaveReason::Disconnected});
  }

  TEST_CASE("a participantLeft without a reason reads as disconnected") {
    auto frame =
        parse_incoming_frame(R"({"type":"participantLeft","participantConnectionId":"x="})");
    CHECK(std::get<ParticipantLeft>(parsed_value<IncomingFrame>(frame)) ==
          ParticipantLeft{ConnectionId{"x="}, LeaveReason::Disconnected});
  }

  TEST_CASE("the server's error frame reads as its code and message") {
    auto frame = parse_incoming_frame(
        R"({"type":"error","code":"UNKNOWN_RECIPIENT","message":"'x' is not in room '123'"})");
    CHECK(std::get<ErrorFrame>(parsed_value<IncomingFrame>(frame)) ==
          ErrorFrame{ErrorCode::UnknownRecipient, "'x' is not in room '123'", std::nullopt});
  }

  TEST_CASE("an error code this client does not know keeps its text and reads as internal") {
    auto frame = parse_incoming_frame(R"({"type":"error","code":"SLOW_DOWN","message":"m"})");
    CHECK(std::get<ErrorFrame>(parsed_value<IncomingFrame>(frame)) ==
          ErrorFrame{ErrorCode::InternalError, "m", "SLOW_DOWN"});
  }

  TEST_CASE("a peerId that is not one refuses the frame") {
    CHECK(problem_of(parse_incoming_frame(
              R"({"type":"newParticipant","participantConnectionId":"b=","peerId":"pb"})")) ==
          ParseProblem::BadField);
  }

  TEST_CASE("a relayed message reads as a signal message") {
    auto frame = parse_incoming_frame(offer_message(kOfferSdp).dump());
    CHECK(std::get<SignalMessage>(parsed_value<IncomingFrame>(frame)) ==
          message_of(Offer{kOfferSdp}));
  }
}
