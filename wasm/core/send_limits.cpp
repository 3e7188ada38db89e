#include "send_limits.hpp"

#include <algorithm>

namespace videochat::client {

namespace {

constexpr double kMinStreamBps = 100'000;

// Fewer pixels for fewer bits: encoders spend a small budget better on a smaller picture than on a
// blocky large one (roughly 720p above 1.5 Mbit/s, 480p above 0.8, 360p above 0.4).
SendLimits camera_limits(double bps) {
  SendLimits limits;
  limits.max_video_bitrate_bps =
      static_cast<std::uint32_t>(std::clamp(bps, kMinStreamBps, double(kMaxStreamBps)));
  const auto kept = limits.max_video_bitrate_bps;
  limits.scale_resolution_down_by = kept >= 1'500'000 ? 1.0
                                    : kept >= 800'000 ? 1.5
                                    : kept >= 400'000 ? 2.0
                                                      : 3.0;
  return limits;
}

}  // namespace

SendLimits send_limits_for(std::size_t remote_peers) {
  const double peers = static_cast<double>(std::max<std::size_t>(remote_peers, 1));
  return camera_limits(kUplinkBudgetBps * kHeadroom / peers - kAudioAllowanceBps);
}

ScreenShareLimits split_for_screen(SendLimits per_peer) {
  const double budget = per_peer.max_video_bitrate_bps;
  ScreenShareLimits limits;
  limits.camera = camera_limits(budget / 4);
  limits.screen_max_bitrate_bps = static_cast<std::uint32_t>(std::clamp(
      budget - limits.camera.max_video_bitrate_bps, kMinStreamBps, double(kMaxStreamBps)));
  return limits;
}

}  // namespace videochat::client
