// The page's summary of a getStats() report, as the client reads it: every field it shows, and
// nothing invented when the browser said nothing.
#include "peer_stats.hpp"

#include <doctest/doctest.h>

using videochat::client::Certificate;
using videochat::client::parse_peer_stats;

TEST_CASE("a full summary is read field by field") {
  const auto stats = parse_peer_stats(R"({
    "at": 1000.5, "framesDecoded": 300, "audioPackets": 500, "audioEnergy": 0.25,
    "audioDuration": 10, "packetsReceived": 900, "packetsLost": 9, "bytesReceived": 123456,
    "rttMs": 42, "availableOutgoingBps": 2500000, "videoCodec": "video/VP8",
    "frameWidth": 640, "frameHeight": 480, "fps": 30,
    "localCandidateType": "host", "remoteCandidateType": "relay",
    "localCertificate": {"algorithm": "sha-256", "fingerprint": "AB:CD"},
    "remoteCertificate": {"algorithm": "sha-256", "fingerprint": "01:02"}})");
  CHECK(stats.at_ms == 1000.5);
  CHECK(stats.video_frames_decoded == 300);
  CHECK(stats.audio_duration == 10);
  CHECK(stats.packets_lost == 9);
  CHECK(stats.round_trip_ms == 42);
  CHECK(stats.available_outgoing_bps == 2500000);
  CHECK(stats.video_codec == "video/VP8");
  CHECK(stats.frame_width == 640);
  CHECK(stats.frames_per_second == 30);
  CHECK(stats.remote_candidate_type == "relay");
  CHECK(stats.local_certificate == Certificate{"sha-256", "AB:CD"});
  CHECK(stats.remote_certificate == Certificate{"sha-256", "01:02"});
}

TEST_CASE("what the browser did not report stays absent, and bad JSON reads as nothing") {
  const auto stats = parse_peer_stats(R"({"framesDecoded": "many", "localCertificate": {}})");
  CHECK(stats.video_frames_decoded == 0);
  CHECK_FALSE(stats.round_trip_ms);
  CHECK_FALSE(stats.local_certificate);
  CHECK(parse_peer_stats("not json") == videochat::client::PeerStats{});
}
