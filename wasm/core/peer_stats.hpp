// What the client knows of a peer connection from its last getStats() report, as the page's
// summary of it (browser/bridge.js, vc_stats_summary) says: what arrives, how the link is doing,
// and the two DTLS certificates (for the safety code). Counters are cumulative, as the browser
// gives them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace videochat::client {

struct Certificate {
  std::string algorithm;    // "sha-256"
  std::string fingerprint;  // colon-separated hex
  bool operator==(const Certificate&) const = default;
};

struct PeerStats {
  double at_ms = 0;                 // the report's timestamp
  double video_frames_decoded = 0;  // the camera's, not a shared screen's
  double audio_packets_received = 0;
  double audio_energy = 0;      // totalAudioEnergy: rises only while the peer's audio is not silent
  double audio_duration = 0;    // totalSamplesDuration, seconds
  double packets_received = 0;  // audio and video
  double packets_lost = 0;
  double bytes_received = 0;
  std::optional<double> round_trip_ms;
  std::optional<double> available_outgoing_bps;
  std::string video_codec;  // "video/VP8"
  double frame_width = 0, frame_height = 0, frames_per_second = 0;
  std::string local_candidate_type, remote_candidate_type;  // "host", "srflx", "prflx", "relay"
  std::optional<Certificate> local_certificate, remote_certificate;
  // Our own microphone as sent (media-source): the same on every connection.
  double own_audio_energy = 0;
  double own_audio_duration = 0;
  bool operator==(const PeerStats&) const = default;
};

// The summary's JSON text; fields missing or of the wrong type read as absent (zero).
PeerStats parse_peer_stats(std::string_view json_text);

}  // namespace videochat::client
