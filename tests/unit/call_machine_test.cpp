// The client's signaling state machine as the two members of a 1:1 call live it: who offers, who
// answers, what is relayed, how early candidates wait, what is ignored, and how a peer's leaving
// ends its connection. Server frames come from the server's own serializers; relayed messages are
// written as a browser peer writes them.
#include "call_machine.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "call_test_support.hpp"
#include "wire_protocol.hpp"

namespace {

using nlohmann::json;
using videochat::client::Actions;
using videochat::client::AddRemoteCandidate;
using videochat::client::ApplyRemoteDescription;
using videochat::client::CallMachine;
using videochat::client::ClosePeer;
using videochat::client::ConnectionState;
using videochat::client::CreateAnswer;
using videochat::client::CreateOffer;
using videochat::client::CreatePeer;
using videochat::client::Diagnostic;
using videochat::client::NegotiationPhase;
using videochat::client::PeerConnectionState;
using videochat::client::PeerKey;
using videochat::client::PeerSnapshot;
using videochat::client::SdpType;
using videochat::client::SendToServer;
using videochat::client::ShowError;
using videochat::protocol::ConnectionId;
using videochat::protocol::ErrorCode;
using videochat::protocol::LeaveReason;
using videochat::protocol::new_participant_message;
using videochat::protocol::participant_left_message;
using videochat::protocol::RoomId;
using videochat::test::answer_message;
using videochat::test::candidate_json;
using videochat::test::candidate_message;
using videochat::test::kAlice;
using videochat::test::kAnswerSdp;
using videochat::test::kBob;
using videochat::test::kCarol;
using videochat::test::kOfferSdp;
using videochat::test::kRoom;
using videochat::test::offer_message;
using videochat::test::relay_frame;

const PeerKey kFirstPeer{1};
const PeerKey kSecondPeer{2};

// What the server delivers for a relayed message: the sender's text, unchanged.
std::string relayed(const json& message) {
  return message.dump();
}

std::vector<std::string> diagnostic_codes(const Actions& actions) {
  std::vector<std::string> codes;
  for (const auto& action : actions) {
    if (const auto* diagnostic = std::get_if<Diagnostic>(&action)) {
      codes.emplace_back(to_string(diagnostic->code));
    }
  }
  return codes;
}

Actions without_diagnostics(const Actions& actions) {
  Actions kept;
  for (const auto& action : actions) {
    if (!std::holds_alternative<Diagnostic>(action)) kept.push_back(action);
  }
  return kept;
}

PeerSnapshot only_peer(const CallMachine& machine) {
  auto snapshot = machine.snapshot();
  REQUIRE(snapshot.peers.size() == 1);
  return snapshot.peers.front();
}

// Alice was alone in room 123 when Bob joined: her offer to Bob is out, the answer not yet in.
struct AliceHasOffered {
  CallMachine alice;
  AliceHasOffered() {
    alice.join(kRoom, "Alice");
    alice.server_frame(new_participant_message(kBob));
    alice.local_description(kFirstPeer, SdpType::Offer, kOfferSdp);
  }
};

// Bob joined room 123 after Alice and has her offer applied; his answer is being created.
struct BobIsAnswering {
  CallMachine bob;
  BobIsAnswering() {
    bob.join(kRoom, "Bob");
    bob.server_frame(relayed(offer_message(kOfferSdp)));
    bob.remote_description_applied(kFirstPeer);
  }
};

// Alice and Bob completed the exchange; Alice's media is flowing.
struct AliceInCall {
  CallMachine alice;
  AliceInCall() {
    alice.join(kRoom, "Alice");
    alice.server_frame(new_participant_message(kBob));
    alice.local_description(kFirstPeer, SdpType::Offer, kOfferSdp);
    alice.server_frame(relayed(answer_message(kAnswerSdp)));
    alice.remote_description_applied(kFirstPeer);
    alice.peer_connection_state(kFirstPeer, PeerConnectionState::Connected);
  }
};

}  // namespace

