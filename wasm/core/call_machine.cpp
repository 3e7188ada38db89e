#include "call_machine.hpp"

#include <algorithm>
#include <type_traits>
#include <utility>
#include <variant>

#include "client_frames.hpp"
#include "send_limits.hpp"

namespace videochat::client {

namespace {

using protocol::ConnectionId;
using protocol::LeaveReason;
using protocol::RoomId;

// The member's peerId as the machine keeps it (text; a member of the tutorial's format has none).
std::optional<std::string> peer_id_of(const Participant& who) {
  if (!who.profile.peer_id) return std::nullopt;
  return who.profile.peer_id->value;
}

Actions diagnostic(DiagnosticCode code, std::optional<PeerKey> peer, std::string detail) {
  return {Diagnostic{code, peer, std::move(detail)}};
}

void note(Actions& out, DiagnosticCode code, std::optional<PeerKey> peer, std::string detail) {
  out.emplace_back(Diagnostic{code, peer, std::move(detail)});
}

ConnectionState shown_state(PeerConnectionState media, bool signaling_lost) {
  if (media == PeerConnectionState::Failed) return ConnectionState::Failed;
  if (signaling_lost) return ConnectionState::SignalingLost;
  switch (media) {
    case PeerConnectionState::Connected:
      return ConnectionState::Connected;
    case PeerConnectionState::Disconnected:
      return ConnectionState::Reconnecting;
    default:
      return ConnectionState::Connecting;
  }
}

// No offer/answer exchange is under way: the last one finished, or none has started.
bool settled(NegotiationPhase phase) {
  return phase == NegotiationPhase::Stable || phase == NegotiationPhase::AwaitingOffer;
}

bool media_flows(PeerConnectionState media) {
  return media == PeerConnectionState::Connected || media == PeerConnectionState::Disconnected;
}

std::string session_of(PeerKey key) {
  return std::to_string(key.value);
}

}  // namespace

CallMachine::CallMachine(std::string own_peer_id) : own_peer_id_(std::move(own_peer_id)) {}

// --- The person -------------------------------------------------------------------------------

Actions CallMachine::join(RoomId room, std::string own_name, std::string passcode) {
  Actions out;
  if (room_ && *room_ != room) {
    close_all(out);  // the server takes us out of the old room
    resume_token_.reset();
    met_peer_ids_.clear();
    locked_ = has_passcode_ = false;
  }
  room_ = std::move(room);
  own_name_ = std::move(own_name);
  passcode_ = std::move(passcode);
  if (online_) send_join(out);
  return out;
}

void CallMachine::send_join(Actions& out) {
  // Members met from now until `joined` are in the room whatever its list says: that list was
  // read before their notices reached us.
  met_since_join_.clear();
  rejoin_at_ms_.reset();
  renewing_relay_ = false;
  out.emplace_back(SendToServer{protocol::to_text(join_frame())});
}

protocol::JoinRoom CallMachine::join_frame() const {
  protocol::JoinRoom join{
      *room_, {protocol::parse_peer_id(own_peer_id_), std::nullopt}, std::nullopt, std::nullopt};
  if (!own_name_.empty()) join.profile.name = own_name_;
  if (!passcode_.empty()) join.passcode = passcode_;
  if (join.profile.peer_id) join.resume_token = resume_token_;
  return join;
}

Actions CallMachine::leave() {
  if (!room_) return {};
  Actions out;
  if (online_) out.emplace_back(SendToServer{protocol::to_text(protocol::LeaveRoom{*room_})});
  close_all(out);
  room_.reset();
  own_name_.clear();
  passcode_.clear();
  locked_ = has_passcode_ = false;
  own_connection_id_.reset();
  resume_token_.reset();
  relay_renew_at_ms_.reset();
  met_peer_ids_.clear();
  return out;
}

Actions CallMachine::renegotiate() {
  Actions out;
  for (auto& [key, peer] : peers_) {
    if (!can_signal(peer)) continue;
    peer.last_restart_ms = now_ms_;
    offer(peer, /*ice_restart=*/true, out);
  }
  return out;
}

Actions CallMachine::video_frozen(PeerKey key) {
  Peer* peer = find_peer(key);
  if (!peer) return diagnostic(DiagnosticCode::UnknownPeer, key, "frozen video ignored");
  // A connection being negotiated or repaired may freeze for a while on its own; and a client of
  // the tutorial's format cannot take an offer from the member it offered to.
  if (!settled(peer->phase) || peer->media != PeerConnectionState::Connected ||
      !can_signal(*peer) || !(peer->peer_id || !peer->polite)) {
    return {};
  }
  const int repairs = peer->frozen_repairs;
  if (repairs > 0 && now_ms_ - peer->last_frozen_repair_ms <
                         kFrozenRepairIntervalMs * (1 << std::min(repairs - 1, 4))) {
    return {};
  }
  Actions out;
  note(out, DiagnosticCode::FrozenVideo, key,
       "its video decodes but shows nothing: replacing the connection (repair " +
           std::to_string(repairs + 1) + ")");
  Peer& fresh = start_over(*peer, FirstOffer::Always, out);
  fresh.frozen_repairs = repairs + 1;
  fresh.last_frozen_repair_ms = now_ms_;
  return out;
}

Actions CallMachine::local_media_changed(PeerKey key) {
  Peer* peer = find_peer(key);
  if (!peer) return diagnostic(DiagnosticCode::UnknownPeer, key, "local media change ignored");
  if (!peer->peer_id && peer->polite) {
    return diagnostic(DiagnosticCode::MediaNotOffered, key,
                      "a client of the tutorial's format offered to us and takes no offer: it "
                      "does not receive the media that arrived after it connected");
  }
  Actions out;
  if (!can_signal(*peer)) {
    peer->wants_offer = true;  // made when signaling is back (restore)
    return out;
  }
  offer(*peer, /*ice_restart=*/false, out);
  return out;
}

// --- The WebSocket ----------------------------------------------------------------------------

Actions CallMachine::signaling_up() {
  online_ = true;
  Actions out;
  if (room_) send_join(out);
  return out;
}

Actions CallMachine::signaling_down() {
  online_ = false;
  renewing_relay_ = false;
  own_connection_id_.reset();
  return {};
}

Actions CallMachine::server_frame(std::string_view text) {
  auto parsed = parse_incoming_frame(text);
  if (auto* error = std::get_if<ParseError>(&parsed)) {
    auto code = error->problem == ParseProblem::UnknownType ? DiagnosticCode::UnknownMessageType
                                                            : DiagnosticCode::MalformedFrame;
    return diagnostic(code, std::nullopt, std::move(error->detail));
  }
  auto& frame = std::get<IncomingFrame>(parsed);
  // An error is worth showing whenever it comes; the rest only means something inside a room.
  if (!room_ && !std::holds_alternative<ErrorFrame>(frame)) {
    return diagnostic(DiagnosticCode::NotInRoom, std::nullopt, "frame ignored: not in a room");
  }
  return std::visit([this](auto& value) { return on_frame(value); }, frame);
}

Actions CallMachine::on_frame(const Joined& frame) {
  if (frame.room != *room_) {
    return diagnostic(
        DiagnosticCode::NotInRoom, std::nullopt,
        "joined '" + frame.room.value + "' ignored: we are joining '" + room_->value + "'");
  }
  Actions out;
  own_connection_id_ = frame.connection;
  if (frame.resume_token) resume_token_ = frame.resume_token;
  locked_ = frame.locked;
  has_passcode_ = frame.has_passcode;
  // Before any peer is made: every one of them should have the relay.
  if (!frame.ice_servers.empty()) {
    out.emplace_back(UseIceServers{frame.ice_servers});
    // Renewed at three quarters of their life, by joining again: the server answers a member's
    // join with a fresh `joined`, and tells nobody else.
    if (frame.ice_servers_ttl) {
      relay_renew_at_ms_ = now_ms_ + std::max(1000.0, *frame.ice_servers_ttl * 750.0);
    }
  }
  // The answer to a renewal: the members are those we know (their notices keep us current).
  if (std::exchange(renewing_relay_, false)) return out;

  std::set<PeerKey> present = std::move(met_since_join_);
  met_since_join_.clear();
  for (const Participant& who : frame.participants) {
    if (peer_id_of(who) == own_peer_id_) continue;  // our own earlier connection, being replaced
    Peer* peer = find_peer_by_id(peer_id_of(who));
    if (!peer) peer = find_peer(who.connection);
    if (peer) {
      // restore() may replace the peer with a new one: keep the one it returns.
      present.insert(restore(*peer, who, out).key);
    } else {
      present.insert(add_peer(who, /*we_were_first=*/false, FirstOffer::Usual, out).key);
    }
  }
  // Peers the server no longer has: gone while we were away, or away themselves. A connection
  // whose media flows is kept, in case its member comes back; the others are over.
  std::vector<PeerKey> gone;
  for (auto& [key, peer] : peers_) {
    if (present.contains(key)) continue;
    if (media_flows(peer.media) && settled(peer.phase)) {
      peer.signaling_lost = true;
    } else {
      gone.push_back(key);
    }
  }
  for (PeerKey key : gone) close_peer(key, out);
  update_send_limits(out);
  return out;
}

Actions CallMachine::on_frame(const NewParticipant& frame) {
  const Participant& who = frame.participant;
  Actions out;
  if (Peer* peer = find_peer_by_id(peer_id_of(who))) {
    restore(*peer, who, out);
    return out;
  }
  if (Peer* peer = find_peer(who.connection)) {
    return diagnostic(DiagnosticCode::DuplicateParticipant, peer->key,
                      "already connected to '" + who.connection.value + "'");
  }
  add_peer(who, /*we_were_first=*/true, FirstOffer::Usual, out);
  update_send_limits(out);
  return out;
}

Actions CallMachine::on_frame(const ParticipantResumed& frame) {
  const Participant& who = frame.participant;
  Actions out;
  Peer* peer = find_peer(frame.previous);
  if (!peer) peer = find_peer_by_id(peer_id_of(who));
  if (peer) {
    restore(*peer, who, out);
  } else {
    add_peer(who, /*we_were_first=*/true, FirstOffer::Usual, out);
    update_send_limits(out);
  }
  return out;
}

// A member's new name: its tile and list item say it from now on.
Actions CallMachine::on_frame(const ParticipantUpdated& frame) {
  const Participant& who = frame.participant;
  Peer* peer = find_peer(who.connection);
  if (!peer) peer = find_peer_by_id(peer_id_of(who));
  if (!peer) {
    return diagnostic(DiagnosticCode::UnknownPeer, std::nullopt,
                      "participantUpdated for '" + who.connection.value + "', not in the call");
  }
  peer->name = who.profile.name;
  return {};
}

Actions CallMachine::on_frame(const ParticipantLeft& frame) {
  std::erase_if(unclaimed_candidates_,
                [&](const UnclaimedCandidate& early) { return early.from == frame.participant; });
  Peer* peer = find_peer(frame.participant);
  if (!peer) return {};
  Actions out;
  if (frame.reason == LeaveReason::Left) {
    if (peer->peer_id) met_peer_ids_.erase(*peer->peer_id);
    close_peer(peer->key, out);
    update_send_limits(out);
    return out;
  }
  // Only its signaling is gone: media that flows goes on, and the member may come back. An
  // unfinished negotiation can never finish, and a dead connection never come back.
  peer->signaling_lost = true;
  if (!settled(peer->phase) || !media_flows(peer->media)) {
    close_peer(peer->key, out);
    update_send_limits(out);
  }
  return out;
}

Actions CallMachine::on_frame(const ErrorFrame& frame) {
  // Every code the server can send has its reaction here (a missing case fails the build, and
  // call_machine_test checks each one); a code this build does not know arrives as InternalError.
  switch (frame.code) {
    case ErrorCode::UnknownRecipient:
      // A signal to a member who left or came back on a new connection as we sent it: normal.
      return diagnostic(DiagnosticCode::RecipientGone, std::nullopt, frame.message);
    case ErrorCode::NotInRoom:
      // A message raced our joinRoom, or the server forgot us: join again unless a join is under
      // way.
      if (room_ && online_) return rejoin_when_forgotten(frame);
      break;
    case ErrorCode::PeerIdInUse:
      // Our old connection still holds our place and our token is not valid (lost before the
      // first joined): it goes once API Gateway drops it, so try again in a while, without a
      // token, rather than stop.
      if (room_ && online_) {
        resume_token_.reset();
        rejoin_at_ms_ = now_ms_ + kRejoinDelayMs;
        return {Diagnostic{DiagnosticCode::NotInRoom, std::nullopt, frame.message}};
      }
      break;
    case ErrorCode::RateLimited:
      // One of our messages was dropped. Our signaling stays far below the server's limit, so
      // this is rare; an offer or answer it cost is made again when the exchange stalls, a
      // candidate by the ICE restart a connection that fails gets.
      return diagnostic(DiagnosticCode::RateLimited, std::nullopt, frame.message);
    case ErrorCode::PasscodeRequired:
    case ErrorCode::WrongPasscode:
    case ErrorCode::TooManyAttempts:
    case ErrorCode::RoomLocked:
      // Refused at the door: the person must do something (type the passcode, wait, ask someone
      // in the room to unlock it). A join that was ours to retry (a reconnection) stops here too.
    case ErrorCode::BadJson:
    case ErrorCode::BadRequest:
    case ErrorCode::UnknownAction:
    case ErrorCode::RoomFull:
    case ErrorCode::NameNotAllowed:
    case ErrorCode::MessageTooLarge:
    case ErrorCode::InternalError:
      break;  // the person is told
  }
  return {ShowError{frame.code, frame.message,
                    frame.unknown_code.value_or(std::string(protocol::to_string(frame.code)))}};
}

Actions CallMachine::rejoin_when_forgotten(const ErrorFrame& frame) {
  if (!own_connection_id_) {
    return diagnostic(DiagnosticCode::NotInRoom, std::nullopt,
                      "refused while our join is under way: " + frame.message);
  }
  Actions out;
  own_connection_id_.reset();
  send_join(out);
  out.emplace_back(Diagnostic{DiagnosticCode::NotInRoom, std::nullopt, frame.message});
  return out;
}

Actions CallMachine::lock_room(bool locked) {
  if (!room_ || !online_ || !own_connection_id_) return {};
  return {SendToServer{protocol::to_text(protocol::LockRoom{*room_, locked})}};
}

Actions CallMachine::on_frame(const RoomLocked& frame) {
  if (!room_ || frame.room != *room_) {
    return diagnostic(DiagnosticCode::NotInRoom, std::nullopt,
                      "roomLocked for '" + frame.room.value + "' ignored");
  }
  locked_ = frame.locked;
  RoomLockChanged changed{frame.locked, frame.by == own_connection_id_, std::nullopt};
  if (const Peer* by = find_peer(frame.by)) changed.by_name = by->name;
  return {changed};
}

Actions CallMachine::on_frame(const Pong&) {
  return {};
}

Actions CallMachine::on_frame(const SignalMessage& message) {
  bool ambiguous = false;
  Peer* peer = find_sender(message, ambiguous);
  if (ambiguous) {
    return diagnostic(DiagnosticCode::AmbiguousSender, std::nullopt,
                      "a message without \"from\" while several peers are connected");
  }
  Actions out;
  const bool is_offer = std::holds_alternative<Offer>(message.body);
  if (!peer) {
    if (!message.from) {
      return diagnostic(DiagnosticCode::UnknownPeer, std::nullopt,
                        "a message without \"from\" and no peer to give it to");
    }
    if (auto* candidate = std::get_if<Candidate>(&message.body)) {
      // The offer that makes its peer may still be on its way.
      std::size_t waiting = std::count_if(
          unclaimed_candidates_.begin(), unclaimed_candidates_.end(),
          [&](const UnclaimedCandidate& early) { return early.from == *message.from; });
      if (waiting >= kMaxEarlyCandidates) {
        return diagnostic(DiagnosticCode::CandidateBufferFull, std::nullopt,
                          "candidate from '" + message.from->value + "' dropped");
      }
      unclaimed_candidates_.push_back({*message.from, candidate->candidate});
      return {};
    }
    if (!is_offer) {
      return diagnostic(DiagnosticCode::UnexpectedAnswer, std::nullopt,
                        "answer from '" + message.from->value + "', to whom we made no offer");
    }
    // An offer from a member whose arrival we have not been told of (notices and messages can
    // cross): it makes its peer. One meant for a connection of ours that is gone (it names our
    // session) cannot be answered from a new one: the new one offers, and its new session tells
    // the other side to start over too.
    const bool for_replaced = message.to_session.has_value();
    const Participant sender{
        *message.from,
        {message.from_peer ? protocol::parse_peer_id(*message.from_peer) : std::nullopt, {}}};
    peer = &add_peer(sender, /*we_were_first=*/false,
                     for_replaced ? FirstOffer::Always : FirstOffer::Never, out);
    update_send_limits(out);
    if (for_replaced) return out;
  }

  // Sessions: which of our connections the message is for, and which of theirs it comes from.
  if (message.to_session && *message.to_session != session_of(peer->key)) {
    note(out, DiagnosticCode::StaleMessage, peer->key,
         "message for our replaced connection " + *message.to_session + " ignored");
    return out;
  }
  if (message.session) {
    if (!peer->remote_session) {
      peer->remote_session = message.session;
    } else if (*peer->remote_session != *message.session) {
      // The other side started over with a new connection. An offer is its first word: take it
      // on a fresh connection of ours. An answer means it answered our offer from a new
      // connection, which ours cannot pair with: start over and offer. Anything else is stale.
      if (is_offer) {
        peer = &start_over(*peer, FirstOffer::Never, out);
        peer->remote_session = message.session;
      } else if (std::holds_alternative<Answer>(message.body)) {
        start_over(*peer, FirstOffer::Always, out);
        return out;
      } else {
        note(out, DiagnosticCode::StaleMessage, peer->key,
             "candidate from their replaced connection " + *message.session + " ignored");
        return out;
      }
    }
  }

  std::visit(
      [&](const auto& body) {
        using Body = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<Body, Offer>) {
          on_offer(*peer, body.sdp, out);
        } else if constexpr (std::is_same_v<Body, Answer>) {
          on_answer(*peer, body.sdp, out);
        } else {
          on_candidate(*peer, body.candidate, out);
        }
      },
      message.body);
  return out;
}

