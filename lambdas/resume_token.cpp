#include "resume_token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace videochat::lambdas {

namespace {

constexpr std::string_view kDomain = "videochat-resume-v1\n";

}  // namespace

std::string resume_token(std::string_view secret, const protocol::RoomId& room,
                         const protocol::PeerId& peer) {
  std::string data;
  data.reserve(kDomain.size() + room.value.size() + 1 + peer.value.size());
  data.append(kDomain).append(room.value).append(1, '\n').append(peer.value);
  std::array<unsigned char, 32> mac{};
  std::size_t size = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
                reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(),
                mac.size(), &size) == nullptr ||
      size != mac.size()) {
    // Only a broken OpenSSL installation (no default provider) gets here.
    throw std::runtime_error("OpenSSL could not compute HMAC-SHA256");
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(mac.size() * 2);
  for (unsigned char byte : mac) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0f]);
  }
  return hex;
}

bool is_valid_resume_token(std::string_view secret, const protocol::RoomId& room,
                           const protocol::PeerId& peer, std::string_view token) {
  const std::string expected = resume_token(secret, room, peer);
  // The length is public (always 64); only the content must be compared in constant time.
  if (token.size() != expected.size()) return false;
  return CRYPTO_memcmp(expected.data(), token.data(), expected.size()) == 0;
}

}  // namespace videochat::lambdas
