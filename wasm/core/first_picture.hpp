// Whether a tile should still say "Connecting..." after its peer's connection came up. Media
// starts a moment after the connection (the first frame still has to arrive and decode): saying
// "No video" for those 100-300 ms is a flash of something untrue, and on a machine drawing with
// software GL each change of the canvas costs tens of milliseconds when the call starts. So a
// connected peer without a picture counts as connecting for a short grace; only a picture that
// has not come by then is "No video" (a member without a camera, or one that sends nothing).
#pragma once

#include <map>
#include <vector>

#include "call_state.hpp"

namespace videochat::client {

inline constexpr double kFirstPictureGraceMs = 3000;

class FirstPictureWait {
 public:
  // The peers as the call machine has them now: remembers when each became connected, and
  // forgets the ones that left or lost their connection (a new connection waits again).
  void observe(const std::vector<PeerSnapshot>& peers, double now_ms);
  // True while `peer` has been connected for less than the grace.
  bool waiting(PeerKey peer, double now_ms) const;

 private:
  std::map<PeerKey, double> connected_at_ms_;  // when each connected peer connected
};

}  // namespace videochat::client
