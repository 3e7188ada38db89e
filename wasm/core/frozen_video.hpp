// Finds a peer's video that stopped reaching the screen while its frames still arrive and decode.
// Chromium can leave a remote video track cut off from its decoder after a rolled-back offer (the
// polite side of crossing offers): getStats() shows frames decoded, the <video> element shows none
// from then on, and no renegotiation on that connection brings the picture back. Only a new
// connection does, so the client replaces one whose video stays frozen like this.
#pragma once

#include <optional>

namespace videochat::client {

// How long frames must keep decoding with none shown before a video counts as frozen, and how
// many: a stream that merely paused (camera off, network hiccup) decodes nothing meanwhile.
inline constexpr double kFrozenVideoMs = 4000;
inline constexpr double kFrozenVideoDecodedFrames = 30;
// Observations further apart than this mean the page's loop was paused (a hidden tab draws
// nothing): the watch starts over rather than count the pause as a freeze.
inline constexpr double kMaxObservationGapMs = 3000;

// One peer's video, observed over time. Pure: the caller reads the counters and the clock.
class FrozenVideoWatch {
 public:
  // `decoded` is getStats()' framesDecoded for the peer (it restarts from 0 when the browser
  // recreates its receive stream), `shown` the frames its element presented. `watching` is false
  // while nothing should be shown (the page is hidden): the watch then starts over.
  // True once the video has been frozen long enough; the watch then starts over, so a caller that
  // acts on it is told again only after another full period.
  bool observe(double now_ms, double decoded, double shown, bool watching);

 private:
  struct Since {
    double at_ms;
    double shown;
  };
  std::optional<Since> since_;  // when `shown` last moved, and to what
  double decoded_since_ = 0;    // frames decoded since then
  std::optional<double> last_decoded_;
  double last_observed_ms_ = 0;
};

}  // namespace videochat::client
