#include "send_limits.hpp"

#include <algorithm>

namespace videochat::client {

SendLimits send_limits_for(std::size_t remote_peers) {
  const double peers = static_cast<double>(std::max<std::size_t>(remote_peers, 1));
  const double per_stream = kUplinkBudgetBps * kHeadroom / peers - kAudioAllowanceBps;
  SendLimits limits;
  limits.max_video_bitrate_bps =
      static_cast<std::uint32_t>(std::clamp(per_stream, 100'000.0, double(kMaxStreamBps)));
  // Fewer pixels for fewer bits: encoders spend a small budget better on a smaller picture than
  // on a blocky large one (roughly 720p above 1.5 Mbit/s, 480p above 0.8, 360p above 0.4).
  const auto bps = limits.max_video_bitrate_bps;
  limits.scale_resolution_down_by = bps >= 1'500'000 ? 1.0
                                    : bps >= 800'000 ? 1.5
                                    : bps >= 400'000 ? 2.0
                                                     : 3.0;
  return limits;
}

}  // namespace videochat::client
