// The client's signaling state machine in a mesh room, as its members live it: who offers to whom,
// what is relayed and to whom, how offers that cross are resolved (perfect negotiation), how
// sessions tell a replaced connection from the current one, how a member keeps its peers across a
// signaling outage, when ICE is restarted, and what is ignored.
//
// Server frames are written by hand as protocol v2 specifies them (docs/protocol.md, "Protocol v2");
// relayed messages as a browser peer writes them, with "from"/"fromPeer" spliced in as our server
// does. The last suites drive several machines against each other through MiniRoom, a signaling
// server and browsers in miniature.
#include "call_machine.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "call_test_support.hpp"
#include "send_limits.hpp"
#include "identifiers.hpp"
#include "server_frames.hpp"

namespace {

using nlohmann::json;
using videochat::client::Action;
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
using videochat::client::DiagnosticCode;
using videochat::client::NegotiationPhase;
using videochat::client::PeerConnectionState;
using videochat::client::PeerKey;
using videochat::client::PeerSnapshot;
using videochat::client::RoomLockChanged;
using videochat::client::SdpType;
using videochat::client::send_limits_for;
using videochat::client::SendLimits;
using videochat::client::SendToServer;
using videochat::client::SetSendLimits;
using videochat::client::ShowError;
using videochat::protocol::ErrorCode;
using videochat::protocol::ConnectionId;
using videochat::test::answer_message;
using videochat::test::candidate_json;
using videochat::test::candidate_message;
using videochat::test::kAlice;
using videochat::test::kAnswerSdp;
using videochat::test::kBob;
using videochat::test::kOfferSdp;
using videochat::test::kRoom;
using videochat::test::offer_message;

// peerIds: 32 lowercase hex digits. Their order decides who is polite: the greater one offers.
const std::string kPeerA(32, 'a');
const std::string kPeerB(32, 'b');
const std::string kPeerC(32, 'c');
const std::string kPeerD(32, 'd');

const ConnectionId kDave{"daveConnId=="};
const ConnectionId kOwn{"ownConnIdAA="};
const ConnectionId kOwnAgain{"ownConnIdBB="};
const ConnectionId kAliceAgain{"aliceConnI2="};
const ConnectionId kDaveAgain{"daveConnId2="};

const PeerKey kPeer1{1};
const PeerKey kPeer2{2};
const PeerKey kPeer3{3};
const PeerKey kPeer4{4};

// --- Server frames, by hand --------------------------------------------------------------------

json participant(const ConnectionId& id, const std::optional<std::string>& peer_id = {},
                 const std::optional<std::string>& name = {}) {
  json entry{{"participantConnectionId", id.value}};
  if (peer_id) entry["peerId"] = *peer_id;
  if (name) entry["name"] = *name;
  return entry;
}

std::string joined_frame(const ConnectionId& own, const std::string& own_peer_id,
                         const std::vector<json>& participants,
                         const std::string& token = "resume-token-1") {
  return json{{"type", "joined"},
              {"roomId", kRoom.value},
              {"connectionId", own.value},
              {"capacity", 6},
              {"peerId", own_peer_id},
              {"resumeToken", token},
              {"participants", participants}}
      .dump();
}

std::string new_participant_frame(const ConnectionId& id,
                                  const std::optional<std::string>& peer_id = {},
                                  const std::optional<std::string>& name = {}) {
  json frame = participant(id, peer_id, name);
  frame["type"] = "newParticipant";
  return frame.dump();
}

std::string participant_resumed_frame(const ConnectionId& previous, const ConnectionId& now,
                                      const std::string& peer_id) {
  return json{{"type", "participantResumed"},
              {"previousConnectionId", previous.value},
              {"participantConnectionId", now.value},
              {"peerId", peer_id}}
      .dump();
}

std::string participant_left_frame(const ConnectionId& id, const std::string& reason) {
  return json{
      {"type", "participantLeft"}, {"participantConnectionId", id.value}, {"reason", reason}}
      .dump();
}

std::string error_frame(const std::string& code, const std::string& message) {
  return json{{"type", "error"}, {"code", code}, {"message", message}}.dump();
}

// A relayed message as our server delivers it: "from" and "fromPeer" spliced into the sender's
// object; with sessions when the sender is a protocol v2 client.
std::string delivered(json message, const ConnectionId& from,
                      const std::optional<std::string>& from_peer,
                      const std::optional<std::string>& session = {},
                      const std::optional<std::string>& to_session = {}) {
  message["from"] = from.value;
  if (from_peer) message["fromPeer"] = *from_peer;
  if (session) message["session"] = *session;
  if (to_session) message["toSession"] = *to_session;
  return message.dump();
}

// --- Reading actions ---------------------------------------------------------------------------

template <class T>
std::vector<T> all_of(const Actions& actions) {
  std::vector<T> found;
  for (const Action& action : actions) {
    if (const T* value = std::get_if<T>(&action)) found.push_back(*value);
  }
  return found;
}

std::vector<DiagnosticCode> diagnostic_codes(const Actions& actions) {
  std::vector<DiagnosticCode> codes;
  for (const Diagnostic& diagnostic : all_of<Diagnostic>(actions)) codes.push_back(diagnostic.code);
  return codes;
}

Actions without_diagnostics(const Actions& actions) {
  Actions kept;
  for (const Action& action : actions) {
    if (!std::holds_alternative<Diagnostic>(action)) kept.push_back(action);
  }
  return kept;
}

// A message the machine relayed, with whom it was addressed to.
struct Relayed {
  std::optional<std::string> to;
  json message;
};

std::vector<Relayed> relayed_by(const Actions& actions) {
  std::vector<Relayed> found;
  for (const SendToServer& send : all_of<SendToServer>(actions)) {
    json frame = json::parse(send.text);
    if (frame["action"] != "sendMsgToRoom") continue;
    CHECK(frame["roomId"] == kRoom.value);
    std::optional<std::string> to;
    if (frame.contains("to")) to = frame["to"].get<std::string>();
    found.push_back({to, json::parse(frame["message"].get<std::string>())});
  }
  return found;
}

// The one message `actions` relays.
Relayed only_relayed(const Actions& actions) {
  auto found = relayed_by(actions);
  REQUIRE_MESSAGE(found.size() == 1, "actions: " << doctest::toString(actions));
  return found.front();
}

json only_frame_sent(const Actions& actions) {
  auto sent = all_of<SendToServer>(actions);
  REQUIRE_MESSAGE(sent.size() == 1, "actions: " << doctest::toString(actions));
  return json::parse(sent.front().text);
}

std::string text_field(const json& object, const char* key) {
  return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : "";
}

SetSendLimits limits_for(PeerKey peer, std::size_t remote_peers) {
  const SendLimits limits = send_limits_for(remote_peers);
  return {peer, limits.max_video_bitrate_bps, limits.scale_resolution_down_by};
}

PeerSnapshot peer_of(const CallMachine& machine, PeerKey key) {
  for (const PeerSnapshot& peer : machine.snapshot().peers) {
    if (peer.key == key) return peer;
  }
  FAIL("no peer " << key.value);
  return {};
}

std::vector<PeerKey> peer_keys(const CallMachine& machine) {
  std::vector<PeerKey> keys;
  for (const PeerSnapshot& peer : machine.snapshot().peers) keys.push_back(peer.key);
  return keys;
}

// --- A member driven by hand --------------------------------------------------------------------

// A member with peerId `own_peer_id`, online and in room 123, before the server's `joined`.
CallMachine joining(const std::string& own_peer_id) {
  CallMachine machine(own_peer_id);
  machine.signaling_up();
  machine.join(kRoom, "Me");
  return machine;
}

// We offered to `key` (the other side's session is `their_session`) and the exchange completed.
// Returns the session we used.
std::string complete_our_offer(CallMachine& machine, PeerKey key, const ConnectionId& them,
                               const std::string& their_peer_id, const std::string& their_session) {
  auto sent = only_relayed(machine.local_description(key, SdpType::Offer, kOfferSdp));
  const std::string our_session = text_field(sent.message, "session");
  machine.server_frame(
      delivered(answer_message(kAnswerSdp), them, their_peer_id, their_session, our_session));
  machine.remote_description_applied(key);
  REQUIRE(peer_of(machine, key).phase == NegotiationPhase::Stable);
  return our_session;
}

// The other side offered to us on `key` and we answered. Returns the session we used.
std::string complete_their_offer(CallMachine& machine, PeerKey key, const ConnectionId& them,
                                 const std::string& their_peer_id,
                                 const std::string& their_session) {
  machine.server_frame(delivered(offer_message(kOfferSdp), them, their_peer_id, their_session));
  machine.remote_description_applied(key);
  auto sent = only_relayed(machine.local_description(key, SdpType::Answer, kAnswerSdp));
  REQUIRE(peer_of(machine, key).phase == NegotiationPhase::Stable);
  return text_field(sent.message, "session");
}

// We are kPeerC in room 123 with Alice (kPeerA: we offered) and Dave (kPeerD: he offered), both
// negotiated and their media flowing.
struct InCallWithAliceAndDave {
  CallMachine me = joining(kPeerC);
  std::string session_for_alice;
  std::string session_for_dave;
  InCallWithAliceAndDave() {
    me.server_frame(joined_frame(
        kOwn, kPeerC, {participant(kAlice, kPeerA, "Alice"), participant(kDave, kPeerD, "Dave")}));
    session_for_alice = complete_our_offer(me, kPeer1, kAlice, kPeerA, "alice-s1");
    session_for_dave = complete_their_offer(me, kPeer2, kDave, kPeerD, "dave-s1");
    me.peer_connection_state(kPeer1, PeerConnectionState::Connected);
    me.peer_connection_state(kPeer2, PeerConnectionState::Connected);
  }
};

// We are kPeerC with one member, Alice (kPeerA, to whom we are impolite), negotiated and flowing.
struct InCallWithAlice {
  CallMachine me = joining(kPeerC);
  std::string session;
  InCallWithAlice() {
    me.server_frame(joined_frame(kOwn, kPeerC, {participant(kAlice, kPeerA, "Alice")}));
    session = complete_our_offer(me, kPeer1, kAlice, kPeerA, "alice-s1");
    me.peer_connection_state(kPeer1, PeerConnectionState::Connected);
  }
};

}  // namespace

