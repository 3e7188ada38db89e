#include "call_machine.hpp"

#include <algorithm>
#include <type_traits>
#include <utility>
#include <variant>

#include "client_frames.hpp"

namespace videochat::client {

namespace {

using protocol::ConnectionId;
using protocol::LeaveReason;
using protocol::RoomId;

Actions diagnostic(DiagnosticCode code, std::optional<PeerKey> peer, std::string detail) {
  return {Diagnostic{code, peer, std::move(detail)}};
}

std::string describe(const std::optional<ConnectionId>& from) {
  return from ? "'" + from->value + "'" : "the remote member";
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

}  // namespace

Actions CallMachine::join(RoomId room, std::string own_name) {
  Actions out;
  if (room_ && *room_ != room) close_all(out);  // the server takes us out of the old room
  room_ = std::move(room);
  own_name_ = std::move(own_name);
  out.emplace_back(SendToServer{join_room_frame(*room_)});
  return out;
}

Actions CallMachine::leave() {
  if (!room_) return {};
  Actions out{SendToServer{leave_room_frame(*room_)}};
  close_all(out);
  room_.reset();
  own_name_.clear();
  return out;
}

Actions CallMachine::server_frame(std::string_view text) {
  auto parsed = parse_incoming_frame(text);
  if (auto* error = std::get_if<ParseError>(&parsed)) {
    auto code = error->problem == ParseProblem::UnknownType ? DiagnosticCode::UnknownMessageType
                                                            : DiagnosticCode::MalformedFrame;
    return diagnostic(code, std::nullopt, std::move(error->detail));
  }
  const auto& frame = std::get<IncomingFrame>(parsed);
  // An error is worth showing whenever it comes; the rest only means something inside a room.
  if (!room_ && !std::holds_alternative<ServerError>(frame)) {
    return diagnostic(DiagnosticCode::NotInRoom, std::nullopt, "frame ignored: not in a room");
  }
  return std::visit([this](const auto& value) { return on_frame(value); }, frame);
}

Actions CallMachine::on_frame(const NewParticipant& frame) {
  if (Peer* peer = find_peer(frame.participant)) {
    return diagnostic(DiagnosticCode::DuplicateParticipant, peer->key,
                      "already connected to '" + frame.participant.value + "'");
  }
  // A 1:1 call: relayed messages carry no sender, so a second live peer could not be told apart.
  if (any_peer_with_signaling()) {
    bystanders_.push_back(frame.participant);
    return diagnostic(DiagnosticCode::RoomBusy, std::nullopt,
                      "'" + frame.participant.value + "' joined, but this call already has a peer");
  }
  Peer& peer = make_peer(frame.participant, NegotiationPhase::CreatingOffer);
  peer.we_offered = true;
  return {CreatePeer{peer.key}, CreateOffer{peer.key}};
}

Actions CallMachine::on_frame(const ParticipantLeft& frame) {
  forget_unclaimed(frame.participant);
  if (forget_bystander(frame.participant)) return {};
  Peer* peer = find_peer(frame.participant);
  if (!peer) {
    // A newcomer knows its peer only by the offer, not by id: in a 1:1 call, a member who leaves
    // and is not a known bystander is that peer.
    peer = single_peer_with_signaling();
    if (peer && peer->connection_id) peer = nullptr;
    if (peer) peer->connection_id = frame.participant;
  }
  if (!peer) {
    // Whoever sent the unclaimed candidates will not be offering any more.
    if (!any_peer_with_signaling()) forget_unclaimed(std::nullopt);
    return {};
  }
  Actions out;
  if (frame.reason == LeaveReason::Left) {
    close_peer(peer->key, out);
    return out;
  }
  peer->signaling_lost = true;
  // Without signaling, an unfinished negotiation can never finish, and a dead connection never
  // come back.
  bool media_over =
      peer->media == PeerConnectionState::Failed || peer->media == PeerConnectionState::Closed;
  if (peer->phase != NegotiationPhase::Stable || media_over) close_peer(peer->key, out);
  return out;
}

Actions CallMachine::on_frame(const ServerError& frame) {
  return {ShowError{frame.code, frame.message}};
}

Actions CallMachine::on_frame(const SignalMessage& message) {
  Sender sender = find_sender(message.from);
  if (sender.ambiguous) {
    return diagnostic(DiagnosticCode::AmbiguousSender, std::nullopt,
                      "a message without \"from\" while several peers are connected");
  }
  return std::visit(
      [&](const auto& body) -> Actions {
        using Body = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<Body, Offer>) {
          return on_offer(sender.peer, message.from, body);
        } else if constexpr (std::is_same_v<Body, Answer>) {
          return on_answer(sender.peer, body);
        } else {
          return on_candidate(sender.peer, message.from, body.candidate);
        }
      },
      message.body);
}

Actions CallMachine::on_offer(Peer* peer, const std::optional<ConnectionId>& from, Offer offer) {
  if (peer) {
    if (peer->we_offered) {
      return diagnostic(
          DiagnosticCode::UnexpectedOffer, peer->key,
          "offer ignored: we are the offerer (" + std::string(to_string(peer->phase)) + ")");
    }
    return diagnostic(DiagnosticCode::DuplicateOffer, peer->key,
                      "offer ignored: already " + std::string(to_string(peer->phase)));
  }
  if (any_peer_with_signaling()) {
    return diagnostic(DiagnosticCode::RoomBusy, std::nullopt,
                      "offer from " + describe(from) + " ignored: this call already has a peer");
  }
  if (from) forget_bystander(*from);
  Peer& made = make_peer(from, NegotiationPhase::ApplyingOffer);
  for (UnclaimedCandidate& early : unclaimed_candidates_) {
    if (early.from == from) made.early_candidates.push_back(std::move(early.candidate));
  }
  forget_unclaimed(from);
  return {CreatePeer{made.key},
          ApplyRemoteDescription{made.key, SdpType::Offer, std::move(offer.sdp)}};
}

Actions CallMachine::on_answer(Peer* peer, Answer answer) {
  if (!peer) {
    return diagnostic(DiagnosticCode::UnexpectedAnswer, std::nullopt,
                      "answer ignored: no offer of ours is pending");
  }
  if (peer->phase != NegotiationPhase::AwaitingAnswer) {
    return diagnostic(DiagnosticCode::UnexpectedAnswer, peer->key,
                      "answer ignored: no offer of ours is pending (" +
                          std::string(to_string(peer->phase)) + ")");
  }
  peer->phase = NegotiationPhase::ApplyingAnswer;
  return {ApplyRemoteDescription{peer->key, SdpType::Answer, std::move(answer.sdp)}};
}

Actions CallMachine::on_candidate(Peer* peer, const std::optional<ConnectionId>& from,
                                  IceCandidate candidate) {
  if (peer && peer->remote_description_set) {
    return {AddRemoteCandidate{peer->key, to_json_text(candidate)}};
  }
  std::size_t waiting = peer ? peer->early_candidates.size() : unclaimed_candidates_.size();
  if (waiting >= kMaxEarlyCandidates) {
    return diagnostic(DiagnosticCode::CandidateBufferFull,
                      peer ? std::optional<PeerKey>(peer->key) : std::nullopt,
                      "remote candidate dropped: too many before the remote description");
  }
  if (peer) {
    peer->early_candidates.push_back(std::move(candidate));
  } else {
    unclaimed_candidates_.push_back({from, std::move(candidate)});
  }
  return {};
}

Actions CallMachine::local_description(PeerKey key, SdpType type, std::string sdp) {
  Peer* peer = find_peer(key);
  if (!peer) return diagnostic(DiagnosticCode::UnknownPeer, key, "local description ignored");
  if (type == SdpType::Offer && peer->phase == NegotiationPhase::CreatingOffer) {
    peer->phase = NegotiationPhase::AwaitingAnswer;
    return {send(Offer{std::move(sdp)})};
  }
  if (type == SdpType::Answer && peer->phase == NegotiationPhase::CreatingAnswer) {
    peer->phase = NegotiationPhase::Stable;
    return {send(Answer{std::move(sdp)})};
  }
  return diagnostic(DiagnosticCode::UnexpectedLocalDescription, key,
                    "local " + std::string(to_string(type)) + " ignored while " +
                        std::string(to_string(peer->phase)));
}

Actions CallMachine::local_candidate(PeerKey key, std::string_view candidate_json) {
  Peer* peer = find_peer(key);
  if (!peer) return diagnostic(DiagnosticCode::UnknownPeer, key, "local candidate ignored");
  auto parsed = parse_ice_candidate(candidate_json);
  if (auto* error = std::get_if<ParseError>(&parsed)) {
    return diagnostic(DiagnosticCode::BadCandidate, key, std::move(error->detail));
  }
  if (peer->signaling_lost) return {};  // no one left to send it to
  return {send(Candidate{std::move(std::get<IceCandidate>(parsed))})};
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
      return out;
    default:
      return diagnostic(
          DiagnosticCode::UnexpectedRemoteDescriptionApplied, key,
          "no remote description was being applied (" + std::string(to_string(peer->phase)) + ")");
  }
}

