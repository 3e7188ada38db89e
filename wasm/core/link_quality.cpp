#include "link_quality.hpp"

#include <algorithm>

namespace videochat::client {

namespace {

// Known grades only: Good < Fair < Poor.
LinkQuality worse(LinkQuality first, LinkQuality second) {
  return std::max(first, second);
}

LinkQuality grade(std::optional<double> round_trip_ms, std::optional<double> loss_percent,
                  std::optional<double> available_bps) {
  using Meter = LinkQualityMeter;
  if (!round_trip_ms && !loss_percent && !available_bps) return LinkQuality::Unknown;
  const auto over = [](std::optional<double> value, double limit) {
    return value && *value > limit;
  };
  const auto under = [](std::optional<double> value, double limit) {
    return value && *value < limit;
  };
  if (over(round_trip_ms, Meter::kPoorRoundTripMs) || over(loss_percent, Meter::kPoorLossPercent) ||
      under(available_bps, Meter::kPoorAvailableBps)) {
    return LinkQuality::Poor;
  }
  if (over(round_trip_ms, Meter::kFairRoundTripMs) || over(loss_percent, Meter::kFairLossPercent) ||
      under(available_bps, Meter::kFairAvailableBps)) {
    return LinkQuality::Fair;
  }
  return LinkQuality::Good;
}

}  // namespace

std::string_view to_string(LinkQuality quality) {
  switch (quality) {
    case LinkQuality::Unknown:
      return "unknown";
    case LinkQuality::Good:
      return "good";
    case LinkQuality::Fair:
      return "fair";
    case LinkQuality::Poor:
      return "poor";
  }
  return "unknown";
}

LinkQuality LinkQualityMeter::observe(const LinkSample& sample) {
  const Counters counters{sample.packets_received, std::max(sample.packets_lost, 0.0)};
  if (!window_.empty() && counters.received < window_.back().received) {
    *this = LinkQualityMeter{};  // a new connection: the old one's grade says nothing of it
  }
  window_.push_back(counters);
  if (window_.size() > static_cast<std::size_t>(kWindow) + 1) window_.pop_front();
  round_trip_ms_ = sample.round_trip_ms;
  available_outgoing_bps_ = sample.available_outgoing_bps;

  loss_percent_.reset();
  if (window_.size() < 2) return quality_;
  const double lost = std::max(window_.back().lost - window_.front().lost, 0.0);
  const double received = window_.back().received - window_.front().received;
  if (lost + received > 0) loss_percent_ = 100 * lost / (lost + received);
  show(grade(round_trip_ms_, loss_percent_, available_outgoing_bps_));
  return quality_;
}

void LinkQualityMeter::show(LinkQuality graded) {
  if (graded == LinkQuality::Unknown || graded == quality_) {
    better_run_ = 0;
    return;
  }
  if (quality_ == LinkQuality::Unknown || graded == worse(graded, quality_)) {
    quality_ = graded;
    better_run_ = 0;
    return;
  }
  better_run_least_ = better_run_ == 0 ? graded : worse(better_run_least_, graded);
  if (++better_run_ >= kBetterAfter) {
    quality_ = better_run_least_;
    better_run_ = 0;
  }
}

}  // namespace videochat::client