void CallMachine::on_offer(Peer& peer, std::string sdp, Actions& out) {
  if (sdp == peer.last_remote_offer) {
    note(out, DiagnosticCode::DuplicateOffer, peer.key, "the same offer again: ignored");
    return;
  }
  switch (peer.phase) {
    case NegotiationPhase::ApplyingOffer:
    case NegotiationPhase::CreatingAnswer:
      // The other side cannot offer again before it has our answer, unless it started over,
      // which a new session shows.
      note(out, DiagnosticCode::UnexpectedOffer, peer.key,
           "offer ignored while " + std::string(to_string(peer.phase)));
      return;
    case NegotiationPhase::CreatingOffer:
    case NegotiationPhase::AwaitingAnswer:
      // Glare: offers crossed.
      if (!peer.polite) {
        note(out, DiagnosticCode::GlareIgnored, peer.key,
             "offers crossed: ours stands, theirs is ignored");
        return;
      }
      // We give way: setRemoteDescription rolls our offer back. One still being made is dropped
      // when the browser reports it.
      peer.discard_local_offer = peer.phase == NegotiationPhase::CreatingOffer;
      peer.wants_offer = false;
      break;
    default:
      break;
  }
  peer.last_remote_offer = sdp;
  peer.phase = NegotiationPhase::ApplyingOffer;
  peer.exchange_since_ms = now_ms_;
  if (peer.trouble_since_ms >= 0) {
    // The other side's restart is the pair's: ours waits its interval, as if we had made it.
    peer.last_restart_ms = now_ms_;
    ++peer.restarts;
  }
  out.emplace_back(ApplyRemoteDescription{peer.key, SdpType::Offer, std::move(sdp)});
}

