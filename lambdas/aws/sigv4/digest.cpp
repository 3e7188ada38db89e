#include "digest.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace videochat::aws {

Digest sha256(std::string_view data) {
  Digest digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != digest.size()) {
    // Only a broken OpenSSL installation (no default provider) gets here.
    throw std::runtime_error("OpenSSL could not compute SHA-256");
  }
  return digest;
}

Digest hmac_sha256(std::span<const unsigned char> key, std::string_view data) {
  Digest mac{};
  std::size_t size = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(),
                reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(),
                mac.size(), &size) == nullptr ||
      size != mac.size()) {
    throw std::runtime_error("OpenSSL could not compute HMAC-SHA256");
  }
  return mac;
}

std::string to_hex(std::span<const unsigned char> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0f]);
  }
  return hex;
}

}  // namespace videochat::aws
