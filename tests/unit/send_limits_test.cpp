// How much video a mesh client sends to each peer: the uplink is shared among the streams, so each
// stream's bitrate and resolution go down as the room fills, and a full room still fits.
#include "send_limits.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

using videochat::client::kAudioAllowanceBps;
using videochat::client::kMaxStreamBps;
using videochat::client::kUplinkBudgetBps;
using videochat::client::send_limits_for;
using videochat::client::SendLimits;
using videochat::client::split_for_screen;

// A room holds six members: five other members at most.
constexpr std::size_t kMostRemotePeers = 5;

}  // namespace

namespace doctest {
template <>
struct StringMaker<SendLimits> {
  static String convert(const SendLimits& limits) {
    return (std::to_string(limits.max_video_bitrate_bps) + " bps, scale down by " +
            std::to_string(limits.scale_resolution_down_by))
        .c_str();
  }
};
}  // namespace doctest

TEST_SUITE("send limits") {
  TEST_CASE("a 1:1 call sends the camera's full resolution at the stream cap") {
    CHECK(send_limits_for(1) == SendLimits{kMaxStreamBps, 1.0});
  }

  TEST_CASE("no peers reads as one peer") {
    CHECK(send_limits_for(0) == send_limits_for(1));
  }

  TEST_CASE("each size of room gets its own bitrate and resolution") {
    // 90% of 5 Mbit/s shared among the streams, less 40 kbit/s of audio each, at most 2.5 Mbit/s;
    // below 1.5 Mbit/s the picture is scaled down.
    CHECK(send_limits_for(2) == SendLimits{2'210'000, 1.0});
    CHECK(send_limits_for(3) == SendLimits{1'460'000, 1.5});
    CHECK(send_limits_for(4) == SendLimits{1'085'000, 1.5});
    CHECK(send_limits_for(5) == SendLimits{860'000, 1.5});
  }

  TEST_CASE("a full room's streams and their audio fit the uplink budget") {
    for (std::size_t peers = 1; peers <= kMostRemotePeers; ++peers) {
      CAPTURE(peers);
      const std::uint64_t video = send_limits_for(peers).max_video_bitrate_bps;
      CHECK(peers * (video + kAudioAllowanceBps) <= kUplinkBudgetBps);
    }
  }

  TEST_CASE("more peers never means more bits or more pixels per stream") {
    for (std::size_t peers = 1; peers < 64; ++peers) {
      CAPTURE(peers);
      const SendLimits fewer = send_limits_for(peers);
      const SendLimits more = send_limits_for(peers + 1);
      CHECK(more.max_video_bitrate_bps <= fewer.max_video_bitrate_bps);
      CHECK(more.scale_resolution_down_by >= fewer.scale_resolution_down_by);
    }
  }

  TEST_CASE("a stream never drops below a watchable floor, at a third of the resolution") {
    CHECK(send_limits_for(1000) == SendLimits{100'000, 3.0});
  }

  TEST_CASE("a shared screen gets most of a peer's budget, and the two stay within it") {
    for (std::size_t peers = 1; peers <= kMostRemotePeers; ++peers) {
      CAPTURE(peers);
      const SendLimits budget = send_limits_for(peers);
      const auto split = split_for_screen(budget);
      CHECK(split.screen_max_bitrate_bps > split.camera.max_video_bitrate_bps);
      CHECK(split.screen_max_bitrate_bps + split.camera.max_video_bitrate_bps <=
            budget.max_video_bitrate_bps);
      CHECK(split.camera.scale_resolution_down_by >= budget.scale_resolution_down_by);
    }
  }

  TEST_CASE("in a 1:1 call the screen gets three quarters and the camera a quarter at half size") {
    const auto split = split_for_screen(send_limits_for(1));
    CHECK(split.camera == SendLimits{kMaxStreamBps / 4, 2.0});
    CHECK(split.screen_max_bitrate_bps == kMaxStreamBps - kMaxStreamBps / 4);
  }
}