void CallMachine::on_answer(Peer& peer, std::string sdp, Actions& out) {
  if (peer.phase != NegotiationPhase::AwaitingAnswer) {
    note(
        out, DiagnosticCode::UnexpectedAnswer, peer.key,
        "answer ignored: no offer of ours is pending (" + std::string(to_string(peer.phase)) + ")");
    return;
  }
  peer.phase = NegotiationPhase::ApplyingAnswer;
  out.emplace_back(ApplyRemoteDescription{peer.key, SdpType::Answer, std::move(sdp)});
}

void CallMachine::on_candidate(Peer& peer, IceCandidate candidate, Actions& out) {
  // Once a remote description is set, the browser queues candidates behind any description
  // being applied, so they keep their order.
  if (peer.remote_description_set) {
    out.emplace_back(AddRemoteCandidate{peer.key, to_json_text(candidate)});
    return;
  }
  if (peer.early_candidates.size() >= kMaxEarlyCandidates) {
    note(out, DiagnosticCode::CandidateBufferFull, peer.key,
         "remote candidate dropped: too many before the remote description");
    return;
  }
  peer.early_candidates.push_back(std::move(candidate));
}

// --- The browser ------------------------------------------------------------------------------

Actions CallMachine::local_description(PeerKey key, SdpType type, std::string sdp) {
  Peer* peer = find_peer(key);
  if (!peer) return diagnostic(DiagnosticCode::UnknownPeer, key, "local description ignored");
  Actions out;
  if (type == SdpType::Offer && peer->phase == NegotiationPhase::CreatingOffer) {
    peer->phase = NegotiationPhase::AwaitingAnswer;
    send(*peer, Offer{std::move(sdp)}, out);
    return out;
  }
  if (type == SdpType::Offer && peer->discard_local_offer) {
    peer->discard_local_offer = false;
    return diagnostic(DiagnosticCode::StaleLocalDescription, key,
                      "our offer was rolled back: theirs crossed it and we gave way");
  }
  if (type == SdpType::Answer && peer->phase == NegotiationPhase::CreatingAnswer) {
    peer->phase = NegotiationPhase::Stable;
    send(*peer, Answer{std::move(sdp)}, out);
    became_stable(*peer, out);
    return out;
  }
  return diagnostic(DiagnosticCode::UnexpectedLocalDescription, key,
                    "local " + std::string(to_string(type)) + " ignored while " +
                        std::string(to_string(peer->phase)));
}

