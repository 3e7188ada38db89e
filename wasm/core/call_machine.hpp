// The client's signaling state machine for a mesh call, sans-I/O: it takes events from the person,
// the WebSocket and the browser's RTCPeerConnections, and returns the actions to carry out, in
// order. It reads no socket, clock or timer, so the browser adapter and the tests drive it alike.
//
// Every other member of the room gets its own peer (one RTCPeerConnection), negotiated with the
// perfect negotiation pattern: either side may offer; when offers cross, the polite side (decided
// by comparing the two peerIds) gives way and the impolite side ignores the other's offer. The
// impolite side makes the first offer. With a member of the tutorial's format (no peerId) the
// tutorial's rule holds instead: the member already in the room offers.
//
// Each peer connection has a session id, sent with every message, so that a peer that starts
// over with a new connection is recognised (ours is replaced too) and messages meant for a
// replaced connection are dropped. A peer is known by its peerId across reconnects: after a
// signaling outage, members who come back (resumed, or joining again) keep their tile and, when
// their media still flows, their connection.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "call_actions.hpp"
#include "call_state.hpp"
#include "client_frames.hpp"
#include "incoming_frame.hpp"
#include "identifiers.hpp"

namespace videochat::client {

class CallMachine final {
 public:
  // At most this many remote candidates wait for a remote description, per peer, and as many
  // again for senders not yet known; more are dropped with a Diagnostic.
  static constexpr std::size_t kMaxEarlyCandidates = 64;
  // A peer connection that stays `disconnected` this long, or goes `failed`, gets an ICE restart;
  // restarts of one peer are at least kRestartIntervalMs apart.
  static constexpr double kDisconnectedRestartMs = 4000;
  static constexpr double kRestartIntervalMs = 8000;
  // When both sides of a pair see the trouble, both would restart at once and their offers would
  // cross: the polite side leaves the restart to the other side this much longer, and makes it
  // only if none came. (Crossing offers make the polite side roll back, which is slower, and after
  // which Chromium can leave its picture frozen: see FrozenVideoWatch.)
  static constexpr double kPoliteRestartDelayMs = 3000;
  // A member's video that freezes again after its connection was replaced is replaced again only
  // this much later, doubling each time up to 16 times as long: a browser whose pictures freeze on
  // every connection must not have its calls torn down every few seconds.
  static constexpr double kFrozenRepairIntervalMs = 30000;
  // An exchange of offer and answer still under way this long after it began (an offer or an
  // answer lost, or a browser that never reported back) is started over on a new connection. The
  // polite side waits kPoliteRestartDelayMs longer, so that the other side's new offer, if it
  // makes one, is answered rather than crossed. Each stall in a row with the same member doubles
  // the wait (up to 8 times): a browser so busy that its answer takes longer still gets there,
  // instead of having every exchange replaced before it can end.
  static constexpr double kNegotiationTimeoutMs = 15000;
  // After PEER_ID_IN_USE, joinRoom is tried again this much later.
  static constexpr double kRejoinDelayMs = 5000;

  // `own_peer_id`: a random 128-bit id in 32 lowercase hex digits, made once per page.
  explicit CallMachine(std::string own_peer_id);

  // The person's intents. join() sends joinRoom (once signaling is up); joining another room
  // closes the current peers. leave() sends leaveRoom and closes every peer. The passcode (empty
  // for none) goes with every join into the room, rejoins included: it sets the room's passcode
  // when we are its first member.
  Actions join(protocol::RoomId room, std::string own_name, std::string passcode = {});
  // Locks the room against new joiners, or unlocks it (the server tells every member).
  Actions lock_room(bool locked);
  Actions leave();
  // An offer (with an ICE restart) to every peer, whatever its state: "reconnect the media".
  Actions renegotiate();

  // The WebSocket opened (joinRoom again, with the resume token) or closed (peers keep their
  // media; nothing can be sent until it is back).
  Actions signaling_up();
  Actions signaling_down();
  // One text frame from the WebSocket, as received: validated here, never trusted.
  Actions server_frame(std::string_view text);

  // Results of the actions, reported by the browser adapter.
  Actions local_description(PeerKey peer, SdpType type, std::string sdp);
  Actions local_candidate(PeerKey peer, std::string_view candidate_json);
  Actions remote_description_applied(PeerKey peer);
  // The browser refused a description we gave it or asked it for.
  Actions negotiation_failed(PeerKey peer, std::string_view why);
  Actions peer_connection_state(PeerKey peer, PeerConnectionState state);
  // The peer's video keeps decoding but its element shows nothing (see FrozenVideoWatch): the
  // connection is replaced by a new one, which the other side learns of from our offer's new
  // session. Ignored unless the connection is up and settled and the other side can be told, and
  // while the member's last repair is recent (kFrozenRepairIntervalMs).
  Actions video_frozen(PeerKey peer);
  // The camera or microphone arrived after the peer's connection was made, and the connection
  // needs a new offer to send it (the browser adapter says which do). The offer is made once the
  // exchange under way ends, and once signaling is back if it is down. A member of the tutorial's
  // format that offered to us cannot take an offer: it keeps receiving nothing (a Diagnostic says
  // so).
  Actions local_media_changed(PeerKey peer);
  // The clock, for ICE restarts; call it about once a second.
  Actions tick(double now_ms);

  CallSnapshot snapshot() const;
  bool room_locked() const { return locked_; }
  bool room_has_passcode() const { return has_passcode_; }
  // The server has answered our join (since signaling last came up): the member list is known.
  bool joined() const { return own_connection_id_.has_value(); }

