#include "digest.hpp"

#include <mbedtls/md.h>
#include <mbedtls/sha256.h>

#include <stdexcept>

namespace videochat::aws {

Digest sha256(std::string_view data) {
  Digest digest{};
  if (mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                         digest.data(), /*is224=*/0) != 0) {
    throw std::runtime_error("mbedTLS could not compute SHA-256");  // it has no failure path
  }
  return digest;
}

Digest hmac_sha256(std::span<const unsigned char> key, std::string_view data) {
  Digest mac{};
  if (mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), key.data(), key.size(),
                      reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                      mac.data()) != 0) {
    throw std::runtime_error("mbedTLS could not compute HMAC-SHA256");  // only out of memory
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