Actions CallMachine::local_candidate(PeerKey key, std::string_view candidate_json) {
  Peer* peer = find_peer(key);
  if (!peer) return diagnostic(DiagnosticCode::UnknownPeer, key, "local candidate ignored");
  auto parsed = protocol::parse_ice_candidate(candidate_json);
  if (auto* error = std::get_if<ParseError>(&parsed)) {
    return diagnostic(DiagnosticCode::BadCandidate, key, std::move(error->detail));
  }
  Actions out;
  // Without signaling there is no one to send it to; an ICE restart follows if it was needed.
  if (can_signal(*peer)) send(*peer, Candidate{std::move(std::get<IceCandidate>(parsed))}, out);
  return out;
}

Actions CallMachine::remote_description_applied(PeerKey key) {
  Peer* peer = find_peer(key);
  if (!peer) return diagnostic(DiagnosticCode::UnknownPeer, key, "remote description ignored");
  Actions out;
  switch (peer->phase) {
    case NegotiationPhase::ApplyingOffer:
      apply_early_candidates(*peer, out);
      peer->phase = NegotiationPhase::CreatingAnswer;
      out.emplace_back(CreateAnswer{key});
      return out;
    case NegotiationPhase::ApplyingAnswer:
      apply_early_candidates(*peer, out);
      peer->phase = NegotiationPhase::Stable;
      became_stable(*peer, out);
      return out;
    default:
      return diagnostic(
          DiagnosticCode::UnexpectedRemoteDescriptionApplied, key,
          "no remote description was being applied (" + std::string(to_string(peer->phase)) + ")");
  }
}

