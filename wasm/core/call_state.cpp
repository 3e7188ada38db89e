#include "call_state.hpp"

namespace videochat::client {

std::string_view to_string(NegotiationPhase phase) {
  switch (phase) {
    case NegotiationPhase::AwaitingOffer:
      return "awaiting offer";
    case NegotiationPhase::CreatingOffer:
      return "creating offer";
    case NegotiationPhase::AwaitingAnswer:
      return "awaiting answer";
    case NegotiationPhase::ApplyingAnswer:
      return "applying answer";
    case NegotiationPhase::ApplyingOffer:
      return "applying offer";
    case NegotiationPhase::CreatingAnswer:
      return "creating answer";
    case NegotiationPhase::Stable:
      return "stable";
  }
  return "stable";
}

std::string_view to_string(PeerConnectionState state) {
  switch (state) {
    case PeerConnectionState::New:
      return "new";
    case PeerConnectionState::Connecting:
      return "connecting";
    case PeerConnectionState::Connected:
      return "connected";
    case PeerConnectionState::Disconnected:
      return "disconnected";
    case PeerConnectionState::Failed:
      return "failed";
    case PeerConnectionState::Closed:
      return "closed";
  }
  return "closed";
}

std::optional<PeerConnectionState> parse_peer_connection_state(std::string_view text) {
  for (auto state : {PeerConnectionState::New, PeerConnectionState::Connecting,
                     PeerConnectionState::Connected, PeerConnectionState::Disconnected,
                     PeerConnectionState::Failed, PeerConnectionState::Closed}) {
    if (text == to_string(state)) return state;
  }
  return std::nullopt;
}

std::string_view to_string(ConnectionState state) {
  switch (state) {
    case ConnectionState::Connecting:
      return "connecting";
    case ConnectionState::Connected:
      return "connected";
    case ConnectionState::SignalingLost:
      return "signaling lost";
    case ConnectionState::Reconnecting:
      return "reconnecting";
    case ConnectionState::Failed:
      return "failed";
  }
  return "failed";
}

}  // namespace videochat::client
