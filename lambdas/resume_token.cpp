#include "resume_token.hpp"

#include <openssl/crypto.h>

#include <span>

#include "digest.hpp"

namespace videochat::lambdas {

namespace {

constexpr std::string_view kDomain = "videochat-resume-v1\n";

}  // namespace

std::string resume_token(std::string_view secret, const protocol::RoomId& room,
                         const protocol::PeerId& peer) {
  std::string data;
  data.reserve(kDomain.size() + room.value.size() + 1 + peer.value.size());
  data.append(kDomain).append(room.value).append(1, '\n').append(peer.value);
  const auto key = std::span(reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  return aws::to_hex(aws::hmac_sha256(key, data));
}

bool is_valid_resume_token(std::string_view secret, const protocol::RoomId& room,
                           const protocol::PeerId& peer, std::string_view token) {
  const std::string expected = resume_token(secret, room, peer);
  // The length is public (always 64); only the content must be compared in constant time.
  if (token.size() != expected.size()) return false;
  return CRYPTO_memcmp(expected.data(), token.data(), expected.size()) == 0;
}

}  // namespace videochat::lambdas
