#include "first_picture.hpp"

namespace videochat::client {

void FirstPictureWait::observe(const std::vector<PeerSnapshot>& peers, double now_ms) {
  std::map<PeerKey, double> still;
  for (const auto& peer : peers) {
    if (peer.state != ConnectionState::Connected) continue;
    auto it = connected_at_ms_.find(peer.key);
    still[peer.key] = it == connected_at_ms_.end() ? now_ms : it->second;
  }
  connected_at_ms_ = std::move(still);
}

bool FirstPictureWait::waiting(PeerKey peer, double now_ms) const {
  auto it = connected_at_ms_.find(peer);
  return it != connected_at_ms_.end() && now_ms - it->second < kFirstPictureGraceMs;
}

}  // namespace videochat::client