TEST_SUITE("call machine: joining and leaving") {
  TEST_CASE("join sends joinRoom for the room and records the room and own name") {
    CallMachine machine;
    CHECK(machine.join(kRoom, "Alice") ==
          Actions{SendToServer{R"({"action":"joinRoom","roomId":"123"})"}});
    auto snapshot = machine.snapshot();
    CHECK(snapshot.room == kRoom);
    CHECK(snapshot.own_name == "Alice");
    CHECK(snapshot.peers.empty());
  }

  TEST_CASE("a newcomer never offers first: joining makes no peer and no offer") {
    CallMachine bob;
    auto actions = bob.join(kRoom, "Bob");
    REQUIRE(actions.size() == 1);
    CHECK(std::holds_alternative<SendToServer>(actions[0]));
    CHECK(bob.snapshot().peers.empty());
  }

  TEST_CASE("leave sends leaveRoom, closes every peer and forgets the room") {
    AliceInCall call;
    CHECK(call.alice.leave() ==
          Actions{SendToServer{R"({"action":"leaveRoom","roomId":"123"})"}, ClosePeer{kFirstPeer}});
    CHECK_FALSE(call.alice.snapshot().room.has_value());
    CHECK(call.alice.snapshot().peers.empty());
  }

  TEST_CASE("joining another room closes the peers of the current one") {
    AliceInCall call;
    CHECK(
        call.alice.join(RoomId{"other"}, "Alice") ==
        Actions{ClosePeer{kFirstPeer}, SendToServer{R"({"action":"joinRoom","roomId":"other"})"}});
    CHECK(call.alice.snapshot().peers.empty());
  }

  TEST_CASE("room frames that arrive before join are ignored") {
    CallMachine machine;
    auto actions = machine.server_frame(new_participant_message(kBob));
    CHECK(without_diagnostics(actions).empty());
    CHECK(diagnostic_codes(actions) == std::vector<std::string>{"not_in_room"});
    CHECK(machine.snapshot().peers.empty());
  }
}

TEST_SUITE("call machine: the member already in the room offers") {
  TEST_CASE("happy path for the offerer, with the exact frames sent") {
    CallMachine alice;
    alice.join(kRoom, "Alice");

    CHECK(alice.server_frame(new_participant_message(kBob)) ==
          Actions{CreatePeer{kFirstPeer}, CreateOffer{kFirstPeer}});
    CHECK(only_peer(alice) == PeerSnapshot{kFirstPeer, kBob, NegotiationPhase::CreatingOffer,
                                           ConnectionState::Connecting});

    CHECK(alice.local_description(kFirstPeer, SdpType::Offer, kOfferSdp) ==
          Actions{SendToServer{relay_frame(offer_message(kOfferSdp))}});
    CHECK(only_peer(alice).phase == NegotiationPhase::AwaitingAnswer);

    CHECK(alice.local_candidate(kFirstPeer, candidate_json(1).dump()) ==
          Actions{SendToServer{relay_frame(candidate_message(candidate_json(1)))}});

    CHECK(alice.server_frame(relayed(answer_message(kAnswerSdp))) ==
          Actions{ApplyRemoteDescription{kFirstPeer, SdpType::Answer, kAnswerSdp}});
    CHECK(only_peer(alice).phase == NegotiationPhase::ApplyingAnswer);

    CHECK(alice.remote_description_applied(kFirstPeer).empty());
    CHECK(only_peer(alice).phase == NegotiationPhase::Stable);

    CHECK(alice.server_frame(relayed(candidate_message(candidate_json(2)))) ==
          Actions{AddRemoteCandidate{kFirstPeer, candidate_json(2).dump()}});

    CHECK(alice.peer_connection_state(kFirstPeer, PeerConnectionState::Connected).empty());
    CHECK(only_peer(alice) ==
          PeerSnapshot{kFirstPeer, kBob, NegotiationPhase::Stable, ConnectionState::Connected});
  }

  TEST_CASE(
      "the offerer holds candidates that arrive before the answer, then applies them in order") {
    AliceHasOffered offered;
    CHECK(offered.alice.server_frame(relayed(candidate_message(candidate_json(1)))).empty());
    CHECK(offered.alice.server_frame(relayed(candidate_message(candidate_json(2)))).empty());
    offered.alice.server_frame(relayed(answer_message(kAnswerSdp)));
    CHECK(offered.alice.remote_description_applied(kFirstPeer) ==
          Actions{AddRemoteCandidate{kFirstPeer, candidate_json(1).dump()},
                  AddRemoteCandidate{kFirstPeer, candidate_json(2).dump()}});
  }
}

