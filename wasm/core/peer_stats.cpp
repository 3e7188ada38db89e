#include "peer_stats.hpp"

#include <nlohmann/json.hpp>

namespace videochat::client {

namespace {

using nlohmann::json;

double number(const json& object, const char* field) {
  auto it = object.find(field);
  return it != object.end() && it->is_number() ? it->get<double>() : 0.0;
}

std::optional<double> optional_number(const json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::string text(const json& object, const char* field) {
  auto it = object.find(field);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<Certificate> certificate(const json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end() || !it->is_object()) return std::nullopt;
  Certificate found{text(*it, "algorithm"), text(*it, "fingerprint")};
  if (found.algorithm.empty() || found.fingerprint.empty()) return std::nullopt;
  return found;
}

}  // namespace

PeerStats parse_peer_stats(std::string_view json_text) {
  PeerStats stats;
  const json summary = json::parse(json_text, nullptr, false);
  if (!summary.is_object()) return stats;
  stats.at_ms = number(summary, "at");
  stats.video_frames_decoded = number(summary, "framesDecoded");
  stats.audio_packets_received = number(summary, "audioPackets");
  stats.audio_energy = number(summary, "audioEnergy");
  stats.audio_duration = number(summary, "audioDuration");
  stats.packets_received = number(summary, "packetsReceived");
  stats.packets_lost = number(summary, "packetsLost");
  stats.bytes_received = number(summary, "bytesReceived");
  stats.round_trip_ms = optional_number(summary, "rttMs");
  stats.available_outgoing_bps = optional_number(summary, "availableOutgoingBps");
  stats.video_codec = text(summary, "videoCodec");
  stats.frame_width = number(summary, "frameWidth");
  stats.frame_height = number(summary, "frameHeight");
  stats.frames_per_second = number(summary, "fps");
  stats.local_candidate_type = text(summary, "localCandidateType");
  stats.remote_candidate_type = text(summary, "remoteCandidateType");
  stats.local_certificate = certificate(summary, "localCertificate");
  stats.remote_certificate = certificate(summary, "remoteCertificate");
  stats.own_audio_energy = number(summary, "ownAudioEnergy");
  stats.own_audio_duration = number(summary, "ownAudioDuration");
  return stats;
}

}  // namespace videochat::client
