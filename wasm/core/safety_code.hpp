// The safety code: digits two people compare by voice to know that nobody, not even the signaling
// server, is in the middle of their connection. Both ends derive it from the two DTLS certificate
// fingerprints of the connection, which a man in the middle cannot make match on both sides.
// Pure: the browser computes the SHA-256 (WebCrypto); this builds what it hashes and reads the
// digits from the digest.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace videochat::client {

// The text hashed: both DTLS certificate fingerprints (as getStats' certificate stats report them:
// algorithm e.g. "sha-256", fingerprint as colon-separated hex), normalized (algorithm lowercase,
// fingerprint uppercase hex with colons), the two "algorithm fingerprint" lines sorted so that
// both ends build the same text, after a version line "videochat safety code 1", joined with "\n"
// (no newline at the end). Nothing when a fingerprint is not colon-separated hex bytes, or an
// algorithm is empty or holds anything but letters, digits and '-'.
std::optional<std::string> safety_code_input(std::string_view local_algorithm,
                                             std::string_view local_fingerprint,
                                             std::string_view remote_algorithm,
                                             std::string_view remote_fingerprint);

// The code from the SHA-256 of that text: the first 8 bytes as a big-endian integer, mod 10^15, as
// 15 decimal digits (leading zeros kept) in five groups of three separated by spaces:
// "048 512 993 104 027". About 49.8 bits: a man in the middle who picks its certificate after
// seeing one side's must try some 2^49 certificates to match. "" unless the digest is 32 bytes.
std::string safety_code_digits(std::span<const std::uint8_t> sha256_digest);

// Remembers, per peer id, the code last shown, so that a changed code (a new certificate on either
// side) is flagged: certificates stay the same for a page's life, so a change deserves a look.
class SafetyCodes final {
 public:
  enum class Seen { First, Same, Changed };
  Seen observe(const std::string& peer_id, const std::string& code);
  // Whether the peer's current code differs from one shown before (until acknowledge()).
  bool changed(const std::string& peer_id) const;
  void acknowledge(const std::string& peer_id);

 private:
  struct Shown {
    std::string code;
    bool changed = false;
  };
  std::map<std::string, Shown> shown_;
};

}  // namespace videochat::client