TEST_SUITE("call machine: a newcomer answers") {
  TEST_CASE("happy path for the answerer, with the exact frames sent") {
    CallMachine bob;
    bob.join(kRoom, "Bob");

    CHECK(bob.server_frame(relayed(offer_message(kOfferSdp))) ==
          Actions{CreatePeer{kFirstPeer},
                  ApplyRemoteDescription{kFirstPeer, SdpType::Offer, kOfferSdp}});
    // The tutorial's relay does not say who sent the offer.
    CHECK(only_peer(bob) == PeerSnapshot{kFirstPeer, std::nullopt, NegotiationPhase::ApplyingOffer,
                                         ConnectionState::Connecting});

    CHECK(bob.remote_description_applied(kFirstPeer) == Actions{CreateAnswer{kFirstPeer}});
    CHECK(only_peer(bob).phase == NegotiationPhase::CreatingAnswer);

    CHECK(bob.local_description(kFirstPeer, SdpType::Answer, kAnswerSdp) ==
          Actions{SendToServer{relay_frame(answer_message(kAnswerSdp))}});
    CHECK(only_peer(bob).phase == NegotiationPhase::Stable);

    CHECK(bob.local_candidate(kFirstPeer, candidate_json(7).dump()) ==
          Actions{SendToServer{relay_frame(candidate_message(candidate_json(7)))}});
    CHECK(bob.server_frame(relayed(candidate_message(candidate_json(1)))) ==
          Actions{AddRemoteCandidate{kFirstPeer, candidate_json(1).dump()}});

    CHECK(bob.peer_connection_state(kFirstPeer, PeerConnectionState::Connected).empty());
    CHECK(only_peer(bob).state == ConnectionState::Connected);
  }

  TEST_CASE(
      "candidates that arrive before the offer are buffered, then applied in order after it") {
    CallMachine bob;
    bob.join(kRoom, "Bob");
    CHECK(bob.server_frame(relayed(candidate_message(candidate_json(1)))).empty());
    CHECK(bob.server_frame(relayed(candidate_message(candidate_json(2)))).empty());
    CHECK(bob.snapshot().peers.empty());

    CHECK(bob.server_frame(relayed(offer_message(kOfferSdp))) ==
          Actions{CreatePeer{kFirstPeer},
                  ApplyRemoteDescription{kFirstPeer, SdpType::Offer, kOfferSdp}});
    CHECK(bob.server_frame(relayed(candidate_message(candidate_json(3)))).empty());

    CHECK(bob.remote_description_applied(kFirstPeer) ==
          Actions{AddRemoteCandidate{kFirstPeer, candidate_json(1).dump()},
                  AddRemoteCandidate{kFirstPeer, candidate_json(2).dump()},
                  AddRemoteCandidate{kFirstPeer, candidate_json(3).dump()},
                  CreateAnswer{kFirstPeer}});
  }

  TEST_CASE("a message with a \"from\" field names the peer it makes") {
    CallMachine bob;
    bob.join(kRoom, "Bob");
    json offer = offer_message(kOfferSdp);
    offer["from"] = kAlice.value;
    bob.server_frame(relayed(offer));
    CHECK(only_peer(bob).connection_id == kAlice);
  }

  TEST_CASE("remote candidates beyond the buffer limit are dropped with a diagnostic") {
    CallMachine bob;
    bob.join(kRoom, "Bob");
    for (std::size_t i = 0; i < CallMachine::kMaxEarlyCandidates; ++i) {
      REQUIRE(bob.server_frame(relayed(candidate_message(candidate_json(1)))).empty());
    }
    CHECK(diagnostic_codes(bob.server_frame(relayed(candidate_message(candidate_json(2))))) ==
          std::vector<std::string>{"candidate_buffer_full"});
  }
}

