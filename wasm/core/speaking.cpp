#include "speaking.hpp"

#include <algorithm>
#include <cmath>

namespace videochat::client {

namespace {

using PeerLevel = std::tuple<std::uint32_t, bool, double>;

// The loudest of the peers speaking that `eligible` accepts (on a tie, the smallest key, so that
// every round decides alike).
template <typename Eligible>
std::optional<std::uint32_t> loudest_speaking(const std::vector<PeerLevel>& peers,
                                              Eligible eligible) {
  std::optional<PeerLevel> loudest;
  for (const PeerLevel& peer : peers) {
    const auto& [key, speaking, level] = peer;
    if (!speaking || !eligible(key)) continue;
    if (!loudest || level > std::get<2>(*loudest) ||
        (level == std::get<2>(*loudest) && key < std::get<0>(*loudest))) {
      loudest = peer;
    }
  }
  if (!loudest) return std::nullopt;
  return std::get<0>(*loudest);
}

}  // namespace

std::optional<double> audio_level_between(double energy_before, double duration_before,
                                          double energy_after, double duration_after) {
  const double seconds = duration_after - duration_before;
  const double energy = energy_after - energy_before;
  // Cumulative counters are never negative: one that is was never read (a placeholder).
  if (!(energy_before >= 0) || !(duration_before >= 0) || !(seconds > 0) || !(energy >= 0) ||
      !std::isfinite(seconds) || !std::isfinite(energy)) {
    return std::nullopt;
  }
  return std::min(std::sqrt(energy / seconds), 1.0);
}

bool SpeakingDetector::observe(double now_ms, double level) {
  level_ = std::isnan(level) ? 0 : level;
  if (!speaking_since_) {
    if (level_ >= kOnLevel) speaking_since_ = now_ms;
    return speaking();
  }
  if (level_ >= kOffLevel) {
    quiet_since_.reset();
  } else if (!quiet_since_) {
    quiet_since_ = now_ms;
  } else if (now_ms - *quiet_since_ >= kOffHoldMs) {
    speaking_since_.reset();
    quiet_since_.reset();
  }
  return speaking();
}

double SpeakingDetector::speaking_for_ms(double now_ms) const {
  return speaking_since_ ? std::max(now_ms - *speaking_since_, 0.0) : 0;
}

void SpeakingDetector::reset() {
  *this = SpeakingDetector{};
}

void ActiveSpeaker::observe(double now_ms, const std::vector<PeerLevel>& peers) {
  const auto present = [&](std::uint32_t key) {
    return std::any_of(peers.begin(), peers.end(),
                       [&](const PeerLevel& peer) { return std::get<0>(peer) == key; });
  };
  const auto speaking = [&](std::uint32_t key) {
    return std::any_of(peers.begin(), peers.end(), [&](const PeerLevel& peer) {
      return std::get<0>(peer) == key && std::get<1>(peer);
    });
  };

  if (active_ && !present(*active_)) active_.reset();
  if (std::any_of(peers.begin(), peers.end(), [](const PeerLevel& p) { return std::get<1>(p); })) {
    last_spoken_ms_ = now_ms;
  }
  if (!last_spoken_ms_ || now_ms - *last_spoken_ms_ >= kQuietAfterMs) active_.reset();

  if (!active_) {
    active_ = loudest_speaking(peers, [](std::uint32_t) { return true; });
    challenging_since_.clear();
    return;
  }
  if (speaking(*active_)) {
    // Cross-talk: nobody gains on the active speaker while it is still speaking.
    challenging_since_.clear();
    return;
  }
  for (auto it = challenging_since_.begin(); it != challenging_since_.end();) {
    it = speaking(it->first) ? std::next(it) : challenging_since_.erase(it);
  }
  for (const auto& [key, is_speaking, level] : peers) {
    if (is_speaking) challenging_since_.try_emplace(key, now_ms);
  }
  const auto next = loudest_speaking(peers, [&](std::uint32_t key) {
    const auto since = challenging_since_.find(key);
    return since != challenging_since_.end() && now_ms - since->second >= kSwitchAfterMs;
  });
  if (next) {
    active_ = next;
    challenging_since_.clear();
  }
}

}  // namespace videochat::client