TEST_SUITE("call machine: joining and leaving") {
  TEST_CASE("joinRoom is sent once signaling is up, with our peerId and name") {
    CallMachine me(kPeerC);
    CHECK(me.join(kRoom, "Carol").empty());
    CHECK(only_frame_sent(me.signaling_up()) ==
          json{{"action", "joinRoom"}, {"roomId", "123"}, {"peerId", kPeerC}, {"name", "Carol"}});
    auto snapshot = me.snapshot();
    CHECK(snapshot.room == kRoom);
    CHECK(snapshot.own_name == "Carol");
    CHECK(snapshot.own_peer_id == kPeerC);
    CHECK(snapshot.peers.empty());
  }

  TEST_CASE("joined alone tells us our connection id and makes no peer") {
    CallMachine me = joining(kPeerC);
    CHECK(me.server_frame(joined_frame(kOwn, kPeerC, {})).empty());
    CHECK(me.snapshot().own_connection_id == kOwn);
    CHECK(me.snapshot().peers.empty());
  }

  TEST_CASE("leave sends leaveRoom, closes every peer and forgets the room") {
    InCallWithAliceAndDave call;
    Actions actions = call.me.leave();
    CHECK(only_frame_sent(actions) == json{{"action", "leaveRoom"}, {"roomId", "123"}});
    CHECK(all_of<ClosePeer>(actions) == std::vector<ClosePeer>{{kPeer1}, {kPeer2}});
    CHECK(call.me.snapshot().room == std::nullopt);
    CHECK(call.me.snapshot().peers.empty());
  }

  TEST_CASE("room frames that arrive outside a room are ignored") {
    CallMachine me(kPeerC);
    me.signaling_up();
    CHECK(diagnostic_codes(me.server_frame(new_participant_frame(kAlice, kPeerA))) ==
          std::vector{DiagnosticCode::NotInRoom});
    CHECK(me.snapshot().peers.empty());
  }

  TEST_CASE("an error frame is shown to the person, even outside a room") {
    CallMachine me(kPeerC);
    CHECK(me.server_frame(error_frame("ROOM_FULL", "room '123' is full")) ==
          Actions{ShowError{ErrorCode::RoomFull, "room '123' is full", "ROOM_FULL"}});
  }

  TEST_CASE("every error code the server can send has the reaction the client means for it") {
    // Written by the server's writer and read by the client's parser: a code added to the
    // protocol without a reaction chosen here fails this test.
    enum class Reaction { Shown, JoinsAgain, RetriesLater, Ignored, Logged };
    const std::map<ErrorCode, Reaction> intended = {
        {ErrorCode::BadJson, Reaction::Shown},
        {ErrorCode::BadRequest, Reaction::Shown},
        {ErrorCode::UnknownAction, Reaction::Shown},
        {ErrorCode::NotInRoom, Reaction::JoinsAgain},
        {ErrorCode::RoomFull, Reaction::Shown},
        {ErrorCode::MessageTooLarge, Reaction::Shown},
        {ErrorCode::PeerIdInUse, Reaction::RetriesLater},
        {ErrorCode::UnknownRecipient, Reaction::Ignored},
        {ErrorCode::InternalError, Reaction::Shown},
        {ErrorCode::RateLimited, Reaction::Logged},
        {ErrorCode::NameNotAllowed, Reaction::Shown},
        {ErrorCode::PasscodeRequired, Reaction::Shown},
        {ErrorCode::WrongPasscode, Reaction::Shown},
        {ErrorCode::RoomLocked, Reaction::Shown},
        {ErrorCode::TooManyAttempts, Reaction::Shown},
    };
    for (const auto& entry : videochat::protocol::kErrorCodes) {
      CAPTURE(entry.wire);
      auto found = intended.find(entry.code);
      REQUIRE_MESSAGE(found != intended.end(), "no reaction chosen for this error code");
      InCallWithAlice call;
      Actions actions = call.me.server_frame(
          videochat::protocol::to_text(videochat::protocol::ErrorFrame{entry.code, "m", {}}));
      const auto shown = all_of<ShowError>(actions);
      const bool joins = !all_of<SendToServer>(actions).empty();
      Reaction seen = !shown.empty() ? Reaction::Shown
                      : joins        ? Reaction::JoinsAgain
                      : diagnostic_codes(actions) == std::vector{DiagnosticCode::RecipientGone}
                          ? Reaction::Ignored
                      : diagnostic_codes(actions) == std::vector{DiagnosticCode::RateLimited}
                          ? Reaction::Logged
                          : Reaction::RetriesLater;
      CHECK(static_cast<int>(seen) == static_cast<int>(found->second));
      if (!shown.empty()) CHECK(shown.front() == ShowError{entry.code, "m", std::string(entry.wire)});
    }
  }

  TEST_CASE("the passcode goes with every join into the room, and the room's gate is kept") {
    CallMachine me(kPeerC);
    me.join(kRoom, "Carol", "Tr0mbone");
    CHECK(only_frame_sent(me.signaling_up())["passcode"] == "Tr0mbone");
    json joined = json::parse(joined_frame(kOwn, kPeerC, {}));
    joined["hasPasscode"] = true;
    me.server_frame(joined.dump());
    CHECK(me.room_has_passcode());
    CHECK_FALSE(me.room_locked());
    // A reconnection joins with it again.
    me.signaling_down();
    CHECK(only_frame_sent(me.signaling_up())["passcode"] == "Tr0mbone");
    me.leave();
    CHECK_FALSE(me.room_has_passcode());
  }

  TEST_CASE("locking sends lockRoom; roomLocked says who locked it") {
    InCallWithAlice call;
    CHECK(only_frame_sent(call.me.lock_room(true)) ==
          json{{"action", "lockRoom"}, {"roomId", "123"}, {"locked", true}});
    CHECK(call.me.server_frame(json{{"type", "roomLocked"},
                                    {"roomId", "123"},
                                    {"locked", true},
                                    {"by", kAlice.value}}
                                   .dump()) ==
          Actions{RoomLockChanged{true, false, std::string("Alice")}});
    CHECK(call.me.room_locked());
    CHECK(call.me.snapshot().locked);
    CHECK(call.me.server_frame(json{{"type", "roomLocked"},
                                    {"roomId", "123"},
                                    {"locked", false},
                                    {"by", kOwn.value}}
                                   .dump()) == Actions{RoomLockChanged{false, true, std::nullopt}});
    CHECK_FALSE(call.me.room_locked());
  }

  TEST_CASE("a pong changes nothing") {
    InCallWithAlice call;
    auto before = call.me.snapshot();
    CHECK(call.me.server_frame(R"({"type":"pong"})").empty());
    CHECK(call.me.snapshot() == before);
  }
}