TEST_SUITE("call machine: unexpected messages are ignored") {
  TEST_CASE("a duplicate offer is ignored with a diagnostic") {
    BobIsAnswering answering;
    auto actions = answering.bob.server_frame(relayed(offer_message(kOfferSdp)));
    CHECK(without_diagnostics(actions).empty());
    CHECK(diagnostic_codes(actions) == std::vector<std::string>{"duplicate_offer"});
    CHECK(only_peer(answering.bob).phase == NegotiationPhase::CreatingAnswer);
  }

  TEST_CASE("an offer to the member who is offering is ignored") {
    AliceHasOffered offered;
    auto actions = offered.alice.server_frame(relayed(offer_message(kAnswerSdp)));
    CHECK(without_diagnostics(actions).empty());
    CHECK(diagnostic_codes(actions) == std::vector<std::string>{"unexpected_offer"});
    CHECK(only_peer(offered.alice).phase == NegotiationPhase::AwaitingAnswer);
  }

  TEST_CASE("an answer without any peer is ignored") {
    CallMachine bob;
    bob.join(kRoom, "Bob");
    auto actions = bob.server_frame(relayed(answer_message(kAnswerSdp)));
    CHECK(without_diagnostics(actions).empty());
    CHECK(diagnostic_codes(actions) == std::vector<std::string>{"unexpected_answer"});
    CHECK(bob.snapshot().peers.empty());
  }

  TEST_CASE("an answer before our offer is sent is ignored") {
    CallMachine alice;
    alice.join(kRoom, "Alice");
    alice.server_frame(new_participant_message(kBob));
    auto actions = alice.server_frame(relayed(answer_message(kAnswerSdp)));
    CHECK(without_diagnostics(actions).empty());
    CHECK(diagnostic_codes(actions) == std::vector<std::string>{"unexpected_answer"});
    CHECK(only_peer(alice).phase == NegotiationPhase::CreatingOffer);
  }

  TEST_CASE("a second answer to the same offer is ignored") {
    AliceInCall call;
    auto actions = call.alice.server_frame(relayed(answer_message(kAnswerSdp)));
    CHECK(without_diagnostics(actions).empty());
    CHECK(diagnostic_codes(actions) == std::vector<std::string>{"unexpected_answer"});
    CHECK(only_peer(call.alice).phase == NegotiationPhase::Stable);
  }

  TEST_CASE("malformed frames are ignored without throwing") {
    AliceHasOffered offered;
    const std::vector<std::string> frames = {
        "",
        "{",
        "hello world!",
        "\xff\xfe",
        R"({"type":"offer"})",
        R"({"type":"offer","offer":"v=0"})",
        R"({"type":"offer","offer":{"type":"offer","sdp":5}})",
        R"({"type":"answer","answer":{"type":"offer","sdp":"v=0"}})",
        R"({"type":"answer","answer":{"sdp":"v=0"},"from":42})",
        R"({"type":"candidate","candidate":{"sdpMid":"0","sdpMLineIndex":0}})",
        R"({"type":"candidate","candidate":{"candidate":"c","sdpMLineIndex":-1}})",
        R"({"type":"candidate","candidate":{"candidate":"c","sdpMLineIndex":70000}})",
        R"({"type":"candidate","candidate":"candidate:1 1 udp 1 192.0.2.1 1 typ host"})",
        R"({"type":"newParticipant"})",
        R"({"type":"participantLeft","participantConnectionId":""})",
        R"({"type":"error","code":404})",
        R"({"type":7})",
        std::string(100000, '[') + std::string(100000, ']'),
    };
    for (const auto& frame : frames) {
      CAPTURE(frame);
      Actions actions;
      CHECK_NOTHROW(actions = offered.alice.server_frame(frame));
      CHECK(without_diagnostics(actions).empty());
      CHECK(diagnostic_codes(actions) == std::vector<std::string>{"malformed_frame"});
    }
    CHECK(only_peer(offered.alice).phase == NegotiationPhase::AwaitingAnswer);
  }

  TEST_CASE("a JSON value that is not an object is ignored") {
    AliceHasOffered offered;
    for (const std::string frame : {"[]", "42", R"("offer")", "null", "true"}) {
      CAPTURE(frame);
      Actions actions;
      CHECK_NOTHROW(actions = offered.alice.server_frame(frame));
      CHECK(diagnostic_codes(actions) == std::vector<std::string>{"malformed_frame"});
    }
    CHECK(only_peer(offered.alice).phase == NegotiationPhase::AwaitingAnswer);
  }

  TEST_CASE("a message of unknown type is ignored") {
    AliceHasOffered offered;
    auto actions = offered.alice.server_frame(R"({"type":"chat","text":"hi"})");
    CHECK(without_diagnostics(actions).empty());
    CHECK(diagnostic_codes(actions) == std::vector<std::string>{"unknown_message_type"});
    CHECK(only_peer(offered.alice).phase == NegotiationPhase::AwaitingAnswer);
  }

  TEST_CASE("unknown fields in a known message are ignored") {
    AliceHasOffered offered;
    json answer = answer_message(kAnswerSdp);
    answer["sentAt"] = 1707502303419;
    answer["answer"]["extra"] = {1, 2};
    CHECK(offered.alice.server_frame(relayed(answer)) ==
          Actions{ApplyRemoteDescription{kFirstPeer, SdpType::Answer, kAnswerSdp}});
  }

  TEST_CASE("a local candidate that is not candidate JSON is not sent") {
    AliceHasOffered offered;
    auto actions = offered.alice.local_candidate(kFirstPeer, "null");
    CHECK(without_diagnostics(actions).empty());
    CHECK(diagnostic_codes(actions) == std::vector<std::string>{"bad_candidate"});
  }

  TEST_CASE("a local description nobody asked for is not sent") {
    AliceHasOffered offered;
    auto actions = offered.alice.local_description(kFirstPeer, SdpType::Offer, kOfferSdp);
    CHECK(without_diagnostics(actions).empty());
    CHECK(diagnostic_codes(actions) == std::vector<std::string>{"unexpected_local_description"});
  }
}

