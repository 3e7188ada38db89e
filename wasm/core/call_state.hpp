// What the call looks like at one moment, for the UI to draw: the room, and for each remote peer
// how far the offer/answer exchange has come and a connection state a person understands.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identifiers.hpp"

namespace videochat::client {

// The client's own handle on a peer connection. A newcomer learns of the member already in the
// room only through its offer, so the remote connection id may be unknown when the peer is made.
// Keys are never reused, so a late event for a closed peer cannot reach a new one.
struct PeerKey {
  std::uint32_t value = 0;
  friend bool operator==(const PeerKey&, const PeerKey&) = default;
  friend auto operator<=>(const PeerKey&, const PeerKey&) = default;
};

// Where a peer stands in the offer/answer exchange. The offerer goes CreatingOffer ->
// AwaitingAnswer -> ApplyingAnswer -> Stable; the answerer AwaitingOffer -> ApplyingOffer ->
// CreatingAnswer -> Stable. A renegotiation (an ICE restart) starts again from Stable.
enum class NegotiationPhase {
  AwaitingOffer,   // nothing exchanged yet: the other side makes the first offer
  CreatingOffer,   // CreateOffer asked for; waiting for the local offer
  AwaitingAnswer,  // our offer is sent
  ApplyingAnswer,  // the remote answer is being set as remote description
  ApplyingOffer,   // the remote offer is being set as remote description
  CreatingAnswer,  // CreateAnswer asked for; waiting for the local answer
  Stable,          // both descriptions are set
};
std::string_view to_string(NegotiationPhase phase);  // "creating offer", "stable", ...

// RTCPeerConnection.connectionState, as the browser reports it.
enum class PeerConnectionState { New, Connecting, Connected, Disconnected, Failed, Closed };
std::string_view to_string(PeerConnectionState state);  // the browser's names: "new", ...
std::optional<PeerConnectionState> parse_peer_connection_state(std::string_view text);

// The state shown on a peer's tile.
enum class ConnectionState {
  Connecting,     // media not flowing yet
  Connected,      // media flowing
  SignalingLost,  // the peer dropped off the signaling server; its media may still flow
  Reconnecting,   // media interrupted; ICE is trying to recover
  Failed,         // media failed and cannot recover by itself
};
std::string_view to_string(ConnectionState state);  // "connecting", "signaling lost", ...

struct PeerSnapshot {
  PeerKey key;
  std::optional<protocol::ConnectionId> connection_id;
  NegotiationPhase phase;
  ConnectionState state;
  std::optional<std::string> peer_id;  // absent for a client of the tutorial's format
  std::optional<std::string> name;
  bool polite = false;  // in glare, this side gives way
  friend bool operator==(const PeerSnapshot&, const PeerSnapshot&) = default;
};

struct CallSnapshot {
  std::optional<protocol::RoomId> room;  // none before join() and after leave()
  std::string own_name;
  std::string own_peer_id;
  // What the server calls us, since its last `joined`; none while signaling is down.
  std::optional<protocol::ConnectionId> own_connection_id;
  std::vector<PeerSnapshot> peers;  // in the order the peers were made
  bool locked = false;        // the room, as the server last said
  bool has_passcode = false;  // ... and whether it asks joiners for a passcode
  friend bool operator==(const CallSnapshot&, const CallSnapshot&) = default;
};

}  // namespace videochat::client