 private:
  struct Peer {
    PeerKey key;
    std::optional<protocol::ConnectionId> connection_id;
    std::optional<std::string> peer_id;
    std::optional<std::string> name;
    bool polite = false;
    NegotiationPhase phase = NegotiationPhase::AwaitingOffer;
    bool wants_offer = false;          // an offer to make once the current exchange ends
    bool wants_ice_restart = false;    // ... with an ICE restart
    bool discard_local_offer = false;  // our offer was rolled back in glare
    double exchange_since_ms = 0;      // when the exchange under way began
    std::optional<std::string> remote_session;
    std::string last_remote_offer;
    PeerConnectionState media = PeerConnectionState::New;
    double trouble_since_ms = -1;  // media disconnected or failed since, or -1
    double last_restart_ms = -1e18;
    // The polite side's own restart waits until then for the other side's (signaling came back).
    double restart_not_before_ms = -1e18;
    int restarts = 0;        // ICE restarts since the media was last connected
    int frozen_repairs = 0;  // connections to this member replaced for a frozen picture
    int stalls = 0;          // exchanges with this member started over in a row for stalling
    double last_frozen_repair_ms = -1e18;
    bool signaling_lost = false;  // its WebSocket is gone; it can send us nothing more
    bool remote_description_set = false;
    std::vector<IceCandidate> early_candidates;  // remote, waiting for the remote description
  };

  Actions on_frame(const Joined& frame);
  Actions on_frame(const NewParticipant& frame);
  Actions on_frame(const ParticipantResumed& frame);
  Actions on_frame(const ParticipantUpdated& frame);
  Actions on_frame(const ParticipantLeft& frame);
  Actions on_frame(const RoomLocked& frame);
  Actions on_frame(const ErrorFrame& frame);
  Actions on_frame(const Pong& frame);
  Actions rejoin_when_forgotten(const ErrorFrame& frame);
  Actions on_frame(const SignalMessage& message);
  void on_offer(Peer& peer, std::string sdp, Actions& out);
  void on_answer(Peer& peer, std::string sdp, Actions& out);
  void on_candidate(Peer& peer, IceCandidate candidate, Actions& out);

  // Whether a new peer makes an offer: when this side offers first (Usual), whatever the roles
  // (Always: it replaces a connection the other side must hear about), or not at all (Never: an
  // offer from the other side is in hand).
  enum class FirstOffer { Usual, Always, Never };
  // Makes a peer and its connection.
  Peer& add_peer(const Participant& who, bool we_were_first, FirstOffer first_offer, Actions& out);
  // A member we know came back on `who`'s connection: keep its tile, repair what was lost.
  // Returns the peer, which is a new one when the connection had to be replaced.
  Peer& restore(Peer& peer, const Participant& who, Actions& out);
  // Replaces the peer's connection with a fresh one.
  Peer& start_over(Peer& peer, FirstOffer first_offer, Actions& out);
  void offer(Peer& peer, bool ice_restart, Actions& out);
  void restart_ice(Peer& peer, Actions& out);
  void send_join(Actions& out);
  protocol::JoinRoom join_frame() const;
  void became_stable(Peer& peer, Actions& out);
  void send(const Peer& peer, SignalBody body, Actions& out) const;
  void apply_early_candidates(Peer& peer, Actions& out);
  void close_peer(PeerKey key, Actions& out);
  void close_all(Actions& out);
  void update_send_limits(Actions& out) const;
  bool can_signal(const Peer& peer) const;
  bool may_restart(const Peer& peer) const;
  // An exchange that has run past kNegotiationTimeoutMs and may be started over.
  bool negotiation_stalled(const Peer& peer) const;
  // Whether the peer's trouble has lasted long enough for this side to restart ICE.
  bool restart_due(const Peer& peer) const;

  Peer* find_peer(PeerKey key);
  Peer* find_peer(const protocol::ConnectionId& connection_id);
  Peer* find_peer_by_id(const std::optional<std::string>& peer_id);
  Peer* find_sender(const SignalMessage& message, bool& ambiguous);

  std::string own_peer_id_;
  std::optional<protocol::RoomId> room_;
  std::string own_name_;
  std::string passcode_;
  bool locked_ = false;
  bool has_passcode_ = false;
  bool online_ = false;                                      // the WebSocket is open
  std::optional<protocol::ConnectionId> own_connection_id_;  // set by `joined`
  std::optional<std::string> resume_token_;
  std::optional<double> rejoin_at_ms_;
  // When to ask for fresh relay credentials (before those of the last `joined` expire), and
  // whether the `joined` awaited answers that.
  std::optional<double> relay_renew_at_ms_;
  bool renewing_relay_ = false;
  // Peers made or restored since our last joinRoom went out (see send_join).
  std::set<PeerKey> met_since_join_;
  double now_ms_ = 0;
  std::map<PeerKey, Peer> peers_;
  std::uint32_t next_key_ = 1;
  // Members met in this room: meeting one again means its side may hold a stale connection to us.
  std::set<std::string> met_peer_ids_;
  // Remote candidates that arrived before the offer that makes their peer, oldest first.
  struct UnclaimedCandidate {
    protocol::ConnectionId from;
    IceCandidate candidate;
  };
  std::vector<UnclaimedCandidate> unclaimed_candidates_;
};

}  // namespace videochat::client