TEST_SUITE("call machine: peers leaving") {
  TEST_CASE("a peer that leaves mid-negotiation is closed, and later events for it do nothing") {
    AliceHasOffered offered;
    CHECK(offered.alice.server_frame(participant_left_message(kBob, LeaveReason::Left)) ==
          Actions{ClosePeer{kFirstPeer}});
    CHECK(offered.alice.snapshot().peers.empty());

    CHECK(without_diagnostics(offered.alice.server_frame(relayed(answer_message(kAnswerSdp))))
              .empty());
    CHECK(without_diagnostics(
              offered.alice.server_frame(relayed(candidate_message(candidate_json(1)))))
              .empty());
    CHECK(without_diagnostics(offered.alice.local_candidate(kFirstPeer, candidate_json(2).dump()))
              .empty());
    CHECK(without_diagnostics(offered.alice.remote_description_applied(kFirstPeer)).empty());
    CHECK(without_diagnostics(
              offered.alice.peer_connection_state(kFirstPeer, PeerConnectionState::Failed))
              .empty());
    CHECK(offered.alice.snapshot().peers.empty());
  }

  TEST_CASE("a newcomer closes the peer it made from an offer when the offerer leaves") {
    BobIsAnswering answering;
    // Bob never learnt Alice's id: in a 1:1 call the member leaving is his peer.
    CHECK(answering.bob.server_frame(participant_left_message(kAlice, LeaveReason::Left)) ==
          Actions{ClosePeer{kFirstPeer}});
    CHECK(without_diagnostics(
              answering.bob.local_description(kFirstPeer, SdpType::Answer, kAnswerSdp))
              .empty());
  }

  TEST_CASE("candidates waiting for an offer are dropped when their sender leaves") {
    CallMachine bob;
    bob.join(kRoom, "Bob");
    bob.server_frame(relayed(candidate_message(candidate_json(1))));
    CHECK(bob.server_frame(participant_left_message(kAlice, LeaveReason::Left)).empty());

    // Carol, joining later, offers: Alice's candidates must not reach Carol's connection.
    bob.server_frame(relayed(offer_message(kOfferSdp)));
    CHECK(bob.remote_description_applied(kFirstPeer) == Actions{CreateAnswer{kFirstPeer}});
  }

  TEST_CASE("a peer whose signaling drops keeps its call and shows signaling lost") {
    AliceInCall call;
    CHECK(
        call.alice.server_frame(participant_left_message(kBob, LeaveReason::Disconnected)).empty());
    CHECK(only_peer(call.alice) ==
          PeerSnapshot{kFirstPeer, kBob, NegotiationPhase::Stable, ConnectionState::SignalingLost});
  }

  TEST_CASE("a peer whose signaling dropped is closed when its connection then fails") {
    AliceInCall call;
    call.alice.server_frame(participant_left_message(kBob, LeaveReason::Disconnected));
    CHECK(call.alice.peer_connection_state(kFirstPeer, PeerConnectionState::Disconnected).empty());
    CHECK(call.alice.peer_connection_state(kFirstPeer, PeerConnectionState::Failed) ==
          Actions{ClosePeer{kFirstPeer}});
    CHECK(call.alice.snapshot().peers.empty());
  }

  TEST_CASE("a peer whose signaling dropped is closed when its connection closes") {
    AliceInCall call;
    call.alice.server_frame(participant_left_message(kBob, LeaveReason::Disconnected));
    CHECK(call.alice.peer_connection_state(kFirstPeer, PeerConnectionState::Closed) ==
          Actions{ClosePeer{kFirstPeer}});
  }

  TEST_CASE("a peer whose connection already failed is closed when its signaling drops") {
    AliceInCall call;
    call.alice.peer_connection_state(kFirstPeer, PeerConnectionState::Failed);
    CHECK(call.alice.server_frame(participant_left_message(kBob, LeaveReason::Disconnected)) ==
          Actions{ClosePeer{kFirstPeer}});
  }

  TEST_CASE("a peer whose signaling drops mid-negotiation is closed at once") {
    AliceHasOffered offered;
    CHECK(offered.alice.server_frame(participant_left_message(kBob, LeaveReason::Disconnected)) ==
          Actions{ClosePeer{kFirstPeer}});
    CHECK(offered.alice.snapshot().peers.empty());
  }

  TEST_CASE("a failed connection with signaling intact stays, shown as failed") {
    AliceInCall call;
    CHECK(call.alice.peer_connection_state(kFirstPeer, PeerConnectionState::Failed).empty());
    CHECK(only_peer(call.alice).state == ConnectionState::Failed);
  }

  TEST_CASE("an interrupted connection shows reconnecting, and connected again when it recovers") {
    AliceInCall call;
    call.alice.peer_connection_state(kFirstPeer, PeerConnectionState::Disconnected);
    CHECK(only_peer(call.alice).state == ConnectionState::Reconnecting);
    call.alice.peer_connection_state(kFirstPeer, PeerConnectionState::Connected);
    CHECK(only_peer(call.alice).state == ConnectionState::Connected);
  }

  TEST_CASE("a third member is ignored during a call, and its leaving does not close the peer") {
    CallMachine bob;
    bob.join(kRoom, "Bob");
    bob.server_frame(relayed(offer_message(kOfferSdp)));  // Alice's, id unknown
    auto actions = bob.server_frame(new_participant_message(kCarol));
    CHECK(without_diagnostics(actions).empty());
    CHECK(diagnostic_codes(actions) == std::vector<std::string>{"room_busy"});

    CHECK(bob.server_frame(participant_left_message(kCarol, LeaveReason::Left)).empty());
    CHECK(only_peer(bob).phase == NegotiationPhase::ApplyingOffer);
  }

  TEST_CASE("a member who rejoins after losing signaling is offered a new connection") {
    AliceInCall call;
    call.alice.server_frame(participant_left_message(kBob, LeaveReason::Disconnected));
    const ConnectionId bob_again{"bobAgainId="};
    CHECK(call.alice.server_frame(new_participant_message(bob_again)) ==
          Actions{CreatePeer{kSecondPeer}, CreateOffer{kSecondPeer}});
    call.alice.local_description(kSecondPeer, SdpType::Offer, kOfferSdp);
    // Without "from", the answer can only come from the peer whose signaling is intact.
    CHECK(call.alice.server_frame(relayed(answer_message(kAnswerSdp))) ==
          Actions{ApplyRemoteDescription{kSecondPeer, SdpType::Answer, kAnswerSdp}});
  }
}