Actions CallMachine::negotiation_failed(PeerKey key, std::string_view why) {
  Peer* peer = find_peer(key);
  if (!peer) return diagnostic(DiagnosticCode::UnknownPeer, key, "negotiation failure ignored");
  // The connection's descriptions are in a state we no longer know: start over cleanly.
  Actions out;
  note(out, DiagnosticCode::NegotiationFailed, key,
       std::string(why) + " (while " + std::string(to_string(peer->phase)) + ")");
  if (can_signal(*peer)) {
    start_over(*peer, FirstOffer::Always, out);
  } else {
    close_peer(key, out);
  }
  update_send_limits(out);
  return out;
}

Actions CallMachine::peer_connection_state(PeerKey key, PeerConnectionState state) {
  Peer* peer = find_peer(key);
  if (!peer) return diagnostic(DiagnosticCode::UnknownPeer, key, "connection state ignored");
  peer->media = state;
  Actions out;
  if (state == PeerConnectionState::Connected) {
    peer->trouble_since_ms = -1;
    peer->restarts = 0;
  } else if ((state == PeerConnectionState::Disconnected || state == PeerConnectionState::Failed) &&
             peer->trouble_since_ms < 0) {
    peer->trouble_since_ms = now_ms_;
  }
  // A closed connection is over. A failed one can only be repaired through signaling: while the
  // peer has it, an ICE restart is tried; once it is lost too, the peer is gone.
  if (state == PeerConnectionState::Closed ||
      (state == PeerConnectionState::Failed && peer->signaling_lost)) {
    close_peer(key, out);
    update_send_limits(out);
    return out;
  }
  if (state == PeerConnectionState::Failed && may_restart(*peer) && restart_due(*peer)) {
    restart_ice(*peer, out);
  }
  return out;
}

