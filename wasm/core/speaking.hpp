// Who is speaking, from audio levels: a tile's speaking ring and the active speaker a layout puts
// first. Pure: the adapter reads the levels (getStats for peers, an analyser for the microphone)
// and the clock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <tuple>
#include <vector>

namespace videochat::client {

// RMS audio level 0..1 over the interval between two cumulative getStats readings:
// totalAudioEnergy is the sum of level^2 * seconds, totalSamplesDuration the seconds. Nothing when
// the duration did not grow, a counter went backwards (a new connection), or a reading is negative
// (a placeholder for none).
std::optional<double> audio_level_between(double energy_before, double duration_before,
                                          double energy_after, double duration_after);

// One voice, speaking or not. Starting needs a clear level; stopping needs a quiet stretch, so
// that the pauses between words do not make a tile's ring flicker.
class SpeakingDetector final {
 public:
  // Starts speaking at or above kOnLevel (about -30 dBFS), and stops only after kOffHoldMs below
  // kOffLevel: hysteresis, so that a voice between the two neither starts nor stops.
  static constexpr double kOnLevel = 0.03;
  static constexpr double kOffLevel = 0.015;
  static constexpr double kOffHoldMs = 1200;

  // One level sample (from audio_level_between, or a WebAudio analyser's RMS; a level that is not
  // a number reads as silence). Returns speaking().
  bool observe(double now_ms, double level);
  bool speaking() const { return speaking_since_.has_value(); }
  double level() const { return level_; }  // the last sample
  // How long the current stretch of speaking has lasted (0 when not speaking).
  double speaking_for_ms(double now_ms) const;
  void reset();

 private:
  std::optional<double> speaking_since_;
  std::optional<double> quiet_since_;  // while speaking: the first of the samples below kOffLevel
  double level_ = 0;
};

// The active speaker among peers (by an integer key): the loudest of those speaking. It stays
// active until another has been speaking while it was not for kSwitchAfterMs, so cross-talk does
// not make a layout ping-pong, and none is active once nobody has spoken for kQuietAfterMs.
class ActiveSpeaker final {
 public:
  static constexpr double kSwitchAfterMs = 1000;
  static constexpr double kQuietAfterMs = 3000;

  // One round of samples: each peer's key, speaking and level at now_ms (one entry per peer).
  // Peers absent from a round are gone: an active one that is gone is active no longer.
  void observe(double now_ms, const std::vector<std::tuple<std::uint32_t, bool, double>>& peers);
  std::optional<std::uint32_t> active() const { return active_; }

 private:
  std::optional<std::uint32_t> active_;
  std::optional<double> last_spoken_ms_;  // the last round in which anybody was speaking
  // Peers speaking while the active one is not, and since when (without a break).
  std::map<std::uint32_t, double> challenging_since_;
};

}  // namespace videochat::client
