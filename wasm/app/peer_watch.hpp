// What the client reads from each peer's statistics, once a second: who is speaking (and who
// speaks most), how good each link is, and each pair's safety code. Our own voice is watched too:
// for the "you are muted" hint and for lowering a raised hand.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "call_state.hpp"
#include "link_quality.hpp"
#include "peer_stats.hpp"
#include "safety_code.hpp"
#include "speaking.hpp"

namespace videochat::app {

class PeerWatch final {
 public:
  // `changed`: something a view shows changed (a code arrived asynchronously).
  explicit PeerWatch(std::function<void()> changed) : changed_(std::move(changed)) {}

  // A peer's statistics arrived. `peer_id` names the member across connections (a changed safety
  // code is flagged per member); empty for a client of the tutorial's format.
  void observe(client::PeerKey peer, const std::string& peer_id, const client::PeerStats& stats,
               double now_ms);
  void forget(client::PeerKey peer);
  // Everything: the call is over.
  void reset();

  bool speaking(client::PeerKey peer) const;
  std::optional<client::PeerKey> active_speaker() const;
  client::LinkQuality quality(client::PeerKey peer) const;
  const client::LinkQualityMeter* link(client::PeerKey peer) const;
  const client::PeerStats* last_stats(client::PeerKey peer) const;
  // Received bit rate over the last second, bits/s (0 until two readings).
  double received_bps(client::PeerKey peer) const;
  // 15 digits in groups of three, or "" until both certificates are known.
  std::string safety_code(client::PeerKey peer) const;
  // The member's code is not the one shown before (a new certificate on either side).
  bool safety_code_changed(client::PeerKey peer) const;

  // Our own voice's level (0..1), from the microphone as sent, or from the page while muted.
  void observe_own_level(double now_ms, double level) { own_.observe(now_ms, level); }
  bool own_speaking() const { return own_.speaking(); }
  double own_speaking_for_ms(double now_ms) const { return own_.speaking_for_ms(now_ms); }

 private:
  struct Watched {
    std::string peer_id;
    client::PeerStats stats;
    bool has_stats = false;
    double received_bps = 0;
    client::SpeakingDetector speaking;
    client::LinkQualityMeter link;
    std::string code_input;  // what the code was (or is being) computed from
    std::string code;
    double code_asked_ms = 0;  // when the browser was last asked for the digest
  };
  // A digest not back this long after it was asked for is asked for again (once seen: a pair
  // whose code never came, on a busy machine).
  static constexpr double kCodeRetryMs = 3000;
  void compute_safety_code(client::PeerKey peer, Watched& watched, double now_ms);

  std::function<void()> changed_;
  std::map<client::PeerKey, Watched> peers_;
  client::ActiveSpeaker active_;
  client::SafetyCodes codes_;
  client::SpeakingDetector own_;
};

}  // namespace videochat::app
