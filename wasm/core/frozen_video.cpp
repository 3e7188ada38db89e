#include "frozen_video.hpp"

namespace videochat::client {

bool FrozenVideoWatch::observe(double now_ms, double decoded, double shown, bool watching) {
  if (last_decoded_) {
    // A counter that went down was restarted: everything it now says is new.
    decoded_since_ += decoded >= *last_decoded_ ? decoded - *last_decoded_ : decoded;
  }
  last_decoded_ = decoded;
  const bool paused = now_ms - last_observed_ms_ > kMaxObservationGapMs;
  last_observed_ms_ = now_ms;
  if (!watching || paused || !since_ || shown != since_->shown) {
    since_ = Since{now_ms, shown};
    decoded_since_ = 0;
    return false;
  }
  if (now_ms - since_->at_ms < kFrozenVideoMs || decoded_since_ < kFrozenVideoDecodedFrames) {
    return false;
  }
  since_ = Since{now_ms, shown};
  decoded_since_ = 0;
  return true;
}

}  // namespace videochat::client
