// How much video a mesh client sends to each peer. Every peer gets its own encoding of the camera,
// so the uplink is shared n-1 ways: each stream's bitrate and resolution go down as peers join, so
// that a 6-way call (5 streams out) fits a 5 Mbit/s uplink.
#pragma once

#include <cstddef>
#include <cstdint>

namespace videochat::client {

// The uplink a call is sized for, and what is kept back from it for audio (Opus at up to about
// 40 kbit/s per peer), RTCP and headroom for congestion control to probe.
inline constexpr std::uint32_t kUplinkBudgetBps = 5'000'000;
inline constexpr std::uint32_t kAudioAllowanceBps = 40'000;
inline constexpr double kHeadroom = 0.9;
// No single stream needs more than this (720p30 looks good at 2.5 Mbit/s).
inline constexpr std::uint32_t kMaxStreamBps = 2'500'000;

struct SendLimits {
  std::uint32_t max_video_bitrate_bps = kMaxStreamBps;
  double scale_resolution_down_by = 1;  // 1 = the camera's resolution, 2 = half in each direction
  friend bool operator==(const SendLimits&, const SendLimits&) = default;
};

// The limits for each of `remote_peers` streams (0 reads as 1).
SendLimits send_limits_for(std::size_t remote_peers);

// While a screen is shared, the video budget for a peer (`per_peer`) is split: the screen gets
// three quarters at full resolution (text must stay legible: the encoder drops frames rather than
// pixels), the camera the rest, scaled down to fit.
struct ScreenShareLimits {
  SendLimits camera;
  std::uint32_t screen_max_bitrate_bps = 0;
  friend bool operator==(const ScreenShareLimits&, const ScreenShareLimits&) = default;
};
ScreenShareLimits split_for_screen(SendLimits per_peer);

}  // namespace videochat::client