TEST_SUITE("call machine: server errors") {
  TEST_CASE("an error frame is shown to the person with its code and message") {
    AliceInCall call;
    auto frame = videochat::protocol::error_message(ErrorCode::NotInRoom,
                                                    "you are not in room '123'; join it first");
    CHECK(call.alice.server_frame(frame) ==
          Actions{ShowError{"NOT_IN_ROOM", "you are not in room '123'; join it first"}});
    CHECK(only_peer(call.alice).state == ConnectionState::Connected);
  }

  TEST_CASE("an error frame is shown even outside a room") {
    CallMachine machine;
    auto frame = videochat::protocol::error_message(ErrorCode::BadJson, "the body is not JSON");
    CHECK(machine.server_frame(frame) == Actions{ShowError{"BAD_JSON", "the body is not JSON"}});
  }
}

TEST_SUITE("call machine: states") {
  TEST_CASE("connection states have names a person understands") {
    CHECK(to_string(ConnectionState::Connecting) == "connecting");
    CHECK(to_string(ConnectionState::Connected) == "connected");
    CHECK(to_string(ConnectionState::SignalingLost) == "signaling lost");
    CHECK(to_string(ConnectionState::Reconnecting) == "reconnecting");
    CHECK(to_string(ConnectionState::Failed) == "failed");
  }

  TEST_CASE("the browser's connection state names parse, and nothing else does") {
    using videochat::client::parse_peer_connection_state;
    CHECK(parse_peer_connection_state("new") == PeerConnectionState::New);
    CHECK(parse_peer_connection_state("connecting") == PeerConnectionState::Connecting);
    CHECK(parse_peer_connection_state("connected") == PeerConnectionState::Connected);
    CHECK(parse_peer_connection_state("disconnected") == PeerConnectionState::Disconnected);
    CHECK(parse_peer_connection_state("failed") == PeerConnectionState::Failed);
    CHECK(parse_peer_connection_state("closed") == PeerConnectionState::Closed);
    CHECK_FALSE(parse_peer_connection_state("Connected").has_value());
    CHECK_FALSE(parse_peer_connection_state("").has_value());
  }
}

