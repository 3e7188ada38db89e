// The client's signaling state machine for a 1:1 call, sans-I/O: it takes events from the person,
// the WebSocket and the browser's RTCPeerConnections, and returns the actions to carry out, in
// order. It reads no socket, clock or timer, so the browser adapter and the tests drive it alike.
//
// Rules: the member already in the room offers when told of a newcomer; a newcomer never offers
// first, it answers the offer it is sent. Candidates trickle both ways; remote ones wait until the
// remote description is set. Anything unexpected is ignored and reported as a Diagnostic.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "call_actions.hpp"
#include "call_state.hpp"
#include "incoming_frame.hpp"
#include "signal_messages.hpp"
#include "wire_protocol.hpp"

namespace videochat::client {

class CallMachine final {
 public:
  // At most this many remote candidates wait for a remote description, per peer, and as many
  // again for senders not yet known; more are dropped with a Diagnostic.
  static constexpr std::size_t kMaxEarlyCandidates = 64;

  // The person's intents. join() sends joinRoom; joining another room closes the current peers.
  // leave() sends leaveRoom and closes every peer.
  Actions join(protocol::RoomId room, std::string own_name);
  Actions leave();

  // One text frame from the WebSocket, as received: validated here, never trusted.
  Actions server_frame(std::string_view text);

  // Results of the actions, reported by the browser adapter.
  Actions local_description(PeerKey peer, SdpType type, std::string sdp);
  Actions local_candidate(PeerKey peer, std::string_view candidate_json);
  Actions remote_description_applied(PeerKey peer);
  Actions peer_connection_state(PeerKey peer, PeerConnectionState state);

  CallSnapshot snapshot() const;

 private:
  struct Peer {
    PeerKey key;
    std::optional<protocol::ConnectionId> connection_id;
    NegotiationPhase phase;
    bool we_offered = false;
    PeerConnectionState media = PeerConnectionState::New;
    bool signaling_lost = false;  // its WebSocket is gone; it can send us nothing more
    bool remote_description_set = false;
    std::vector<IceCandidate> early_candidates;  // remote, waiting for the remote description
  };

  // Who sent a relayed message, as far as this client can tell.
  struct Sender {
    Peer* peer = nullptr;
    bool ambiguous = false;
  };

  Actions on_frame(const NewParticipant& frame);
  Actions on_frame(const ParticipantLeft& frame);
  Actions on_frame(const ServerError& frame);
  Actions on_frame(const SignalMessage& message);
  Actions on_offer(Peer* peer, const std::optional<protocol::ConnectionId>& from, Offer offer);
  Actions on_answer(Peer* peer, Answer answer);
  Actions on_candidate(Peer* peer, const std::optional<protocol::ConnectionId>& from,
                       IceCandidate candidate);

  Peer& make_peer(std::optional<protocol::ConnectionId> connection_id, NegotiationPhase phase);
  Peer* find_peer(PeerKey key);
  Peer* find_peer(const protocol::ConnectionId& connection_id);
  Peer* single_peer_with_signaling();
  bool any_peer_with_signaling() const;
  bool forget_bystander(const protocol::ConnectionId& connection_id);
  void forget_unclaimed(const std::optional<protocol::ConnectionId>& from);
  Sender find_sender(const std::optional<protocol::ConnectionId>& from);
  Action send(SignalBody body) const;
  void apply_early_candidates(Peer& peer, Actions& out);
  void close_peer(PeerKey key, Actions& out);
  void close_all(Actions& out);

  std::optional<protocol::RoomId> room_;
  std::string own_name_;
  std::map<PeerKey, Peer> peers_;
  std::uint32_t next_key_ = 1;
  // Members we were told of but made no peer for, so that their leaving is not taken for our
  // peer's (whose connection id we may not know). Few, so a vector: and Emscripten's libc++ cannot
  // order ConnectionId (no operator<=> for std::string).
  std::vector<protocol::ConnectionId> bystanders_;
  // Remote candidates that arrived before the offer that makes their peer, oldest first.
  struct UnclaimedCandidate {
    std::optional<protocol::ConnectionId> from;
    IceCandidate candidate;
  };
  std::vector<UnclaimedCandidate> unclaimed_candidates_;
};

}  // namespace videochat::client
