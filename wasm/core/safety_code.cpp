#include "safety_code.hpp"

#include <algorithm>
#include <array>

namespace videochat::client {

namespace {

constexpr std::string_view kVersionLine = "videochat safety code 1";
constexpr std::size_t kDigestBytes = 32;
constexpr std::uint64_t kCodeModulus = 1'000'000'000'000'000;  // 10^15: 15 digits
constexpr int kCodeDigits = 15;

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}
char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// "sha-256": lowercase; letters, digits and '-' only, so that it cannot break the line apart.
std::optional<std::string> normalized_algorithm(std::string_view algorithm) {
  if (algorithm.empty()) return std::nullopt;
  std::string normalized;
  for (char c : algorithm) {
    const char l = lower(c);
    if (!((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '-')) return std::nullopt;
    normalized += l;
  }
  return normalized;
}

// "AB:01:…": two hex digits per byte, uppercase, colons between.
std::optional<std::string> normalized_fingerprint(std::string_view fingerprint) {
  if (fingerprint.size() % 3 != 2) return std::nullopt;
  std::string normalized;
  for (std::size_t at = 0; at < fingerprint.size(); ++at) {
    const char c = fingerprint[at];
    if (at % 3 == 2) {
      if (c != ':') return std::nullopt;
      normalized += c;
    } else {
      if (!is_hex(c)) return std::nullopt;
      normalized += upper(c);
    }
  }
  return normalized;
}

std::optional<std::string> certificate_line(std::string_view algorithm,
                                            std::string_view fingerprint) {
  auto normalized_alg = normalized_algorithm(algorithm);
  auto normalized_fp = normalized_fingerprint(fingerprint);
  if (!normalized_alg || !normalized_fp) return std::nullopt;
  return *normalized_alg + ' ' + *normalized_fp;
}

}  // namespace

std::optional<std::string> safety_code_input(std::string_view local_algorithm,
                                             std::string_view local_fingerprint,
                                             std::string_view remote_algorithm,
                                             std::string_view remote_fingerprint) {
  auto local = certificate_line(local_algorithm, local_fingerprint);
  auto remote = certificate_line(remote_algorithm, remote_fingerprint);
  if (!local || !remote) return std::nullopt;
  if (*remote < *local) std::swap(local, remote);
  return std::string(kVersionLine) + '\n' + *local + '\n' + *remote;
}

std::string safety_code_digits(std::span<const std::uint8_t> sha256_digest) {
  if (sha256_digest.size() != kDigestBytes) return "";
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 8; ++i) value = value << 8 | sha256_digest[i];
  value %= kCodeModulus;
  std::array<char, kCodeDigits> digits{};
  for (int i = kCodeDigits - 1; i >= 0; --i) {
    digits[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  std::string code;
  for (int i = 0; i < kCodeDigits; ++i) {
    if (i > 0 && i % 3 == 0) code += ' ';
    code += digits[static_cast<std::size_t>(i)];
  }
  return code;
}

SafetyCodes::Seen SafetyCodes::observe(const std::string& peer_id, const std::string& code) {
  const auto [it, inserted] = shown_.try_emplace(peer_id, Shown{code, false});
  if (inserted) return Seen::First;
  if (it->second.code == code) return Seen::Same;
  it->second = Shown{code, true};
  return Seen::Changed;
}

bool SafetyCodes::changed(const std::string& peer_id) const {
  const auto it = shown_.find(peer_id);
  return it != shown_.end() && it->second.changed;
}

void SafetyCodes::acknowledge(const std::string& peer_id) {
  const auto it = shown_.find(peer_id);
  if (it != shown_.end()) it->second.changed = false;
}

}  // namespace videochat::client
