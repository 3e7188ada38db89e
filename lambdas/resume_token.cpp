#include "resume_token.hpp"

// mbedTLS 2.28's constant_time.h lacks the extern "C" its other headers have.
extern "C" {
#include <mbedtls/constant_time.h>
}

#include <array>
#include <charconv>
#include <span>
#include <stdexcept>

#include "digest.hpp"
#include "secure_random.hpp"

namespace videochat::lambdas {

namespace {

constexpr std::string_view kDomain = "videochat-resume-v2\n";
constexpr std::string_view kVersion = "2";
constexpr std::size_t kNonceHexLength = 32;
constexpr std::size_t kMacHexLength = 64;

std::string mac(std::string_view secret, const protocol::RoomId& room, const protocol::PeerId& peer,
                std::string_view expires, std::string_view nonce) {
  std::string data;
  data.reserve(kDomain.size() + room.value.size() + peer.value.size() + expires.size() +
               nonce.size() + 3);
  data.append(kDomain).append(room.value).append(1, '\n').append(peer.value).append(1, '\n');
  data.append(expires).append(1, '\n').append(nonce);
  const auto key = std::span(reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  return aws::to_hex(aws::hmac_sha256(key, data));
}

bool is_lower_hex(std::string_view text) {
  return text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// Splits "a.b.c.d" into four parts; false for any other count.
bool split4(std::string_view token, std::array<std::string_view, 4>& parts) {
  for (std::size_t i = 0; i < 3; ++i) {
    const auto dot = token.find('.');
    if (dot == std::string_view::npos) return false;
    parts[i] = token.substr(0, dot);
    token.remove_prefix(dot + 1);
  }
  parts[3] = token;
  return token.find('.') == std::string_view::npos;
}

}  // namespace

std::string new_resume_nonce() {
  std::array<unsigned char, kNonceHexLength / 2> bytes{};
  fill_random(bytes);
  return aws::to_hex(bytes);
}

std::string resume_token(std::string_view secret, const protocol::RoomId& room,
                         const protocol::PeerId& peer, std::string_view nonce,
                         std::int64_t expires_at_s) {
  const std::string expires = std::to_string(expires_at_s);
  std::string token(kVersion);
  token.append(1, '.').append(expires).append(1, '.').append(nonce).append(1, '.');
  token.append(mac(secret, room, peer, expires, nonce));
  return token;
}

std::optional<std::string> resume_token_nonce(std::string_view secret, const protocol::RoomId& room,
                                              const protocol::PeerId& peer, std::string_view token,
                                              std::int64_t now_s) {
  std::array<std::string_view, 4> parts;
  if (!split4(token, parts) || parts[0] != kVersion) return std::nullopt;
  const std::string_view expires_text = parts[1], nonce = parts[2], given_mac = parts[3];
  std::int64_t expires = 0;
  const auto [end, error] =
      std::from_chars(expires_text.data(), expires_text.data() + expires_text.size(), expires);
  if (error != std::errc() || end != expires_text.data() + expires_text.size() ||
      expires_text.empty() || expires_text[0] == '0' || expires_text[0] == '-') {
    return std::nullopt;
  }
  if (nonce.size() != kNonceHexLength || !is_lower_hex(nonce)) return std::nullopt;
  if (given_mac.size() != kMacHexLength) return std::nullopt;
  const std::string expected = mac(secret, room, peer, expires_text, nonce);
  if (mbedtls_ct_memcmp(expected.data(), given_mac.data(), expected.size()) != 0) return std::nullopt;
  // Checked after the HMAC: an expiry is only worth reading once the server is known to have set
  // it.
  if (now_s >= expires) return std::nullopt;
  return std::string(nonce);
}

}  // namespace videochat::lambdas