TEST_SUITE("call machine: TURN relay") {
  TEST_CASE("joined with iceServers hands the relay over before any peer is made") {
    CallMachine me = joining(kPeerC);
    json frame = json::parse(joined_frame(kOwn, kPeerC, {participant(kAlice, kPeerA, "Alice")}));
    frame["iceServers"] = json::array(
        {{{"urls", {"turn:relay.example.org:3478"}}, {"username", "9:c"}, {"credential", "k"}}});
    Actions actions = me.server_frame(frame.dump());
    REQUIRE(actions.size() > 2);
    CHECK(actions[0] == Action{videochat::client::UseIceServers{
                            {{{"turn:relay.example.org:3478"}, "9:c", "k"}}}});
    CHECK(actions[1] == Action{CreatePeer{kPeer1}});
  }

  TEST_CASE("the relay's credentials are renewed at three quarters of their life by joining "
            "again, and the answer changes nothing else") {
    CallMachine me = joining(kPeerC);
    me.tick(1000);
    json frame = json::parse(joined_frame(kOwn, kPeerC, {participant(kAlice, kPeerA, "Alice")}));
    frame["iceServers"] = json::array({{{"urls", {"turn:r"}}, {"username", "1:c"}, {"credential", "k"}}});
    frame["iceServersTtl"] = 100;
    me.server_frame(frame.dump());
    CHECK(all_of<SendToServer>(me.tick(1000 + 74'000)).empty());
    auto renewal = all_of<SendToServer>(me.tick(1000 + 75'000));
    REQUIRE(renewal.size() == 1);
    CHECK(json::parse(renewal[0].text)["action"] == "joinRoom");
    CHECK(json::parse(renewal[0].text)["resumeToken"] == "resume-token-1");
    CHECK(all_of<SendToServer>(me.tick(1000 + 80'000)).empty());  // asked once

    frame["iceServers"][0]["username"] = "2:c";
    frame["resumeToken"] = "resume-token-2";
    const auto before = me.snapshot();
    Actions answer = me.server_frame(frame.dump());
    CHECK(answer == Actions{videochat::client::UseIceServers{{{{"turn:r"}, "2:c", "k"}}}});
    CHECK(me.snapshot() == before);
    // The next renewal comes three quarters of the new credentials' life later.
    auto next = all_of<SendToServer>(me.tick(1000 + 80'000 + 75'000));
    REQUIRE(next.size() == 1);
    CHECK(json::parse(next[0].text)["resumeToken"] == "resume-token-2");
  }

  TEST_CASE("joined without iceServers leaves the servers as they are") {
    CallMachine me = joining(kPeerC);
    Actions actions = me.server_frame(joined_frame(kOwn, kPeerC, {}));
    CHECK(all_of<videochat::client::UseIceServers>(actions).empty());
  }
}

TEST_SUITE("call machine: mesh") {
  TEST_CASE("joined with three members makes three peers and offers only where we are impolite") {
    CallMachine me = joining(kPeerC);
    Actions actions = me.server_frame(
        joined_frame(kOwn, kPeerC,
                     {participant(kAlice, kPeerA, "Alice"), participant(kBob, kPeerB, "Bob"),
                      participant(kDave, kPeerD, "Dave")}));
    // c > a and c > b: we offer to Alice and Bob; d > c: Dave offers to us.
    CHECK(actions == Actions{CreatePeer{kPeer1}, CreateOffer{kPeer1, false}, CreatePeer{kPeer2},
                             CreateOffer{kPeer2, false}, CreatePeer{kPeer3}, limits_for(kPeer1, 3),
                             limits_for(kPeer2, 3), limits_for(kPeer3, 3)});
    auto peers = me.snapshot().peers;
    REQUIRE(peers.size() == 3);
    CHECK(peers[0] == PeerSnapshot{kPeer1, kAlice, NegotiationPhase::CreatingOffer,
                                   ConnectionState::Connecting, kPeerA, "Alice", false});
    CHECK(peers[1] == PeerSnapshot{kPeer2, kBob, NegotiationPhase::CreatingOffer,
                                   ConnectionState::Connecting, kPeerB, "Bob", false});
    CHECK(peers[2] == PeerSnapshot{kPeer3, kDave, NegotiationPhase::AwaitingOffer,
                                   ConnectionState::Connecting, kPeerD, "Dave", true});
  }

  TEST_CASE("every message is addressed to its peer alone and carries both sessions") {
    CallMachine me = joining(kPeerC);
    me.server_frame(
        joined_frame(kOwn, kPeerC, {participant(kAlice, kPeerA), participant(kDave, kPeerD)}));

    // Our offer to Alice: we do not know her session yet.
    Relayed offer = only_relayed(me.local_description(kPeer1, SdpType::Offer, kOfferSdp));
    CHECK(offer.to == kAlice.value);
    CHECK(offer.message["type"] == "offer");
    CHECK(offer.message["offer"]["sdp"] == kOfferSdp);
    const std::string to_alice = text_field(offer.message, "session");
    CHECK_FALSE(to_alice.empty());
    CHECK_FALSE(offer.message.contains("toSession"));

    CHECK(me.server_frame(
              delivered(answer_message(kAnswerSdp), kAlice, kPeerA, "alice-s1", to_alice)) ==
          Actions{ApplyRemoteDescription{kPeer1, SdpType::Answer, kAnswerSdp}});
    Relayed candidate = only_relayed(me.local_candidate(kPeer1, candidate_json(1).dump()));
    CHECK(candidate.to == kAlice.value);
    CHECK(candidate.message == json{{"type", "candidate"},
                                    {"candidate", candidate_json(1)},
                                    {"session", to_alice},
                                    {"toSession", "alice-s1"}});

    // Dave's offer, and our answer to him.
    CHECK(me.server_frame(delivered(offer_message(kOfferSdp), kDave, kPeerD, "dave-s1")) ==
          Actions{ApplyRemoteDescription{kPeer2, SdpType::Offer, kOfferSdp}});
    CHECK(me.remote_description_applied(kPeer2) == Actions{CreateAnswer{kPeer2}});
    Relayed answer = only_relayed(me.local_description(kPeer2, SdpType::Answer, kAnswerSdp));
    CHECK(answer.to == kDave.value);
    CHECK(answer.message["type"] == "answer");
    CHECK(answer.message["answer"]["sdp"] == kAnswerSdp);
    CHECK(answer.message["toSession"] == "dave-s1");
    CHECK_FALSE(text_field(answer.message, "session").empty());
    CHECK(text_field(answer.message, "session") != to_alice);
  }

  TEST_CASE("a peer that becomes stable gets the send limits for the current number of peers") {
    CallMachine me = joining(kPeerC);
    me.server_frame(
        joined_frame(kOwn, kPeerC, {participant(kAlice, kPeerA), participant(kDave, kPeerD)}));
    me.server_frame(delivered(offer_message(kOfferSdp), kDave, kPeerD, "dave-s1"));
    me.remote_description_applied(kPeer2);
    Actions actions = me.local_description(kPeer2, SdpType::Answer, kAnswerSdp);
    CHECK(all_of<SetSendLimits>(actions) == std::vector{limits_for(kPeer2, 2)});
  }

  TEST_CASE("a newcomer makes a peer; we offer only when we are impolite to it") {
    CallMachine me = joining(kPeerC);
    me.server_frame(joined_frame(kOwn, kPeerC, {participant(kAlice, kPeerA, "Alice")}));

    CHECK(me.server_frame(new_participant_frame(kDave, kPeerD, "Dave")) ==
          Actions{CreatePeer{kPeer2}, limits_for(kPeer1, 2), limits_for(kPeer2, 2)});
    CHECK(peer_of(me, kPeer2) == PeerSnapshot{kPeer2, kDave, NegotiationPhase::AwaitingOffer,
                                              ConnectionState::Connecting, kPeerD, "Dave", true});

    CHECK(me.server_frame(new_participant_frame(kBob, kPeerB, "Bob")) ==
          Actions{CreatePeer{kPeer3}, CreateOffer{kPeer3, false}, limits_for(kPeer1, 3),
                  limits_for(kPeer2, 3), limits_for(kPeer3, 3)});
    CHECK(me.snapshot().peers.size() == 3);
  }

  TEST_CASE("a member who leaves closes its peer only, and the others' send limits go up") {
    InCallWithAliceAndDave call;
    CHECK(call.me.server_frame(participant_left_frame(kAlice, "left")) ==
          Actions{ClosePeer{kPeer1}, limits_for(kPeer2, 1)});
    CHECK(peer_keys(call.me) == std::vector{kPeer2});
    CHECK(peer_of(call.me, kPeer2).state == ConnectionState::Connected);
    // Later events for the closed peer do nothing.
    CHECK(diagnostic_codes(call.me.peer_connection_state(kPeer1, PeerConnectionState::Failed)) ==
          std::vector{DiagnosticCode::UnknownPeer});
  }

  TEST_CASE("send limits tighten as the room fills, with the values of send_limits_for") {
    CallMachine me = joining(kPeerC);
    me.server_frame(joined_frame(kOwn, kPeerC, {}));
    const std::vector<std::pair<ConnectionId, std::string>> newcomers{
        {kAlice, kPeerA}, {kBob, kPeerB}, {kDave, kPeerD}};
    for (std::size_t n = 1; n <= newcomers.size(); ++n) {
      CAPTURE(n);
      Actions actions =
          me.server_frame(new_participant_frame(newcomers[n - 1].first, newcomers[n - 1].second));
      std::vector<SetSendLimits> expected;
      for (std::uint32_t key = 1; key <= n; ++key) expected.push_back(limits_for(PeerKey{key}, n));
      CHECK(all_of<SetSendLimits>(actions) == expected);
    }
    // Three peers need tighter limits than one: the test above would not notice otherwise.
    CHECK(send_limits_for(3).max_video_bitrate_bps < send_limits_for(1).max_video_bitrate_bps);
  }
}

TEST_SUITE("call machine: early candidates") {
  TEST_CASE("candidates from a sender not yet known are applied in order after its offer") {
    CallMachine me = joining(kPeerC);
    me.server_frame(joined_frame(kOwn, kPeerC, {}));
    CHECK(me.server_frame(delivered(candidate_message(candidate_json(1)), kDave, kPeerD, "d1"))
              .empty());
    CHECK(me.server_frame(delivered(candidate_message(candidate_json(2)), kDave, kPeerD, "d1"))
              .empty());
    CHECK(me.snapshot().peers.empty());

    CHECK(me.server_frame(delivered(offer_message(kOfferSdp), kDave, kPeerD, "d1")) ==
          Actions{CreatePeer{kPeer1}, limits_for(kPeer1, 1),
                  ApplyRemoteDescription{kPeer1, SdpType::Offer, kOfferSdp}});
    CHECK(me.server_frame(delivered(candidate_message(candidate_json(3)), kDave, kPeerD, "d1"))
              .empty());
    CHECK(me.remote_description_applied(kPeer1) ==
          Actions{AddRemoteCandidate{kPeer1, candidate_json(1).dump()},
                  AddRemoteCandidate{kPeer1, candidate_json(2).dump()},
                  AddRemoteCandidate{kPeer1, candidate_json(3).dump()}, CreateAnswer{kPeer1}});
    CHECK(me.server_frame(delivered(candidate_message(candidate_json(4)), kDave, kPeerD, "d1")) ==
          Actions{AddRemoteCandidate{kPeer1, candidate_json(4).dump()}});
  }

  TEST_CASE("candidates from a known peer before its remote description wait for it, in order") {
    CallMachine me = joining(kPeerC);
    me.server_frame(joined_frame(kOwn, kPeerC, {participant(kAlice, kPeerA)}));
    auto sent = only_relayed(me.local_description(kPeer1, SdpType::Offer, kOfferSdp));
    const std::string ours = text_field(sent.message, "session");
    for (int n : {1, 2}) {
      CHECK(me.server_frame(
                  delivered(candidate_message(candidate_json(n)), kAlice, kPeerA, "a1", ours))
                .empty());
    }
    me.server_frame(delivered(answer_message(kAnswerSdp), kAlice, kPeerA, "a1", ours));
    CHECK(me.remote_description_applied(kPeer1) ==
          Actions{AddRemoteCandidate{kPeer1, candidate_json(1).dump()},
                  AddRemoteCandidate{kPeer1, candidate_json(2).dump()}, limits_for(kPeer1, 1)});
  }

  TEST_CASE("candidates beyond the buffer are dropped with a diagnostic, for unknown senders too") {
    CallMachine me = joining(kPeerC);
    me.server_frame(joined_frame(kOwn, kPeerC, {participant(kDave, kPeerD)}));
    // Dave is known (we wait for his offer); Bob is not.
    for (const auto& sender : {std::pair{kDave, kPeerD}, std::pair{kBob, kPeerB}}) {
      CAPTURE(sender.first.value);
      for (std::size_t i = 0; i < CallMachine::kMaxEarlyCandidates; ++i) {
        REQUIRE(me.server_frame(
                      delivered(candidate_message(candidate_json(1)), sender.first, sender.second))
                    .empty());
      }
      CHECK(diagnostic_codes(me.server_frame(
                delivered(candidate_message(candidate_json(2)), sender.first, sender.second))) ==
            std::vector{DiagnosticCode::CandidateBufferFull});
    }
    me.server_frame(delivered(offer_message(kOfferSdp), kDave, kPeerD));
    CHECK(all_of<AddRemoteCandidate>(me.remote_description_applied(kPeer1)).size() ==
          CallMachine::kMaxEarlyCandidates);
  }
}

TEST_SUITE("call machine: what is ignored") {
  TEST_CASE("the same offer again is ignored") {
    CallMachine me = joining(kPeerC);
    me.server_frame(joined_frame(kOwn, kPeerC, {participant(kDave, kPeerD)}));
    complete_their_offer(me, kPeer1, kDave, kPeerD, "dave-s1");
    auto actions = me.server_frame(delivered(offer_message(kOfferSdp), kDave, kPeerD, "dave-s1"));
    CHECK(diagnostic_codes(actions) == std::vector{DiagnosticCode::DuplicateOffer});
    CHECK(without_diagnostics(actions).empty());
    CHECK(peer_of(me, kPeer1).phase == NegotiationPhase::Stable);
  }

  TEST_CASE("an answer without a pending offer of ours is ignored") {
    InCallWithAlice call;
    CHECK(diagnostic_codes(call.me.server_frame(
              delivered(answer_message("v=0 again"), kAlice, kPeerA, "alice-s1", call.session))) ==
          std::vector{DiagnosticCode::UnexpectedAnswer});
    // Nor from a member we never offered to.
    CHECK(diagnostic_codes(call.me.server_frame(
              delivered(answer_message(kAnswerSdp), kBob, kPeerB, "bob-s1"))) ==
          std::vector{DiagnosticCode::UnexpectedAnswer});
    CHECK(call.me.snapshot().peers.size() == 1);
    CHECK(peer_of(call.me, kPeer1).phase == NegotiationPhase::Stable);
  }

  TEST_CASE("a message for a connection of ours other than the current one is stale") {
    InCallWithAlice call;
    auto before = call.me.snapshot();
    for (const json& message : {offer_message("v=0 new"), answer_message(kAnswerSdp),
                                candidate_message(candidate_json(5))}) {
      CAPTURE(message.dump());
      auto actions =
          call.me.server_frame(delivered(message, kAlice, kPeerA, "alice-s1", "not-ours"));
      CHECK(diagnostic_codes(actions) == std::vector{DiagnosticCode::StaleMessage});
      CHECK(without_diagnostics(actions).empty());
    }
    CHECK(call.me.snapshot() == before);
  }

  TEST_CASE("malformed frames and unknown types give a diagnostic and nothing else") {
    InCallWithAlice call;
    auto before = call.me.snapshot();
    const std::vector<std::pair<std::string, DiagnosticCode>> frames{
        {"not json", DiagnosticCode::MalformedFrame},
        {"[1,2]", DiagnosticCode::MalformedFrame},
        {R"({"no":"type"})", DiagnosticCode::MalformedFrame},
        {R"({"type":"joined","roomId":"123"})", DiagnosticCode::MalformedFrame},
        {R"({"type":"joined","roomId":"123","connectionId":"x=","participants":{}})",
         DiagnosticCode::MalformedFrame},
        {R"({"type":"joined","roomId":"123","connectionId":"x=","participants":[{"peerId":"p"}]})",
         DiagnosticCode::MalformedFrame},
        {R"({"type":"newParticipant","participantConnectionId":"x=","peerId":7})",
         DiagnosticCode::MalformedFrame},
        {R"({"type":"participantResumed","participantConnectionId":"x=","peerId":"p"})",
         DiagnosticCode::MalformedFrame},
        {R"({"type":"offer","offer":{"sdp":1},"from":"x="})", DiagnosticCode::MalformedFrame},
        {R"({"type":"answer","answer":{"sdp":"v=0"},"from":"aliceConnId=","toSession":5})",
         DiagnosticCode::MalformedFrame},
        {R"({"type":"candidate","from":"aliceConnId="})", DiagnosticCode::MalformedFrame},
        {R"({"type":"error","code":"X"})", DiagnosticCode::MalformedFrame},
        {R"({"type":"bye","from":"aliceConnId="})", DiagnosticCode::UnknownMessageType},
    };
    for (const auto& frame : frames) {
      CAPTURE(frame.first);
      auto actions = call.me.server_frame(frame.first);
      REQUIRE(actions.size() == 1);
      CHECK(diagnostic_codes(actions) == std::vector{frame.second});
    }
    CHECK(call.me.snapshot() == before);
  }
}

TEST_SUITE("call machine: sessions") {
  TEST_CASE(
      "an offer from a new session of a known peer replaces our connection, without our offer") {
    InCallWithAlice call;
    Actions actions =
        call.me.server_frame(delivered(offer_message("v=0 fresh"), kAlice, kPeerA, "alice-s2"));
    CHECK(actions == Actions{ClosePeer{kPeer1}, CreatePeer{kPeer2},
                             ApplyRemoteDescription{kPeer2, SdpType::Offer, "v=0 fresh"}});
    CHECK(peer_keys(call.me) == std::vector{kPeer2});
    call.me.remote_description_applied(kPeer2);
    Relayed answer = only_relayed(call.me.local_description(kPeer2, SdpType::Answer, kAnswerSdp));
    CHECK(answer.to == kAlice.value);
    CHECK(answer.message["toSession"] == "alice-s2");
    CHECK(text_field(answer.message, "session") != call.session);
  }

  TEST_CASE("an answer from a new session of a known peer starts over with a new offer") {
    CallMachine me = joining(kPeerC);
    me.server_frame(joined_frame(kOwn, kPeerC, {participant(kAlice, kPeerA)}));
    const std::string ours = complete_our_offer(me, kPeer1, kAlice, kPeerA, "alice-s1");
    me.renegotiate();
    only_relayed(me.local_description(kPeer1, SdpType::Offer, "v=0 restart"));

    Actions actions =
        me.server_frame(delivered(answer_message(kAnswerSdp), kAlice, kPeerA, "alice-s2", ours));
    CHECK(actions == Actions{ClosePeer{kPeer1}, CreatePeer{kPeer2}, CreateOffer{kPeer2, false}});
    Relayed offer = only_relayed(me.local_description(kPeer2, SdpType::Offer, kOfferSdp));
    CHECK(text_field(offer.message, "session") != ours);
    CHECK_FALSE(offer.message.contains("toSession"));
  }

  TEST_CASE("a peer whose browser refuses a description starts over on a new connection") {
    InCallWithAlice call;
    Actions actions = call.me.negotiation_failed(kPeer1, "InvalidAccessError");
    CHECK(diagnostic_codes(actions) == std::vector{DiagnosticCode::NegotiationFailed});
    CHECK(without_diagnostics(actions) == Actions{ClosePeer{kPeer1}, CreatePeer{kPeer2},
                                                  CreateOffer{kPeer2, false},
                                                  limits_for(kPeer2, 1)});
    CHECK(peer_keys(call.me) == std::vector{kPeer2});
    // The new offer names a new session, so that Alice replaces her connection too.
    Relayed offer = only_relayed(call.me.local_description(kPeer2, SdpType::Offer, kOfferSdp));
    CHECK(offer.to == kAlice.value);
    CHECK(text_field(offer.message, "session") != call.session);
  }

  TEST_CASE("a polite peer whose browser refuses a description offers too") {
    CallMachine me = joining(kPeerC);
    me.server_frame(joined_frame(kOwn, kPeerC, {participant(kDave, kPeerD)}));
    me.server_frame(delivered(offer_message(kOfferSdp), kDave, kPeerD, "dave-s1"));
    Actions actions = me.negotiation_failed(kPeer1, "OperationError");
    CHECK(all_of<CreateOffer>(actions) == std::vector{CreateOffer{kPeer2, false}});
    CHECK(peer_of(me, kPeer2).phase == NegotiationPhase::CreatingOffer);
  }
}

TEST_SUITE("call machine: resume after a signaling outage") {
  TEST_CASE("joinRoom after an outage carries our peerId, name and the last resume token") {
    CallMachine me(kPeerC);
    me.signaling_up();
    me.join(kRoom, "Carol");
    me.server_frame(joined_frame(kOwn, kPeerC, {}, "token-1"));
    CHECK(me.signaling_down().empty());
    CHECK(me.snapshot().own_connection_id == std::nullopt);
    CHECK(only_frame_sent(me.signaling_up()) == json{{"action", "joinRoom"},
                                                     {"roomId", "123"},
                                                     {"peerId", kPeerC},
                                                     {"name", "Carol"},
                                                     {"resumeToken", "token-1"}});
  }

  TEST_CASE("a joined listing the same members keeps their connections and their new ids") {
    InCallWithAliceAndDave call;
    call.me.signaling_down();
    call.me.signaling_up();
    Actions actions = call.me.server_frame(joined_frame(
        kOwnAgain, kPeerC,
        {participant(kAliceAgain, kPeerA, "Alice"), participant(kDaveAgain, kPeerD, "Dave")}));
    CHECK(all_of<ClosePeer>(actions).empty());
    CHECK(all_of<CreatePeer>(actions).empty());
    CHECK(all_of<CreateOffer>(actions).empty());
    auto peers = call.me.snapshot().peers;
    REQUIRE(peers.size() == 2);
    CHECK(peers[0].key == kPeer1);
    CHECK(peers[0].connection_id == kAliceAgain);
    CHECK(peers[0].state == ConnectionState::Connected);
    CHECK(peers[1].key == kPeer2);
    CHECK(peers[1].connection_id == kDaveAgain);

    Relayed to_alice = only_relayed(call.me.local_candidate(kPeer1, candidate_json(1).dump()));
    CHECK(to_alice.to == kAliceAgain.value);
    CHECK(to_alice.message["session"] == call.session_for_alice);
    CHECK(to_alice.message["toSession"] == "alice-s1");
    CHECK(only_relayed(call.me.local_candidate(kPeer2, candidate_json(2).dump())).to ==
          kDaveAgain.value);
  }

  TEST_CASE("a joined after an outage restarts an exchange that was under way, keeping the peer") {
    CallMachine me = joining(kPeerC);
    me.server_frame(joined_frame(kOwn, kPeerC, {participant(kAlice, kPeerA, "Alice")}));
    only_relayed(me.local_description(kPeer1, SdpType::Offer, kOfferSdp));  // no answer yet
    me.signaling_down();
    me.signaling_up();
    Actions actions = me.server_frame(
        joined_frame(kOwnAgain, kPeerC, {participant(kAliceAgain, kPeerA, "Alice")}));
    CHECK(without_diagnostics(actions) == Actions{ClosePeer{kPeer1}, CreatePeer{kPeer2},
                                                  CreateOffer{kPeer2, false},
                                                  limits_for(kPeer2, 1)});
    REQUIRE(peer_keys(me) == std::vector{kPeer2});
    CHECK(peer_of(me, kPeer2).connection_id == kAliceAgain);
    CHECK(only_relayed(me.local_description(kPeer2, SdpType::Offer, kOfferSdp)).to ==
          kAliceAgain.value);
  }

  TEST_CASE("a joined without a member we had keeps its connection if media flows, as lost") {
    InCallWithAliceAndDave call;
    call.me.signaling_down();
    call.me.signaling_up();
    Actions actions =
        call.me.server_frame(joined_frame(kOwnAgain, kPeerC, {participant(kDaveAgain, kPeerD)}));
    CHECK(all_of<ClosePeer>(actions).empty());
    CHECK(peer_of(call.me, kPeer1).state == ConnectionState::SignalingLost);
    CHECK(peer_of(call.me, kPeer2).state == ConnectionState::Connected);
  }

  TEST_CASE("participantResumed moves the peer to the member's new connection, same tile") {
    InCallWithAliceAndDave call;
    Actions actions = call.me.server_frame(participant_resumed_frame(kAlice, kAliceAgain, kPeerA));
    CHECK(all_of<CreatePeer>(actions).empty());
    CHECK(all_of<ClosePeer>(actions).empty());
    CHECK(peer_keys(call.me) == std::vector{kPeer1, kPeer2});
    CHECK(peer_of(call.me, kPeer1).connection_id == kAliceAgain);
    CHECK(peer_of(call.me, kPeer1).name == "Alice");
    CHECK(only_relayed(call.me.local_candidate(kPeer1, candidate_json(1).dump())).to ==
          kAliceAgain.value);
  }

  TEST_CASE("a newParticipant with a peerId we know restores its peer instead of adding one") {
    InCallWithAliceAndDave call;
    call.me.server_frame(participant_left_frame(kDave, "disconnected"));
    REQUIRE(peer_of(call.me, kPeer2).state == ConnectionState::SignalingLost);
    Actions actions = call.me.server_frame(new_participant_frame(kDaveAgain, kPeerD, "Dave"));
    CHECK(all_of<CreatePeer>(actions).empty());
    CHECK(all_of<ClosePeer>(actions).empty());
    CHECK(peer_keys(call.me) == std::vector{kPeer1, kPeer2});
    CHECK(peer_of(call.me, kPeer2).connection_id == kDaveAgain);
    CHECK(peer_of(call.me, kPeer2).state == ConnectionState::Connected);
  }

  TEST_CASE("participantUpdated renames the member's peer and touches nothing else") {
    InCallWithAliceAndDave call;
    json frame{{"type", "participantUpdated"},
               {"participantConnectionId", kDave.value},
               {"peerId", kPeerD},
               {"name", "David"}};
    CHECK(call.me.server_frame(frame.dump()).empty());
    CHECK(peer_of(call.me, kPeer2).name == "David");
    CHECK(peer_of(call.me, kPeer2).state == ConnectionState::Connected);
    // Someone the call does not have: said in a diagnostic, nothing made.
    frame["participantConnectionId"] = "nobody=";
    frame["peerId"] = std::string(32, 'e');
    Actions unknown = call.me.server_frame(frame.dump());
    CHECK(all_of<CreatePeer>(unknown).empty());
    REQUIRE(all_of<Diagnostic>(unknown).size() == 1);
    CHECK(all_of<Diagnostic>(unknown)[0].code == DiagnosticCode::UnknownPeer);
  }

  TEST_CASE("joining the same room with a new name sends joinRoom again and keeps every peer") {
    InCallWithAliceAndDave call;
    Actions actions = call.me.join(kRoom, "New name");
    REQUIRE(actions.size() == 1);
    json sent = json::parse(std::get<SendToServer>(actions[0]).text);
    CHECK(sent["action"] == "joinRoom");
    CHECK(sent["name"] == "New name");
    CHECK(peer_keys(call.me) == std::vector{kPeer1, kPeer2});
  }

  TEST_CASE("a member who disconnects keeps a connected peer, shown as signaling lost") {
    InCallWithAliceAndDave call;
    CHECK(call.me.server_frame(participant_left_frame(kAlice, "disconnected")).empty());
    CHECK(peer_of(call.me, kPeer1).state == ConnectionState::SignalingLost);
    CHECK(to_string(peer_of(call.me, kPeer1).state) == "signaling lost");
    // Nothing more can be sent to it...
    CHECK(call.me.local_candidate(kPeer1, candidate_json(1).dump()).empty());
    // ... and once its media fails too, it is gone.
    CHECK(call.me.peer_connection_state(kPeer1, PeerConnectionState::Failed) ==
          Actions{ClosePeer{kPeer1}, limits_for(kPeer2, 1)});
  }

  TEST_CASE("a member who disconnects mid-negotiation is closed at once") {
    CallMachine me = joining(kPeerC);
    me.server_frame(
        joined_frame(kOwn, kPeerC, {participant(kAlice, kPeerA), participant(kDave, kPeerD)}));
    me.local_description(kPeer1, SdpType::Offer, kOfferSdp);
    CHECK(me.server_frame(participant_left_frame(kAlice, "disconnected")) ==
          Actions{ClosePeer{kPeer1}, limits_for(kPeer2, 1)});
    CHECK(peer_keys(me) == std::vector{kPeer2});
  }

  TEST_CASE("PEER_ID_IN_USE drops the resume token and joins again a little later") {
    CallMachine me(kPeerC);
    me.tick(1000);
    me.signaling_up();
    me.join(kRoom, "Carol");
    me.server_frame(joined_frame(kOwn, kPeerC, {}, "token-1"));
    me.signaling_down();
    CHECK(only_frame_sent(me.signaling_up()).value("resumeToken", "") == "token-1");
    // Our old connection still holds our place and the token was refused: no dialog, a retry.
    CHECK(diagnostic_codes(me.server_frame(error_frame("PEER_ID_IN_USE", "peer id in use"))) ==
          std::vector{DiagnosticCode::NotInRoom});
    CHECK(me.tick(1000 + CallMachine::kRejoinDelayMs - 1).empty());
    const json retry =
        json{{"action", "joinRoom"}, {"roomId", "123"}, {"peerId", kPeerC}, {"name", "Carol"}};
    CHECK(only_frame_sent(me.tick(1000 + CallMachine::kRejoinDelayMs)) == retry);
    CHECK(me.tick(1000 + 3 * CallMachine::kRejoinDelayMs).empty());  // once per refusal
  }

  TEST_CASE("UNKNOWN_RECIPIENT (a signal that crossed a leave) is no error for the person") {
    InCallWithAlice call;
    CHECK(diagnostic_codes(call.me.server_frame(error_frame("UNKNOWN_RECIPIENT", "gone"))) ==
          std::vector{DiagnosticCode::RecipientGone});
  }

  TEST_CASE("NOT_IN_ROOM after joined means the server forgot us: join again, once") {
    InCallWithAlice call;
    Actions actions = call.me.server_frame(error_frame("NOT_IN_ROOM", "you are not in room"));
    CHECK(only_frame_sent(actions)["action"] == "joinRoom");
    CHECK(all_of<SendToServer>(call.me.server_frame(error_frame("NOT_IN_ROOM", "again"))).empty());
  }
}

TEST_SUITE("call machine: ICE restart") {
  TEST_CASE("a failed connection gets an ICE restart while signaling works") {
    InCallWithAlice call;
    CHECK(call.me.peer_connection_state(kPeer1, PeerConnectionState::Failed) ==
          Actions{CreateOffer{kPeer1, true}});
    CHECK(peer_of(call.me, kPeer1).state == ConnectionState::Failed);
    Relayed offer =
        only_relayed(call.me.local_description(kPeer1, SdpType::Offer, "v=0 ice restart"));
    CHECK(offer.to == kAlice.value);
    CHECK(offer.message["toSession"] == "alice-s1");
    CHECK(offer.message["session"] == call.session);
  }

  TEST_CASE("a connection disconnected for kDisconnectedRestartMs gets an ICE restart") {
    InCallWithAlice call;
    const double t0 = 100'000;
    CHECK(call.me.tick(t0).empty());
    CHECK(call.me.peer_connection_state(kPeer1, PeerConnectionState::Disconnected).empty());
    CHECK(peer_of(call.me, kPeer1).state == ConnectionState::Reconnecting);
    CHECK(call.me.tick(t0 + CallMachine::kDisconnectedRestartMs - 1).empty());
    CHECK(call.me.tick(t0 + CallMachine::kDisconnectedRestartMs) ==
          Actions{CreateOffer{kPeer1, true}});
  }

  TEST_CASE("a connection that recovers by itself gets no ICE restart") {
    InCallWithAlice call;
    call.me.tick(100'000);
    call.me.peer_connection_state(kPeer1, PeerConnectionState::Disconnected);
    call.me.tick(101'000);
    call.me.peer_connection_state(kPeer1, PeerConnectionState::Connected);
    CHECK(call.me.tick(100'000 + 10 * CallMachine::kDisconnectedRestartMs).empty());
  }

  TEST_CASE("ICE restarts of one peer are kRestartIntervalMs apart, then back off") {
    InCallWithAlice call;
    const double t0 = 100'000;
    call.me.tick(t0);
    REQUIRE(call.me.peer_connection_state(kPeer1, PeerConnectionState::Failed) ==
            Actions{CreateOffer{kPeer1, true}});
    // The restart's exchange completes, but the connection stays failed.
    auto offer = only_relayed(call.me.local_description(kPeer1, SdpType::Offer, "v=0 r1"));
    call.me.server_frame(delivered(answer_message("v=0 a1"), kAlice, kPeerA, "alice-s1",
                                   text_field(offer.message, "session")));
    call.me.remote_description_applied(kPeer1);
    CHECK(call.me.peer_connection_state(kPeer1, PeerConnectionState::Failed).empty());
    // The second restart waits twice the interval: a pair that cannot connect is not hammered.
    CHECK(call.me.tick(t0 + 2 * CallMachine::kRestartIntervalMs - 1).empty());
    CHECK(call.me.tick(t0 + 2 * CallMachine::kRestartIntervalMs) ==
          Actions{CreateOffer{kPeer1, true}});
  }

  TEST_CASE("the polite side leaves a failed connection's ICE restart to the other side a while") {
    // We are polite to Dave: both sides see the failure, and his restart is the one to take.
    InCallWithAliceAndDave call;
    const double t0 = 100'000;
    call.me.tick(t0);
    CHECK(call.me.peer_connection_state(kPeer2, PeerConnectionState::Failed).empty());
    CHECK(call.me.tick(t0 + CallMachine::kPoliteRestartDelayMs - 1).empty());
    // None came: we restart after all.
    CHECK(call.me.tick(t0 + CallMachine::kPoliteRestartDelayMs) ==
          Actions{CreateOffer{kPeer2, true}});
  }

  TEST_CASE("the polite side answers the other side's ICE restart instead of crossing it") {
    InCallWithAliceAndDave call;
    const double t0 = 100'000;
    call.me.tick(t0);
    CHECK(call.me.peer_connection_state(kPeer2, PeerConnectionState::Failed).empty());
    call.me.tick(t0 + 1000);
    Actions actions = call.me.server_frame(delivered(offer_message("v=0 dave restart"), kDave,
                                                     kPeerD, "dave-s1", call.session_for_dave));
    CHECK(actions == Actions{ApplyRemoteDescription{kPeer2, SdpType::Offer, "v=0 dave restart"}});
    call.me.remote_description_applied(kPeer2);
    only_relayed(call.me.local_description(kPeer2, SdpType::Answer, "v=0 our answer"));
    // His restart is still checking candidates: ours would abort it. It counts as the pair's.
    CHECK(call.me.tick(t0 + CallMachine::kPoliteRestartDelayMs).empty());
    CHECK(call.me.tick(t0 + 1000 + CallMachine::kRestartIntervalMs).empty());
    call.me.peer_connection_state(kPeer2, PeerConnectionState::Connected);
    CHECK(call.me.tick(t0 + 100 * CallMachine::kPoliteRestartDelayMs).empty());
  }

  TEST_CASE("back from a signaling outage, the polite side still leaves the restart to the other") {
    InCallWithAliceAndDave call;
    const double t0 = 100'000;
    call.me.tick(t0);
    call.me.signaling_down();
    call.me.peer_connection_state(kPeer2, PeerConnectionState::Failed);
    const double back = t0 + 60'000;
    call.me.tick(back);
    call.me.signaling_up();
    Actions actions = call.me.server_frame(joined_frame(
        kOwnAgain, kPeerC,
        {participant(kAliceAgain, kPeerA, "Alice"), participant(kDaveAgain, kPeerD, "Dave")}));
    CHECK(all_of<CreateOffer>(actions).empty());
    CHECK(call.me.tick(back + CallMachine::kPoliteRestartDelayMs - 1).empty());
    CHECK(call.me.tick(back + CallMachine::kPoliteRestartDelayMs) ==
          Actions{CreateOffer{kPeer2, true}});
  }

  TEST_CASE("the polite side restarts a disconnected connection after the usual wait and its own") {
    InCallWithAliceAndDave call;
    const double t0 = 100'000;
    call.me.tick(t0);
    call.me.peer_connection_state(kPeer2, PeerConnectionState::Disconnected);
    const double due =
        t0 + CallMachine::kDisconnectedRestartMs + CallMachine::kPoliteRestartDelayMs;
    CHECK(call.me.tick(due - 1).empty());
    CHECK(call.me.tick(due) == Actions{CreateOffer{kPeer2, true}});
  }

  TEST_CASE("no ICE restart while signaling is down; one when it is back") {
    InCallWithAlice call;
    call.me.tick(100'000);
    call.me.signaling_down();
    CHECK(call.me.peer_connection_state(kPeer1, PeerConnectionState::Failed).empty());
    CHECK(call.me.tick(100'000 + 10 * CallMachine::kRestartIntervalMs).empty());
    call.me.signaling_up();
    CHECK(call.me.tick(100'000 + 20 * CallMachine::kRestartIntervalMs).empty());  // no joined yet
    Actions actions = call.me.server_frame(
        joined_frame(kOwnAgain, kPeerC, {participant(kAliceAgain, kPeerA, "Alice")}));
    CHECK(all_of<CreateOffer>(actions) == std::vector{CreateOffer{kPeer1, true}});
    CHECK(only_relayed(call.me.local_description(kPeer1, SdpType::Offer, "v=0 r")).to ==
          kAliceAgain.value);
  }
}

TEST_SUITE("call machine: members of the tutorial's format") {
  TEST_CASE("we offer to a tutorial-format newcomer, and take its answer") {
    CallMachine me = joining(kPeerC);
    me.server_frame(joined_frame(kOwn, kPeerC, {}));
    CHECK(me.server_frame(new_participant_frame(kBob)) ==
          Actions{CreatePeer{kPeer1}, CreateOffer{kPeer1, false}, limits_for(kPeer1, 1)});
    CHECK(peer_of(me, kPeer1).peer_id == std::nullopt);
    CHECK(only_relayed(me.local_description(kPeer1, SdpType::Offer, kOfferSdp)).to == kBob.value);
    // Our server splices "from" (and no "fromPeer"); the tutorial's client sends no session.
    CHECK(me.server_frame(delivered(answer_message(kAnswerSdp), kBob, std::nullopt)) ==
          Actions{ApplyRemoteDescription{kPeer1, SdpType::Answer, kAnswerSdp}});
  }

  TEST_CASE("joining a tutorial-format member, we wait for its offer and answer it") {
    CallMachine me = joining(kPeerC);
    CHECK(me.server_frame(joined_frame(kOwn, kPeerC, {participant(kBob)})) ==
          Actions{CreatePeer{kPeer1}, limits_for(kPeer1, 1)});
    CHECK(peer_of(me, kPeer1).phase == NegotiationPhase::AwaitingOffer);
    CHECK(me.server_frame(delivered(offer_message(kOfferSdp), kBob, std::nullopt)) ==
          Actions{ApplyRemoteDescription{kPeer1, SdpType::Offer, kOfferSdp}});
    CHECK(me.remote_description_applied(kPeer1) == Actions{CreateAnswer{kPeer1}});
    Relayed answer = only_relayed(me.local_description(kPeer1, SdpType::Answer, kAnswerSdp));
    CHECK(answer.to == kBob.value);
    CHECK(answer.message["answer"]["sdp"] == kAnswerSdp);
    CHECK_FALSE(answer.message.contains("toSession"));
  }

  TEST_CASE("a tutorial-format member that failed is not sent an offer it cannot take") {
    CallMachine me = joining(kPeerC);
    me.server_frame(joined_frame(kOwn, kPeerC, {participant(kBob)}));
    me.server_frame(delivered(offer_message(kOfferSdp), kBob, std::nullopt));
    me.remote_description_applied(kPeer1);
    me.local_description(kPeer1, SdpType::Answer, kAnswerSdp);
    REQUIRE(peer_of(me, kPeer1).phase == NegotiationPhase::Stable);
    CHECK(me.peer_connection_state(kPeer1, PeerConnectionState::Failed).empty());
  }

  TEST_CASE("a message without \"from\" goes to the lone peer") {
    CallMachine me = joining(kPeerC);
    me.server_frame(joined_frame(kOwn, kPeerC, {participant(kBob)}));
    CHECK(me.server_frame(offer_message(kOfferSdp).dump()) ==
          Actions{ApplyRemoteDescription{kPeer1, SdpType::Offer, kOfferSdp}});
  }

  TEST_CASE("a message without \"from\" among several peers is ambiguous and ignored") {
    InCallWithAliceAndDave call;
    auto before = call.me.snapshot();
    for (const json& message : {offer_message("v=0 x"), answer_message(kAnswerSdp),
                                candidate_message(candidate_json(1))}) {
      CHECK(diagnostic_codes(call.me.server_frame(message.dump())) ==
            std::vector{DiagnosticCode::AmbiguousSender});
    }
    CHECK(call.me.snapshot() == before);
  }
}

// --- Several machines against each other --------------------------------------------------------

namespace {

// A signaling server and the members' browsers in miniature. The server does what protocol v2
// says for joinRoom, sendMsgToRoom (with "from"/"fromPeer" spliced) and leaveRoom; each browser
// carries out CreateOffer, ApplyRemoteDescription and CreateAnswer and reports back. Everything
// happens in one queue of events, in the order it was caused, unless a test picks what comes next.
class MiniRoom {
 public:
  struct Member {
    std::string label;
    std::string peer_id;
    CallMachine machine;
    std::optional<ConnectionId> connection;  // while its WebSocket is open
    int connections_made = 0;
    int descriptions_made = 0;
    Actions log;                         // every action its machine returned
    std::set<std::uint32_t> open_peers;  // RTCPeerConnections its browser holds, by key
    std::map<std::uint32_t, std::string> local_sdp, remote_sdp;
  };

  // A relayed message on the wire, as the server saw it.
  struct Wire {
    std::string from, to, type;
  };

  Member& add(const std::string& label, const std::string& peer_id) {
    return members_.emplace_back(
        Member{label, peer_id, CallMachine(peer_id), {}, 0, 0, {}, {}, {}, {}});
  }

  void connect(Member& m) {
    m.connection = ConnectionId{m.label + "Conn" + std::to_string(++m.connections_made) + "="};
    handle(m, m.machine.signaling_up());
  }

  void join(Member& m) { handle(m, m.machine.join(kRoom, m.label)); }

  // The member's WebSocket drops: frames in flight to it are lost, the others hear it left.
  void drop_signaling(Member& m) {
    handle(m, m.machine.signaling_down());
    const ConnectionId gone = *m.connection;
    m.connection.reset();
    std::erase(room_, &m);
    for (Member* other : room_) {
      queue_frame(*other, json{{"type", "participantLeft"},
                               {"participantConnectionId", gone.value},
                               {"reason", "disconnected"}});
    }
  }

  void renegotiate(Member& m) { handle(m, m.machine.renegotiate()); }

  // Runs the next event, or returns false when there is none.
  bool step() {
    if (events_.empty()) return false;
    Event event = std::move(events_.front());
    events_.pop_front();
    run(event);
    return true;
  }

  void settle() {
    for (int i = 0; i < 10'000; ++i) {
      if (!step()) return;
    }
    FAIL("the members never stop talking");
  }

  // Runs the first waiting event of `m` of the given kind: a browser task, or a frame to it.
  void step_browser(Member& m) { run_first(m, /*browser=*/true); }
  void step_delivery(Member& m) { run_first(m, /*browser=*/false); }

  const std::vector<Wire>& wire() const { return wire_; }

 private:
  struct Event {
    Member* member;
    std::optional<Action> browser_task;
    std::optional<ConnectionId> to_connection;  // for a frame
    std::string frame;
  };

  void run_first(Member& m, bool browser) {
    for (auto it = events_.begin(); it != events_.end(); ++it) {
      if (it->member == &m && it->browser_task.has_value() == browser) {
        Event event = std::move(*it);
        events_.erase(it);
        run(event);
        return;
      }
    }
    FAIL(m.label << " has no " << (browser ? "browser task" : "frame") << " waiting");
  }

  void run(const Event& event) {
    Member& m = *event.member;
    if (!event.browser_task) {
      if (m.connection == event.to_connection) handle(m, m.machine.server_frame(event.frame));
      return;
    }
    std::visit(
        [&](const auto& task) {
          using T = std::decay_t<decltype(task)>;
          if constexpr (std::is_same_v<T, CreateOffer> || std::is_same_v<T, CreateAnswer> ||
                        std::is_same_v<T, ApplyRemoteDescription>) {
            // A closed RTCPeerConnection reports nothing.
            if (!m.open_peers.contains(task.peer.value)) return;
            if constexpr (std::is_same_v<T, ApplyRemoteDescription>) {
              m.remote_sdp[task.peer.value] = task.sdp;
              handle(m, m.machine.remote_description_applied(task.peer));
            } else {
              const bool offer = std::is_same_v<T, CreateOffer>;
              std::string sdp = std::string(offer ? "offer" : "answer") + " by " + m.label + " #" +
                                std::to_string(++m.descriptions_made);
              m.local_sdp[task.peer.value] = sdp;
              handle(m, m.machine.local_description(task.peer,
                                                    offer ? SdpType::Offer : SdpType::Answer, sdp));
            }
          }
        },
        *event.browser_task);
  }

  void handle(Member& m, const Actions& actions) {
    for (const Action& action : actions) {
      m.log.push_back(action);
      if (const auto* send = std::get_if<SendToServer>(&action)) {
        on_client_frame(m, json::parse(send->text));
      } else if (const auto* create = std::get_if<CreatePeer>(&action)) {
        m.open_peers.insert(create->peer.value);
      } else if (const auto* close = std::get_if<ClosePeer>(&action)) {
        m.open_peers.erase(close->peer.value);
      } else if (std::holds_alternative<CreateOffer>(action) ||
                 std::holds_alternative<CreateAnswer>(action) ||
                 std::holds_alternative<ApplyRemoteDescription>(action)) {
        events_.push_back({&m, action, std::nullopt, {}});
      }
    }
  }

  void on_client_frame(Member& m, const json& frame) {
    REQUIRE_MESSAGE(m.connection.has_value(), m.label << " sent while offline: " << frame.dump());
    const std::string action = frame.at("action");
    if (action == "joinRoom") {
      json participants = json::array();
      for (Member* other : room_) {
        if (other != &m) participants.push_back(participant(*other->connection, other->peer_id));
      }
      if (std::find(room_.begin(), room_.end(), &m) == room_.end()) room_.push_back(&m);
      queue_frame(m, json{{"type", "joined"},
                          {"roomId", kRoom.value},
                          {"connectionId", m.connection->value},
                          {"capacity", 6},
                          {"peerId", m.peer_id},
                          {"resumeToken", "token-" + m.peer_id},
                          {"participants", participants}});
      for (Member* other : room_) {
        if (other != &m) {
          queue_frame(*other, json{{"type", "newParticipant"},
                                   {"participantConnectionId", m.connection->value},
                                   {"peerId", m.peer_id}});
        }
      }
    } else if (action == "sendMsgToRoom") {
      json message = json::parse(frame.at("message").get<std::string>());
      message["from"] = m.connection->value;
      message["fromPeer"] = m.peer_id;
      for (Member* other : room_) {
        if (other == &m) continue;
        if (frame.contains("to") && frame["to"] != other->connection->value) continue;
        wire_.push_back({m.label, other->label, message.value("type", "")});
        queue_frame(*other, message);
      }
    }
  }

  void queue_frame(Member& to, const json& frame) {
    events_.push_back({&to, std::nullopt, to.connection, frame.dump()});
  }

  std::deque<Member> members_;
  std::vector<Member*> room_;  // in join order
  std::deque<Event> events_;
  std::vector<Wire> wire_;
};

using Member = MiniRoom::Member;

// Each member in the room holds exactly one peer for each other member, stable, and the two ends
// hold each other's descriptions: they negotiated with each other, not past each other.
void check_one_stable_pair_each(const std::vector<Member*>& members) {
  for (Member* m : members) {
    CAPTURE(m->label);
    auto peers = m->machine.snapshot().peers;
    CHECK(peers.size() == members.size() - 1);
    CHECK(m->open_peers.size() == members.size() - 1);
    for (Member* other : members) {
      if (other == m) continue;
      CAPTURE(other->label);
      std::vector<PeerSnapshot> toward;
      for (const PeerSnapshot& peer : peers) {
        if (peer.peer_id == other->peer_id) toward.push_back(peer);
      }
      REQUIRE(toward.size() == 1);
      const PeerSnapshot& mine = toward.front();
      CHECK(mine.connection_id == other->connection);
      CHECK(mine.phase == NegotiationPhase::Stable);
      CHECK(mine.polite == (m->peer_id < other->peer_id));
      std::optional<PeerSnapshot> theirs;
      for (const PeerSnapshot& peer : other->machine.snapshot().peers) {
        if (peer.peer_id == m->peer_id) theirs = peer;
      }
      REQUIRE(theirs.has_value());
      CHECK(m->remote_sdp[mine.key.value] == other->local_sdp[theirs->key.value]);
      CHECK(m->local_sdp[mine.key.value] == other->remote_sdp[theirs->key.value]);
    }
  }
}

int count_diagnostics(const Member& m, DiagnosticCode code) {
  int count = 0;
  for (DiagnosticCode c : diagnostic_codes(m.log)) count += c == code;
  return count;
}

int offers_on_wire(const MiniRoom& room, const Member& from) {
  int count = 0;
  for (const auto& sent : room.wire()) count += sent.from == from.label && sent.type == "offer";
  return count;
}

// Two members in room 123, negotiated with each other.
struct TwoInCall {
  MiniRoom room;
  Member& first;
  Member& second;
  TwoInCall(const std::string& first_peer_id, const std::string& second_peer_id)
      : first(room.add("alice", first_peer_id)), second(room.add("bob", second_peer_id)) {
    room.connect(first);
    room.join(first);
    room.settle();
    room.connect(second);
    room.join(second);
    room.settle();
    check_one_stable_pair_each({&first, &second});
  }
  Member& polite() { return first.peer_id < second.peer_id ? first : second; }
  Member& impolite() { return first.peer_id < second.peer_id ? second : first; }
};

}  // namespace

TEST_SUITE("call machine: members negotiating with each other") {
  TEST_CASE("four members joining one by one end with one stable peer per pair") {
    MiniRoom room;
    // Join order differs from peerId order, so that both newcomers and members offer.
    std::vector<Member*> members{&room.add("carol", kPeerC), &room.add("alice", kPeerA),
                                 &room.add("dave", kPeerD), &room.add("bob", kPeerB)};
    for (Member* m : members) {
      room.connect(*m);
      room.join(*m);
      room.settle();
    }
    check_one_stable_pair_each(members);
    // Offers go one way only, from the greater peerId, one per pair.
    for (const auto& sent : room.wire()) {
      if (sent.type != "offer") continue;
      CAPTURE(sent.from);
      CAPTURE(sent.to);
      CHECK(sent.from > sent.to);  // labels sort as their peerIds do
    }
    CHECK(offers_on_wire(room, *members[0]) == 2);  // carol -> alice, bob
    CHECK(offers_on_wire(room, *members[1]) == 0);  // alice offers to nobody
    CHECK(offers_on_wire(room, *members[2]) == 3);  // dave -> everyone
    CHECK(offers_on_wire(room, *members[3]) == 1);  // bob -> alice
    for (Member* m : members) {
      CAPTURE(m->label);
      CHECK(all_of<ClosePeer>(m->log).empty());
      CHECK(count_diagnostics(*m, DiagnosticCode::GlareIgnored) == 0);
      // The last limits each peer got are those for three peers.
      std::map<std::uint32_t, SetSendLimits> last;
      for (const SetSendLimits& limits : all_of<SetSendLimits>(m->log)) {
        last[limits.peer.value] = limits;
      }
      REQUIRE(last.size() == 3);
      for (const auto& [key, limits] : last) CHECK(limits == limits_for(PeerKey{key}, 3));
    }
  }

  TEST_CASE("glare: renegotiations that cross on the wire; the impolite offer stands") {
    for (const auto& ids : {std::pair{kPeerA, kPeerB}, std::pair{kPeerB, kPeerA}}) {
      CAPTURE(ids.first);
      TwoInCall call(ids.first, ids.second);
      Member& impolite = call.impolite();
      Member& polite = call.polite();
      const std::size_t impolite_log = impolite.log.size();
      const std::size_t polite_log = polite.log.size();

      call.room.renegotiate(call.first);
      call.room.renegotiate(call.second);
      // Both browsers make their offers before either arrives.
      call.room.step_browser(call.first);
      call.room.step_browser(call.second);
      call.room.settle();

      check_one_stable_pair_each({&call.first, &call.second});
      CHECK(count_diagnostics(impolite, DiagnosticCode::GlareIgnored) == 1);
      CHECK(count_diagnostics(polite, DiagnosticCode::GlareIgnored) == 0);
      // The polite side took the impolite side's offer; the impolite side kept its own.
      CHECK(polite.remote_sdp.begin()->second.starts_with("offer by " + impolite.label));
      CHECK(impolite.local_sdp.begin()->second.starts_with("offer by " + impolite.label));
      for (Member* m : {&impolite, &polite}) {
        Actions since(m->log.begin() + (m == &impolite ? impolite_log : polite_log), m->log.end());
        CHECK(all_of<ClosePeer>(since).empty());
        CHECK(all_of<CreatePeer>(since).empty());
      }
    }
  }

  TEST_CASE("glare: the polite side's offer still being made is rolled back and dropped") {
    for (const auto& ids : {std::pair{kPeerA, kPeerB}, std::pair{kPeerB, kPeerA}}) {
      CAPTURE(ids.first);
      TwoInCall call(ids.first, ids.second);
      Member& impolite = call.impolite();
      Member& polite = call.polite();
      const int polite_offers = offers_on_wire(call.room, polite);

      call.room.renegotiate(call.first);
      call.room.renegotiate(call.second);
      call.room.step_browser(impolite);  // its offer goes out
      call.room.step_delivery(polite);   // and arrives before the polite browser's offer is made
      call.room.settle();                // which the browser then reports, late

      check_one_stable_pair_each({&call.first, &call.second});
      CHECK(count_diagnostics(polite, DiagnosticCode::StaleLocalDescription) == 1);
      CHECK(offers_on_wire(call.room, polite) == polite_offers);  // never sent
      CHECK(count_diagnostics(impolite, DiagnosticCode::GlareIgnored) == 0);
      CHECK(polite.remote_sdp.begin()->second.starts_with("offer by " + impolite.label));
    }
  }

  TEST_CASE("glare: fresh offers cross when two members meet again; one connection results") {
    // The impolite member's signaling drops while its first offer is being made; the other closes
    // the unfinished peer. When it comes back, both have met before and both offer on fresh
    // connections.
    for (const auto& ids : {std::pair{kPeerA, kPeerB}, std::pair{kPeerB, kPeerA}}) {
      CAPTURE(ids.first);
      MiniRoom room;
      Member& alice = room.add("alice", ids.first);
      Member& bob = room.add("bob", ids.second);
      Member& impolite = ids.first > ids.second ? alice : bob;
      Member& polite = ids.first > ids.second ? bob : alice;
      room.connect(alice);
      room.join(alice);
      room.settle();
      room.connect(bob);
      room.join(bob);
      room.step_delivery(bob);    // joined
      room.step_delivery(alice);  // newParticipant
      room.drop_signaling(impolite);
      room.settle();
      REQUIRE(polite.machine.snapshot().peers.empty());
      REQUIRE(impolite.machine.snapshot().peers.size() == 1);
      const int polite_offers = offers_on_wire(room, polite);

      room.connect(impolite);
      room.settle();

      check_one_stable_pair_each({&alice, &bob});
      CHECK(offers_on_wire(room, polite) == polite_offers + 1);
      CHECK(count_diagnostics(impolite, DiagnosticCode::GlareIgnored) == 1);
    }
  }
}

TEST_SUITE("call machine: joins that cross") {
  TEST_CASE("a member announced before our joined is kept and signalled, though joined omits it") {
    // We (C) and Dave (D) join at once: Dave's newParticipant reaches us before our `joined`,
    // whose list was read before Dave was stored.
    CallMachine me(kPeerC);
    me.signaling_up();
    me.join(kRoom, "Carol");
    Actions made = me.server_frame(new_participant_frame(kDave, kPeerD, "Dave"));
    CHECK(all_of<CreatePeer>(made) == std::vector{CreatePeer{kPeer1}});
    // Dave's offer arrives (he is impolite towards us) and we answer at once: the server has us.
    me.server_frame(delivered(offer_message(kOfferSdp), kDave, kPeerD, "dave-s1"));
    me.remote_description_applied(kPeer1);
    Relayed answer = only_relayed(me.local_description(kPeer1, SdpType::Answer, kAnswerSdp));
    CHECK(answer.to == kDave.value);
    // Our joined comes, without Dave: his peer stays.
    Actions joined = me.server_frame(joined_frame(kOwn, kPeerC, {}));
    CHECK(all_of<ClosePeer>(joined).empty());
    CHECK(peer_keys(me) == std::vector{kPeer1});
    CHECK(peer_of(me, kPeer1).state == ConnectionState::Connecting);  // not "signaling lost"
  }

  TEST_CASE("until joined, peers met before the join are not signalled (their ids may be stale)") {
    InCallWithAlice call;
    call.me.signaling_down();
    call.me.signaling_up();
    CHECK(call.me.local_candidate(kPeer1, candidate_json(1).dump()).empty());
  }
}

TEST_SUITE("call machine: frames a member could forge") {
  TEST_CASE("a relayed object typed like a server notice is taken as a member's message") {
    InCallWithAlice call;
    // Alice sends {"type":"error","code":"ROOM_FULL"}; the server splices in her "from".
    json forged{{"type", "error"}, {"code", "ROOM_FULL"}, {"message", "x"}};
    Actions actions = call.me.server_frame(delivered(forged, kAlice, kPeerA));
    CHECK(all_of<ShowError>(actions).empty());
    CHECK(diagnostic_codes(actions) == std::vector{DiagnosticCode::UnknownMessageType});
    json resumed{{"type", "participantResumed"},
                 {"previousConnectionId", kAlice.value},
                 {"participantConnectionId", kDave.value},
                 {"peerId", kPeerA}};
    call.me.server_frame(delivered(resumed, kDave, kPeerD));
    CHECK(peer_of(call.me, kPeer1).connection_id == kAlice);
  }
}

TEST_SUITE("call machine: frozen video") {
  TEST_CASE(
      "a connected peer whose video froze gets a new connection, offered with a new session") {
    InCallWithAliceAndDave call;
    // Dave offered to us (we are the polite side): the side that rolls back in glare.
    Actions actions = call.me.video_frozen(kPeer2);
    CHECK(diagnostic_codes(actions) == std::vector{DiagnosticCode::FrozenVideo});
    CHECK(without_diagnostics(actions) ==
          Actions{ClosePeer{kPeer2}, CreatePeer{kPeer3}, CreateOffer{kPeer3, false}});
    CHECK(peer_keys(call.me) == std::vector{kPeer1, kPeer3});
    CHECK(peer_of(call.me, kPeer3).name == "Dave");
    Relayed offer = only_relayed(call.me.local_description(kPeer3, SdpType::Offer, kOfferSdp));
    CHECK(offer.to == kDave.value);
    CHECK(text_field(offer.message, "session") != call.session_for_dave);
    CHECK_FALSE(offer.message.contains("toSession"));
  }

  TEST_CASE("a picture that freezes again after its repair is replaced again later, then later") {
    InCallWithAliceAndDave call;
    double now = 100'000;
    call.me.tick(now);
    REQUIRE_FALSE(call.me.video_frozen(kPeer2).empty());
    complete_our_offer(call.me, kPeer3, kDave, kPeerD, "dave-s2");
    call.me.peer_connection_state(kPeer3, PeerConnectionState::Connected);
    // Frozen again at once: the new connection is kept for kFrozenRepairIntervalMs.
    call.me.tick(now + CallMachine::kFrozenRepairIntervalMs - 1);
    CHECK(call.me.video_frozen(kPeer3).empty());
    call.me.tick(now + CallMachine::kFrozenRepairIntervalMs);
    Actions second = call.me.video_frozen(kPeer3);
    CHECK(all_of<CreatePeer>(second) == std::vector{CreatePeer{kPeer4}});
    now += CallMachine::kFrozenRepairIntervalMs;
    complete_our_offer(call.me, kPeer4, kDave, kPeerD, "dave-s3");
    call.me.peer_connection_state(kPeer4, PeerConnectionState::Connected);
    // The next one waits twice as long.
    call.me.tick(now + 2 * CallMachine::kFrozenRepairIntervalMs - 1);
    CHECK(call.me.video_frozen(kPeer4).empty());
    call.me.tick(now + 2 * CallMachine::kFrozenRepairIntervalMs);
    CHECK_FALSE(call.me.video_frozen(kPeer4).empty());
  }

  TEST_CASE("the repair backoff holds when the other side replaces the connection for its own") {
    InCallWithAliceAndDave call;
    const double now = 100'000;
    call.me.tick(now);
    REQUIRE_FALSE(call.me.video_frozen(kPeer2).empty());
    complete_our_offer(call.me, kPeer3, kDave, kPeerD, "dave-s2");
    // Dave's picture of us froze too: his repair arrives as an offer from a new session.
    call.me.server_frame(delivered(offer_message("v=0 dave again"), kDave, kPeerD, "dave-s3"));
    REQUIRE(peer_keys(call.me) == std::vector{kPeer1, kPeer4});
    call.me.remote_description_applied(kPeer4);
    only_relayed(call.me.local_description(kPeer4, SdpType::Answer, kAnswerSdp));
    call.me.peer_connection_state(kPeer4, PeerConnectionState::Connected);
    call.me.tick(now + 5000);
    CHECK(call.me.video_frozen(kPeer4).empty());
    CHECK(peer_keys(call.me) == std::vector{kPeer1, kPeer4});
  }

  TEST_CASE("a frozen video on a connection that is not up, or mid-negotiation, is left alone") {
    InCallWithAliceAndDave call;
    call.me.peer_connection_state(kPeer1, PeerConnectionState::Disconnected);
    CHECK(call.me.video_frozen(kPeer1).empty());
    call.me.renegotiate();
    CHECK(peer_of(call.me, kPeer2).phase == NegotiationPhase::CreatingOffer);
    CHECK(call.me.video_frozen(kPeer2).empty());
    CHECK(peer_keys(call.me) == std::vector{kPeer1, kPeer2});
  }

  TEST_CASE(
      "while signaling is down a frozen video is left alone: no one could hear of a new one") {
    InCallWithAlice call;
    call.me.signaling_down();
    CHECK(call.me.video_frozen(kPeer1).empty());
    CHECK(peer_keys(call.me) == std::vector{kPeer1});
  }

  TEST_CASE("a frozen video reported for a peer that is gone gives a diagnostic only") {
    InCallWithAlice call;
    CHECK(diagnostic_codes(call.me.video_frozen(PeerKey{42})) ==
          std::vector{DiagnosticCode::UnknownPeer});
  }
}

TEST_SUITE("call machine: an exchange that never ends") {
  TEST_CASE("an offer nobody answers is made again on a new connection after the timeout") {
    CallMachine me = joining(kPeerC);
    me.tick(1000);
    // We are impolite to Alice: we offer, and her answer never comes.
    me.server_frame(joined_frame(kOwn, kPeerC, {participant(kAlice, kPeerA, "Alice")}));
    const auto first = only_relayed(me.local_description(kPeer1, SdpType::Offer, kOfferSdp));
    REQUIRE(peer_of(me, kPeer1).phase == NegotiationPhase::AwaitingAnswer);
    CHECK(me.tick(1000 + CallMachine::kNegotiationTimeoutMs - 1).empty());
    Actions actions = me.tick(1000 + CallMachine::kNegotiationTimeoutMs);
    CHECK(diagnostic_codes(actions) == std::vector{DiagnosticCode::NegotiationStalled});
    CHECK(all_of<ClosePeer>(actions) == std::vector{ClosePeer{kPeer1}});
    CHECK(all_of<CreatePeer>(actions) == std::vector{CreatePeer{kPeer2}});
    CHECK(all_of<CreateOffer>(actions) == std::vector{CreateOffer{kPeer2, false}});
    // The new offer carries a new session, which tells Alice to replace her side too.
    const auto second = only_relayed(me.local_description(kPeer2, SdpType::Offer, kOfferSdp));
    CHECK(second.to == kAlice.value);
    CHECK(text_field(second.message, "session") != text_field(first.message, "session"));
  }

  TEST_CASE("each stall in a row waits twice as long: a slow answer gets there in the end") {
    CallMachine me = joining(kPeerC);
    me.tick(1000);
    me.server_frame(joined_frame(kOwn, kPeerC, {participant(kAlice, kPeerA, "Alice")}));
    me.local_description(kPeer1, SdpType::Offer, kOfferSdp);
    double now = 1000 + CallMachine::kNegotiationTimeoutMs;
    REQUIRE(all_of<CreateOffer>(me.tick(now)) == std::vector{CreateOffer{kPeer2, false}});
    me.local_description(kPeer2, SdpType::Offer, kOfferSdp);
    // The second exchange gets twice as long before it is replaced.
    CHECK(me.tick(now + 2 * CallMachine::kNegotiationTimeoutMs - 1).empty());
    CHECK(all_of<CreateOffer>(me.tick(now + 2 * CallMachine::kNegotiationTimeoutMs)) ==
          std::vector{CreateOffer{kPeer3, false}});
    // Once an exchange ends, the next stall waits the first timeout again.
    now += 2 * CallMachine::kNegotiationTimeoutMs;
    const auto sent = only_relayed(me.local_description(kPeer3, SdpType::Offer, kOfferSdp));
    me.server_frame(delivered(answer_message(kAnswerSdp), kAlice, kPeerA, "alice-s9",
                              text_field(sent.message, "session")));
    me.remote_description_applied(kPeer3);
    REQUIRE(peer_of(me, kPeer3).phase == NegotiationPhase::Stable);
    me.tick(now + 1000);
    me.local_media_changed(kPeer3);
    me.local_description(kPeer3, SdpType::Offer, "v=0 m");
    CHECK(diagnostic_codes(me.tick(now + 1000 + CallMachine::kNegotiationTimeoutMs)) ==
          std::vector{DiagnosticCode::NegotiationStalled});
  }

  TEST_CASE("the polite side whose answer the browser never made waits longer, then starts over") {
    CallMachine me = joining(kPeerC);
    me.tick(1000);
    // Dave (kPeerD) offers to us; we are polite to him. The browser never applies his offer.
    me.server_frame(joined_frame(kOwn, kPeerC, {participant(kDave, kPeerD, "Dave")}));
    me.server_frame(delivered(offer_message(kOfferSdp), kDave, kPeerD, "dave-s1"));
    REQUIRE(peer_of(me, kPeer1).phase == NegotiationPhase::ApplyingOffer);
    const double due =
        1000 + CallMachine::kNegotiationTimeoutMs + CallMachine::kPoliteRestartDelayMs;
    CHECK(me.tick(due - 1).empty());
    Actions actions = me.tick(due);
    CHECK(diagnostic_codes(actions) == std::vector{DiagnosticCode::NegotiationStalled});
    CHECK(all_of<CreateOffer>(actions) == std::vector{CreateOffer{kPeer2, false}});
  }

  TEST_CASE("an exchange that ends in time is left alone, and the clock starts with each one") {
    InCallWithAlice call;
    call.me.tick(50000);
    call.me.local_media_changed(kPeer1);
    call.me.local_description(kPeer1, SdpType::Offer, "v=0 m");
    CHECK(call.me.tick(50000 + CallMachine::kNegotiationTimeoutMs - 1).empty());
    CHECK(peer_keys(call.me) == std::vector{kPeer1});
  }

  TEST_CASE("a tutorial-format member that offered to us is never offered to, even stalled") {
    CallMachine me = joining(kPeerC);
    me.server_frame(joined_frame(kOwn, kPeerC, {participant(kBob)}));
    me.server_frame(delivered(offer_message(kOfferSdp), kBob, std::nullopt));
    CHECK(me.tick(10 * CallMachine::kNegotiationTimeoutMs).empty());
    CHECK(peer_keys(me) == std::vector{kPeer1});
  }

  TEST_CASE("while signaling is down a stalled exchange waits: nobody could hear the new offer") {
    CallMachine me = joining(kPeerC);
    me.server_frame(joined_frame(kOwn, kPeerC, {participant(kAlice, kPeerA, "Alice")}));
    me.local_description(kPeer1, SdpType::Offer, kOfferSdp);
    me.signaling_down();
    CHECK(me.tick(10 * CallMachine::kNegotiationTimeoutMs).empty());
  }
}

TEST_SUITE("call machine: media that arrives after the call began") {
  TEST_CASE("a settled connection is offered to again at once, without an ICE restart") {
    InCallWithAliceAndDave call;
    CHECK(call.me.local_media_changed(kPeer2) == Actions{CreateOffer{kPeer2, false}});
    // The offer goes to Dave on the same connection: no new peer, no new session.
    CHECK(only_relayed(call.me.local_description(kPeer2, SdpType::Offer, kOfferSdp)).to ==
          kDave.value);
    CHECK(peer_keys(call.me) == std::vector{kPeer1, kPeer2});
  }

  TEST_CASE("mid-exchange, the offer waits for the exchange to end") {
    CallMachine me = joining(kPeerC);
    me.server_frame(joined_frame(kOwn, kPeerC, {participant(kDave, kPeerD, "Dave")}));
    me.server_frame(delivered(offer_message(kOfferSdp), kDave, kPeerD, "dave-s1"));
    REQUIRE(peer_of(me, kPeer1).phase == NegotiationPhase::ApplyingOffer);
    CHECK(me.local_media_changed(kPeer1).empty());
    CHECK(me.remote_description_applied(kPeer1) == Actions{CreateAnswer{kPeer1}});
    Actions answered = me.local_description(kPeer1, SdpType::Answer, kAnswerSdp);
    CHECK(all_of<CreateOffer>(answered) == std::vector{CreateOffer{kPeer1, false}});
  }

  TEST_CASE("while signaling is down, the offer waits until the member is back") {
    InCallWithAlice call;
    call.me.signaling_down();
    CHECK(call.me.local_media_changed(kPeer1).empty());
    call.me.signaling_up();
    Actions actions = call.me.server_frame(
        joined_frame(kOwnAgain, kPeerC, {participant(kAliceAgain, kPeerA, "Alice")}));
    CHECK(all_of<CreateOffer>(actions) == std::vector{CreateOffer{kPeer1, false}});
    CHECK(only_relayed(call.me.local_description(kPeer1, SdpType::Offer, "v=0 m")).to ==
          kAliceAgain.value);
  }

  TEST_CASE("a tutorial-format member that offered to us is told nothing, with a diagnostic") {
    CallMachine me = joining(kPeerC);
    me.server_frame(joined_frame(kOwn, kPeerC, {participant(kBob)}));
    me.server_frame(delivered(offer_message(kOfferSdp), kBob, std::nullopt));
    me.remote_description_applied(kPeer1);
    me.local_description(kPeer1, SdpType::Answer, kAnswerSdp);
    CHECK(diagnostic_codes(me.local_media_changed(kPeer1)) ==
          std::vector{DiagnosticCode::MediaNotOffered});
  }

  TEST_CASE("a tutorial-format newcomer we offered to gets the new offer") {
    CallMachine me = joining(kPeerC);
    me.server_frame(joined_frame(kOwn, kPeerC, {}));
    me.server_frame(new_participant_frame(kBob));
    me.local_description(kPeer1, SdpType::Offer, kOfferSdp);
    me.server_frame(delivered(answer_message(kAnswerSdp), kBob, std::nullopt));
    me.remote_description_applied(kPeer1);
    CHECK(me.local_media_changed(kPeer1) == Actions{CreateOffer{kPeer1, false}});
  }

  TEST_CASE("media for a peer that is gone gives a diagnostic only") {
    InCallWithAlice call;
    CHECK(diagnostic_codes(call.me.local_media_changed(PeerKey{42})) ==
          std::vector{DiagnosticCode::UnknownPeer});
  }
}
