// The messages of the client core on the wire: the offer, answer and candidate messages members
// relay to each other (shape and round trip), the server frames the client reads, and the frames
// it sends.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "call_test_support.hpp"
#include "client_frames.hpp"
#include "incoming_frame.hpp"
#include "signal_messages.hpp"
#include "wire_protocol.hpp"

namespace {

using nlohmann::json;
using videochat::client::Answer;
using videochat::client::Candidate;
using videochat::client::IceCandidate;
using videochat::client::IncomingFrame;
using videochat::client::NewParticipant;
using videochat::client::Offer;
using videochat::client::parse_ice_candidate;
using videochat::client::parse_incoming_frame;
using videochat::client::parse_signal_message;
using videochat::client::ParseError;
using videochat::client::ParseProblem;
using videochat::client::ParticipantLeft;
using videochat::client::ServerError;
using videochat::client::SignalMessage;
using videochat::client::to_json_text;
using videochat::client::to_text;
using videochat::protocol::ConnectionId;
using videochat::protocol::ErrorCode;
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
    CHECK(json::parse(to_text(SignalMessage{std::nullopt, Offer{kOfferSdp}})) ==
          offer_message(kOfferSdp));
  }

  TEST_CASE("an answer is written in the tutorial's shape") {
    CHECK(json::parse(to_text(SignalMessage{std::nullopt, Answer{kAnswerSdp}})) ==
          answer_message(kAnswerSdp));
  }

  TEST_CASE("a candidate is written with all four toJSON fields") {
    CHECK(json::parse(to_text(SignalMessage{std::nullopt, Candidate{kHostCandidate}})) ==
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
         {SignalMessage{std::nullopt, Offer{kOfferSdp}},
          SignalMessage{std::nullopt, Answer{awkward_sdp}},
          SignalMessage{std::nullopt, Candidate{kHostCandidate}},
          SignalMessage{std::nullopt,
                        Candidate{IceCandidate{"", std::nullopt, std::nullopt, std::nullopt}}},
          SignalMessage{kAlice, Offer{kOfferSdp}},
          SignalMessage{kBob, Candidate{IceCandidate{"candidate:2", std::nullopt, 65535, "u"}}}}) {
      std::string text = to_text(message);
      CAPTURE(text);
      CHECK(parsed_value<SignalMessage>(parse_signal_message(text)) == message);
    }
  }

  TEST_CASE("\"from\" is written only when the sender is known") {
    CHECK_FALSE(json::parse(to_text(SignalMessage{std::nullopt, Offer{"v=0"}})).contains("from"));
    CHECK(json::parse(to_text(SignalMessage{kAlice, Offer{"v=0"}}))["from"] == kAlice.value);
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
    CHECK(parsed_value<SignalMessage>(
              parse_signal_message(R"({"type":"answer","answer":{"sdp":"v=0"}})")) ==
          SignalMessage{std::nullopt, Answer{"v=0"}});
  }

  TEST_CASE("an unknown message type is told apart from a malformed message") {
    CHECK(problem_of(parse_signal_message(R"({"type":"bye"})")) == ParseProblem::UnknownType);
    CHECK(problem_of(parse_signal_message(R"({"type":"offer"})")) == ParseProblem::BadField);
    CHECK(problem_of(parse_signal_message("[1]")) == ParseProblem::NotAnObject);
    CHECK(problem_of(parse_signal_message("{")) == ParseProblem::NotJson);
  }
}

TEST_SUITE("call messages: server frames the client reads") {
  TEST_CASE("the server's newParticipant frame reads as the newcomer's id") {
    auto frame = parse_incoming_frame(videochat::protocol::new_participant_message(kBob));
    CHECK(std::get<NewParticipant>(parsed_value<IncomingFrame>(frame)) == NewParticipant{kBob});
  }

  TEST_CASE("the server's participantLeft frames read with their reason") {
    for (auto reason : {LeaveReason::Left, LeaveReason::Disconnected}) {
      auto frame =
          parse_incoming_frame(videochat::protocol::participant_left_message(kBob, reason));
      CHECK(std::get<ParticipantLeft>(parsed_value<IncomingFrame>(frame)) ==
            ParticipantLeft{kBob, reason});
    }
  }

  TEST_CASE("a participantLeft without a reason reads as disconnected") {
    auto frame =
        parse_incoming_frame(R"({"type":"participantLeft","participantConnectionId":"x="})");
    CHECK(std::get<ParticipantLeft>(parsed_value<IncomingFrame>(frame)) ==
          ParticipantLeft{ConnectionId{"x="}, LeaveReason::Disconnected});
  }

  TEST_CASE("the server's error frame reads as its code and message") {
    auto frame = parse_incoming_frame(
        videochat::protocol::error_message(ErrorCode::MessageTooLarge, "message is too large"));
    CHECK(std::get<ServerError>(parsed_value<IncomingFrame>(frame)) ==
          ServerError{"MESSAGE_TOO_LARGE", "message is too large"});
  }

  TEST_CASE("a relayed message reads as a signal message") {
    auto frame = parse_incoming_frame(offer_message(kOfferSdp).dump());
    CHECK(std::get<SignalMessage>(parsed_value<IncomingFrame>(frame)) ==
          SignalMessage{std::nullopt, Offer{kOfferSdp}});
  }
}

TEST_SUITE("call messages: frames the client sends") {
  TEST_CASE("joinRoom, sendMsgToRoom and leaveRoom frames are exact") {
    using namespace videochat::client;
    CHECK(join_room_frame(kRoom) == R"({"action":"joinRoom","roomId":"123"})");
    CHECK(leave_room_frame(kRoom) == R"({"action":"leaveRoom","roomId":"123"})");
    CHECK(ping_frame() == R"({"action":"ping"})");
    CHECK(send_to_room_frame(kRoom, "hello world!") ==
          R"({"action":"sendMsgToRoom","message":"hello world!","roomId":"123"})");
  }

  TEST_CASE("a relayed message is carried as one string, unchanged") {
    std::string message = to_text(SignalMessage{std::nullopt, Offer{kOfferSdp}});
    json frame = json::parse(videochat::client::send_to_room_frame(kRoom, message));
    CHECK(frame["message"] == message);
  }
}