Actions CallMachine::tick(double now_ms) {
  now_ms_ = now_ms;
  Actions out;
  if (rejoin_at_ms_ && now_ms >= *rejoin_at_ms_ && room_ && online_) send_join(out);
  if (relay_renew_at_ms_ && now_ms >= *relay_renew_at_ms_ && room_ && own_connection_id_) {
    relay_renew_at_ms_.reset();
    renewing_relay_ = true;
    out.emplace_back(SendToServer{protocol::to_text(join_frame())});
  }
  for (auto& [key, peer] : peers_) {
    if (peer.trouble_since_ms >= 0 && may_restart(peer) && restart_due(peer)) {
      restart_ice(peer, out);
    }
  }
  std::vector<PeerKey> stalled;
  for (const auto& [key, peer] : peers_) {
    if (negotiation_stalled(peer)) stalled.push_back(key);
  }
  for (PeerKey key : stalled) {
    Peer& peer = peers_.at(key);
    note(out, DiagnosticCode::NegotiationStalled, key,
         "still " + std::string(to_string(peer.phase)) + " after " +
             std::to_string(static_cast<long long>((now_ms - peer.exchange_since_ms) / 1000)) +
             " s: replacing the connection");
    const int stalls = peer.stalls;
    start_over(peer, FirstOffer::Always, out).stalls = stalls + 1;
  }
  return out;
}

CallSnapshot CallMachine::snapshot() const {
  CallSnapshot snapshot{room_, own_name_, own_peer_id_, own_connection_id_, {}, locked_,
                        has_passcode_};
  snapshot.peers.reserve(peers_.size());
  for (const auto& [key, peer] : peers_) {
    snapshot.peers.push_back({key, peer.connection_id, peer.phase,
                              shown_state(peer.media, peer.signaling_lost), peer.peer_id, peer.name,
                              peer.polite});
  }
  return snapshot;
}

// --- Peers ------------------------------------------------------------------------------------

