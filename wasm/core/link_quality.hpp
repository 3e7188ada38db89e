// A link's quality, as the bars on a peer's tile show it: graded from the round trip, the packets
// lost and the bandwidth the browser estimates, from one getStats reading a second. Pure: the
// adapter reads the statistics.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string_view>

namespace videochat::client {

enum class LinkQuality { Unknown, Good, Fair, Poor };
std::string_view to_string(LinkQuality quality);  // "unknown", "good", "fair", "poor"

// One getStats reading for a peer (cumulative counters as the browser gives them; nothing where
// the browser gave nothing).
struct LinkSample {
  double at_ms = 0;
  std::optional<double>
      round_trip_ms;            // the nominated candidate pair's currentRoundTripTime * 1000
  double packets_received = 0;  // inbound-rtp, audio + video
  double packets_lost = 0;  // inbound-rtp, audio + video (can be negative transiently: reads as 0)
  std::optional<double> available_outgoing_bps;  // candidate pair's availableOutgoingBitrate
};

class LinkQualityMeter final {
 public:
  // Poor when the round trip is over 400 ms, more than 8 % of packets are lost or less than
  // 150 kbit/s is available; Fair when over 200 ms, 2 % or under 500 kbit/s; else Good. Each
  // signal counts only when the browser gave it; Unknown until two samples, or with no signal.
  static constexpr double kPoorRoundTripMs = 400, kFairRoundTripMs = 200;
  static constexpr double kPoorLossPercent = 8, kFairLossPercent = 2;
  static constexpr double kPoorAvailableBps = 150'000, kFairAvailableBps = 500'000;
  // Loss is lost / (lost + received) of the counters' growth over the last kWindow intervals
  // between samples. Received packets that went backwards mean a new connection: the meter starts
  // over. Lost packets may dip on their own (late duplicates): only the window's growth counts.
  static constexpr int kWindow = 5;
  // Hysteresis: a worse grade shows at once; a better one only after kBetterAfter consecutive
  // samples say so (then the least good of them shows).
  static constexpr int kBetterAfter = 3;

  // Returns quality().
  LinkQuality observe(const LinkSample& sample);
  LinkQuality quality() const { return quality_; }
  std::optional<double> loss_percent() const { return loss_percent_; }    // over the window
  std::optional<double> round_trip_ms() const { return round_trip_ms_; }  // the last sample's
  std::optional<double> available_outgoing_bps() const { return available_outgoing_bps_; }  // last

 private:
  struct Counters {
    double received = 0;
    double lost = 0;
  };
  void show(LinkQuality graded);

  std::deque<Counters> window_;  // at most kWindow + 1, oldest first
  std::optional<double> loss_percent_;
  std::optional<double> round_trip_ms_;
  std::optional<double> available_outgoing_bps_;
  LinkQuality quality_ = LinkQuality::Unknown;
  int better_run_ = 0;  // consecutive samples graded better than shown
  LinkQuality better_run_least_ = LinkQuality::Unknown;  // the least good of them
};

}  // namespace videochat::client
