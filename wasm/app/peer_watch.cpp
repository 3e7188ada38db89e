#include "peer_watch.hpp"

#include <emscripten/val.h>

#include <tuple>
#include <vector>

#include "js_callback.hpp"

namespace videochat::app {

using client::PeerKey;
using emscripten::val;

void PeerWatch::observe(PeerKey peer, const std::string& peer_id, const client::PeerStats& stats,
                        double now_ms) {
  Watched& watched = peers_[peer];
  watched.peer_id = peer_id;
  if (watched.has_stats) {
    const client::PeerStats& before = watched.stats;
    if (auto level = client::audio_level_between(before.audio_energy, before.audio_duration,
                                                 stats.audio_energy, stats.audio_duration)) {
      watched.speaking.observe(now_ms, *level);
    }
    const double seconds = (stats.at_ms - before.at_ms) / 1000;
    if (seconds > 0 && stats.bytes_received >= before.bytes_received) {
      watched.received_bps = (stats.bytes_received - before.bytes_received) * 8 / seconds;
    }
    // Our own microphone as sent: each connection counts it from when it began sending, so it is
    // read from one connection only (the oldest), its counters against its own.
    if (peer == peers_.begin()->first) {
      if (auto own =
              client::audio_level_between(before.own_audio_energy, before.own_audio_duration,
                                          stats.own_audio_energy, stats.own_audio_duration)) {
        own_.observe(now_ms, *own);
      }
    }
  }
  watched.link.observe({now_ms, stats.round_trip_ms, stats.packets_received, stats.packets_lost,
                        stats.available_outgoing_bps});
  watched.stats = stats;
  watched.has_stats = true;

  std::vector<std::tuple<std::uint32_t, bool, double>> round;
  for (const auto& [key, other] : peers_) {
    round.emplace_back(key.value, other.speaking.speaking(), other.speaking.level());
  }
  active_.observe(now_ms, round);
  compute_safety_code(peer, watched, now_ms);
}

void PeerWatch::compute_safety_code(PeerKey peer, Watched& watched, double now_ms) {
  const auto& local = watched.stats.local_certificate;
  const auto& remote = watched.stats.remote_certificate;
  if (!local || !remote) return;
  auto input = client::safety_code_input(local->algorithm, local->fingerprint, remote->algorithm,
                                         remote->fingerprint);
  const bool unanswered = watched.code.empty() && now_ms - watched.code_asked_ms >= kCodeRetryMs;
  if (!input || (*input == watched.code_input && !unanswered)) return;
  watched.code_input = *input;
  watched.code_asked_ms = now_ms;
  // The browser's SHA-256 (WebCrypto): the client carries no cryptography of its own.
  val bytes = val::global("TextEncoder").new_().call<val>("encode", *input);
  val::global("crypto")["subtle"]
      .call<val>("digest", std::string("SHA-256"), bytes)
      .call<val>("then", browser::once([this, peer, input = *input](val digest) {
                   auto it = peers_.find(peer);
                   if (it == peers_.end() || it->second.code_input != input) return;
                   val array = val::global("Uint8Array").new_(digest);
                   std::vector<std::uint8_t> hash(32);
                   for (int i = 0; i < 32; ++i) hash[i] = array[i].as<std::uint8_t>();
                   it->second.code = client::safety_code_digits(hash);
                   if (!it->second.peer_id.empty()) {
                     codes_.observe(it->second.peer_id, it->second.code);
                   }
                   changed_();
                 }));
}

void PeerWatch::forget(PeerKey peer) {
  peers_.erase(peer);
}

void PeerWatch::reset() {
  peers_.clear();
  active_ = client::ActiveSpeaker();
  own_.reset();
}

bool PeerWatch::speaking(PeerKey peer) const {
  auto it = peers_.find(peer);
  return it != peers_.end() && it->second.speaking.speaking();
}

std::optional<PeerKey> PeerWatch::active_speaker() const {
  auto active = active_.active();
  if (!active) return std::nullopt;
  return PeerKey{*active};
}

client::LinkQuality PeerWatch::quality(PeerKey peer) const {
  auto it = peers_.find(peer);
  return it == peers_.end() ? client::LinkQuality::Unknown : it->second.link.quality();
}

const client::LinkQualityMeter* PeerWatch::link(PeerKey peer) const {
  auto it = peers_.find(peer);
  return it == peers_.end() ? nullptr : &it->second.link;
}

const client::PeerStats* PeerWatch::last_stats(PeerKey peer) const {
  auto it = peers_.find(peer);
  return it == peers_.end() || !it->second.has_stats ? nullptr : &it->second.stats;
}

double PeerWatch::received_bps(PeerKey peer) const {
  auto it = peers_.find(peer);
  return it == peers_.end() ? 0 : it->second.received_bps;
}

std::string PeerWatch::safety_code(PeerKey peer) const {
  auto it = peers_.find(peer);
  return it == peers_.end() ? "" : it->second.code;
}

bool PeerWatch::safety_code_changed(PeerKey peer) const {
  auto it = peers_.find(peer);
  return it != peers_.end() && !it->second.peer_id.empty() && !it->second.code.empty() &&
         codes_.changed(it->second.peer_id);
}

}  // namespace videochat::app