CallMachine::Peer& CallMachine::add_peer(const Participant& who, bool we_were_first,
                                         FirstOffer first_offer, Actions& out) {
  PeerKey key{next_key_++};
  Peer& peer = peers_.emplace(key, Peer{}).first->second;
  peer.key = key;
  peer.connection_id = who.connection;
  peer.peer_id = peer_id_of(who);
  peer.name = who.profile.name;
  // Between two peerIds the order decides; with a member of the tutorial's format, the member
  // already in the room offers and never gives way (its client does not handle glare).
  peer.polite = peer_id_of(who) ? own_peer_id_ < *peer_id_of(who) : !we_were_first;
  out.emplace_back(CreatePeer{key});
  met_since_join_.insert(key);

  // Remote candidates that came before we knew the member.
  for (UnclaimedCandidate& early : unclaimed_candidates_) {
    if (early.from == who.connection)
      peer.early_candidates.push_back(std::move(early.candidate));
  }
  std::erase_if(unclaimed_candidates_,
                [&](const UnclaimedCandidate& early) { return early.from == who.connection; });

  // Meeting a member again: its side may still hold a connection to our old one, which only a
  // new offer (with a new session) tells it to replace.
  const bool met_before = peer_id_of(who) && met_peer_ids_.contains(*peer_id_of(who));
  if (peer_id_of(who)) met_peer_ids_.insert(*peer_id_of(who));
  const bool offers = first_offer == FirstOffer::Always ||
                      (first_offer == FirstOffer::Usual && (!peer.polite || met_before));
  if (offers) offer(peer, /*ice_restart=*/false, out);
  return peer;
}

CallMachine::Peer& CallMachine::restore(Peer& peer, const Participant& who, Actions& out) {
  peer.connection_id = who.connection;
  if (who.profile.name) peer.name = who.profile.name;
  peer.signaling_lost = false;
  met_since_join_.insert(peer.key);
  // Messages of an exchange under way may have been lost with the signaling: start it over.
  // A settled connection whose media is not up may have lost candidates: the impolite side
  // restarts ICE at once rather than wait for the browser to give up.
  if (!settled(peer.phase)) return start_over(peer, FirstOffer::Always, out);
  if (!peer.polite && peer.media != PeerConnectionState::Connected && can_signal(peer)) {
    peer.last_restart_ms = now_ms_;
    offer(peer, /*ice_restart=*/true, out);
  } else if (peer.polite && peer.media != PeerConnectionState::Connected) {
    // The other side restarts at once on its side: its offer is to be answered, not crossed.
    peer.restart_not_before_ms = now_ms_ + kPoliteRestartDelayMs;
  }
  // An offer that waited for signaling (media that arrived meanwhile) goes out now.
  if (peer.wants_offer && settled(peer.phase) && can_signal(peer)) {
    offer(peer, peer.wants_ice_restart, out);
  }
  return peer;
}

CallMachine::Peer& CallMachine::start_over(Peer& peer, FirstOffer first_offer, Actions& out) {
  Participant who{*peer.connection_id,
                  {peer.peer_id ? protocol::parse_peer_id(*peer.peer_id) : std::nullopt, peer.name}};
  const bool was_polite = peer.polite;
  const int frozen_repairs = peer.frozen_repairs;
  const int stalls = peer.stalls;
  const double last_frozen_repair_ms = peer.last_frozen_repair_ms;
  close_peer(peer.key, out);
  // A replacement keeps the roles: we_were_first matters only for the tutorial's format. It
  // keeps the member's frozen-picture repairs too, whoever replaced the connection, so that
  // their backoff holds when both sides repair.
  Peer& fresh = add_peer(who, /*we_were_first=*/!was_polite, first_offer, out);
  fresh.frozen_repairs = frozen_repairs;
  fresh.stalls = stalls;
  fresh.last_frozen_repair_ms = last_frozen_repair_ms;
  return fresh;
}

void CallMachine::offer(Peer& peer, bool ice_restart, Actions& out) {
  if (!settled(peer.phase)) {
    peer.wants_offer = true;
    peer.wants_ice_restart |= ice_restart;
    return;
  }
  peer.phase = NegotiationPhase::CreatingOffer;
  peer.exchange_since_ms = now_ms_;
  peer.wants_offer = false;
  peer.wants_ice_restart = false;
  peer.discard_local_offer = false;
  out.emplace_back(CreateOffer{peer.key, ice_restart && peer.remote_description_set});
}

void CallMachine::became_stable(Peer& peer, Actions& out) {
  peer.stalls = 0;
  // The sender's encodings exist once a description is set: cap them now.
  const SendLimits limits = send_limits_for(peers_.size());
  out.emplace_back(
      SetSendLimits{peer.key, limits.max_video_bitrate_bps, limits.scale_resolution_down_by});
  if (peer.wants_offer) offer(peer, peer.wants_ice_restart, out);
}