namespace {

// One member of a two-member room: its machine, and the browser it drives, played here by
// answering each action at once with a fixed description and one local candidate.
struct Member {
  CallMachine machine;
  std::string sdp;
  int candidate;
  std::vector<std::string> relayed;  // the messages it sent to the room
  std::vector<std::string> candidates_added;
};

// Carries out `actions` for `self` until nothing is left to do; the relay hands its messages to
// `other`, as the server would.
void run(Member& self, Member& other, const Actions& actions) {
  for (const auto& action : actions) {
    if (const auto* send = std::get_if<SendToServer>(&action)) {
      json frame = json::parse(send->text);
      if (frame["action"] != "sendMsgToRoom") continue;
      self.relayed.push_back(frame["message"].get<std::string>());
      run(other, self, other.machine.server_frame(self.relayed.back()));
    } else if (const auto* offer = std::get_if<CreateOffer>(&action)) {
      run(self, other, self.machine.local_description(offer->peer, SdpType::Offer, self.sdp));
      run(self, other,
          self.machine.local_candidate(offer->peer, candidate_json(self.candidate).dump()));
    } else if (const auto* answer = std::get_if<CreateAnswer>(&action)) {
      run(self, other, self.machine.local_description(answer->peer, SdpType::Answer, self.sdp));
      run(self, other,
          self.machine.local_candidate(answer->peer, candidate_json(self.candidate).dump()));
    } else if (const auto* apply = std::get_if<ApplyRemoteDescription>(&action)) {
      run(self, other, self.machine.remote_description_applied(apply->peer));
    } else if (const auto* add = std::get_if<AddRemoteCandidate>(&action)) {
      self.candidates_added.push_back(add->candidate_json);
    }
  }
}

}  // namespace

TEST_SUITE("call machine: two members") {
  TEST_CASE(
      "two machines relaying to each other reach a stable call with one offer and one answer") {
    Member alice{CallMachine{}, kOfferSdp, 1, {}, {}};
    Member bob{CallMachine{}, kAnswerSdp, 2, {}, {}};
    alice.machine.join(kRoom, "Alice");
    bob.machine.join(kRoom, "Bob");
    // The server tells Alice, who was there first, that Bob joined.
    run(alice, bob, alice.machine.server_frame(new_participant_message(kBob)));

    CHECK(alice.relayed == std::vector<std::string>{offer_message(kOfferSdp).dump(),
                                                    candidate_message(candidate_json(1)).dump()});
    CHECK(bob.relayed == std::vector<std::string>{answer_message(kAnswerSdp).dump(),
                                                  candidate_message(candidate_json(2)).dump()});
    CHECK(alice.candidates_added == std::vector<std::string>{candidate_json(2).dump()});
    CHECK(bob.candidates_added == std::vector<std::string>{candidate_json(1).dump()});
    CHECK(only_peer(alice.machine).phase == NegotiationPhase::Stable);
    CHECK(only_peer(bob.machine).phase == NegotiationPhase::Stable);
  }
}