Actions CallMachine::peer_connection_state(PeerKey key, PeerConnectionState state) {
  Peer* peer = find_peer(key);
  if (!peer) return diagnostic(DiagnosticCode::UnknownPeer, key, "connection state ignored");
  peer->media = state;
  Actions out;
  // A closed connection is over. A failed one can only be repaired through signaling: while the
  // peer has it, the tile shows "failed"; once it is lost too, the peer is gone.
  if (state == PeerConnectionState::Closed ||
      (state == PeerConnectionState::Failed && peer->signaling_lost)) {
    close_peer(key, out);
  }
  return out;
}

CallSnapshot CallMachine::snapshot() const {
  CallSnapshot snapshot{room_, own_name_, {}};
  snapshot.peers.reserve(peers_.size());
  for (const auto& [key, peer] : peers_) {
    snapshot.peers.push_back(
        {key, peer.connection_id, peer.phase, shown_state(peer.media, peer.signaling_lost)});
  }
  return snapshot;
}

CallMachine::Peer& CallMachine::make_peer(std::optional<ConnectionId> connection_id,
                                          NegotiationPhase phase) {
  PeerKey key{next_key_++};
  Peer peer;
  peer.key = key;
  peer.connection_id = std::move(connection_id);
  peer.phase = phase;
  return peers_.emplace(key, std::move(peer)).first->second;
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

CallMachine::Peer* CallMachine::single_peer_with_signaling() {
  Peer* found = nullptr;
  for (auto& [key, peer] : peers_) {
    if (peer.signaling_lost) continue;
    if (found) return nullptr;
    found = &peer;
  }
  return found;
}

bool CallMachine::any_peer_with_signaling() const {
  return std::any_of(peers_.begin(), peers_.end(),
                     [](const auto& entry) { return !entry.second.signaling_lost; });
}

bool CallMachine::forget_bystander(const ConnectionId& connection_id) {
  auto it = std::find(bystanders_.begin(), bystanders_.end(), connection_id);
  if (it == bystanders_.end()) return false;
  bystanders_.erase(it);
  return true;
}

void CallMachine::forget_unclaimed(const std::optional<ConnectionId>& from) {
  std::erase_if(unclaimed_candidates_,
                [&](const UnclaimedCandidate& early) { return early.from == from; });
}

CallMachine::Sender CallMachine::find_sender(const std::optional<ConnectionId>& from) {
  if (from) {
    if (Peer* peer = find_peer(*from)) return {peer};
    if (std::find(bystanders_.begin(), bystanders_.end(), *from) != bystanders_.end()) return {};
    // The peer a newcomer made from an offer without "from" learns its id here.
    Peer* unnamed = single_peer_with_signaling();
    if (unnamed && !unnamed->connection_id) {
      unnamed->connection_id = *from;
      return {unnamed};
    }
    return {};
  }
  // Without "from", only a peer whose signaling is intact can have sent it.
  std::size_t live = 0;
  Peer* found = nullptr;
  for (auto& [key, peer] : peers_) {
    if (peer.signaling_lost) continue;
    ++live;
    found = &peer;
  }
  if (live > 1) return {nullptr, true};
  return {found};
}

Action CallMachine::send(SignalBody body) const {
  return SendToServer{
      send_to_room_frame(*room_, to_text(SignalMessage{std::nullopt, std::move(body)}))};
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
  bystanders_.clear();
  unclaimed_candidates_.clear();
}

}  // namespace videochat::client