void CallMachine::send(const Peer& peer, SignalBody body, Actions& out) const {
  if (!can_signal(peer)) return;
  SignalMessage message{std::nullopt, std::move(body), std::nullopt, session_of(peer.key),
                        peer.remote_session};
  out.emplace_back(SendToServer{
      protocol::to_text(protocol::SendMsgToRoom{*room_, to_text(message), peer.connection_id})});
}

void CallMachine::apply_early_candidates(Peer& peer, Actions& out) {
  peer.remote_description_set = true;
  for (const IceCandidate& candidate : peer.early_candidates) {
    out.emplace_back(AddRemoteCandidate{peer.key, to_json_text(candidate)});
  }
  peer.early_candidates.clear();
}

void CallMachine::close_peer(PeerKey key, Actions& out) {
  peers_.erase(key);
  out.emplace_back(ClosePeer{key});
}

void CallMachine::close_all(Actions& out) {
  for (const auto& [key, peer] : peers_) out.emplace_back(ClosePeer{key});
  peers_.clear();
  unclaimed_candidates_.clear();
}

void CallMachine::update_send_limits(Actions& out) const {
  const SendLimits limits = send_limits_for(peers_.size());
  for (const auto& [key, peer] : peers_) {
    out.emplace_back(
        SetSendLimits{key, limits.max_video_bitrate_bps, limits.scale_resolution_down_by});
  }
}

void CallMachine::restart_ice(Peer& peer, Actions& out) {
  peer.last_restart_ms = now_ms_;
  ++peer.restarts;
  offer(peer, /*ice_restart=*/true, out);
}

bool CallMachine::can_signal(const Peer& peer) const {
  // Until `joined` answers our joinRoom, the connection ids we hold may be stale (we are
  // resuming), except those of members whose notices came since: a notice about them means the
  // server already has us in the room.
  return room_ && online_ && !peer.signaling_lost && peer.connection_id &&
         (own_connection_id_ || met_since_join_.contains(peer.key));
}

bool CallMachine::may_restart(const Peer& peer) const {
  // A client of the tutorial's format cannot take an offer from the member it offered to. A pair
  // that cannot connect at all (no TURN, symmetric NATs) is retried ever less often: 8 s, 16, 32,
  // then every 64 s.
  const double interval = kRestartIntervalMs * (1 << std::min(peer.restarts, 3));
  return can_signal(peer) && (peer.peer_id || !peer.polite) &&
         now_ms_ - peer.last_restart_ms >= interval;
}

bool CallMachine::negotiation_stalled(const Peer& peer) const {
  // As for restarts, a member of the tutorial's format that offered to us cannot take an offer.
  if (settled(peer.phase) || !can_signal(peer) || !(peer.peer_id || !peer.polite)) return false;
  const double timeout = kNegotiationTimeoutMs * (1 << std::min(peer.stalls, 3)) +
                         (peer.polite ? kPoliteRestartDelayMs : 0);
  return now_ms_ - peer.exchange_since_ms >= timeout;
}

bool CallMachine::restart_due(const Peer& peer) const {
  // A failed connection is restarted at once, a disconnected one after a while (it may recover
  // by itself); the polite side of a pair waits longer still for the other side's restart.
  if (now_ms_ < peer.restart_not_before_ms) return false;
  double wait = peer.media == PeerConnectionState::Failed ? 0 : kDisconnectedRestartMs;
  if (peer.polite && peer.peer_id) wait += kPoliteRestartDelayMs;
  return now_ms_ - peer.trouble_since_ms >= wait;
}

CallMachine::Peer* CallMachine::find_peer(PeerKey key) {
  auto it = peers_.find(key);
  return it == peers_.end() ? nullptr : &it->second;
}

CallMachine::Peer* CallMachine::find_peer(const ConnectionId& connection_id) {
  for (auto& [key, peer] : peers_) {
    if (peer.connection_id == connection_id) return &peer;
  }
  return nullptr;
}

CallMachine::Peer* CallMachine::find_peer_by_id(const std::optional<std::string>& peer_id) {
  if (!peer_id) return nullptr;
  for (auto& [key, peer] : peers_) {
    if (peer.peer_id == peer_id) return &peer;
  }
  return nullptr;
}

CallMachine::Peer* CallMachine::find_sender(const SignalMessage& message, bool& ambiguous) {
  if (message.from) {
    if (Peer* peer = find_peer(*message.from)) return peer;
    // A member that came back on a new connection, before we were told.
    if (Peer* peer = find_peer_by_id(message.from_peer)) {
      peer->connection_id = *message.from;
      peer->signaling_lost = false;
      return peer;
    }
    return nullptr;
  }
  // A server of the tutorial's format names no sender: only a lone peer can have sent it.
  if (peers_.size() > 1) {
    ambiguous = true;
    return nullptr;
  }
  return peers_.empty() ? nullptr : &peers_.begin()->second;
}

}  // namespace videochat::client
