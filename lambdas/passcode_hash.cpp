#include "passcode_hash.hpp"

// mbedTLS 2.28's constant_time.h lacks the extern "C" its other headers have.
extern "C" {
#include <mbedtls/constant_time.h>
}
#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <stdexcept>

#include "digest.hpp"
#include "secure_random.hpp"

namespace videochat::lambdas {

namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256";
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
// More than any record we write; a record naming more is refused rather than run (it would hold
// a thread for minutes).
constexpr unsigned kMaxIterations = 10'000'000;

std::array<unsigned char, kHashBytes> derive(std::string_view passcode, std::string_view salt,
                                             unsigned iterations) {
  // OpenSSL's PBKDF2, not mbedTLS's: this is the one place where speed is the point, and
  // OpenSSL runs SHA-256 on the CPU's SHA instructions (x86 SHA-NI, ARMv8 SHA2) where mbedTLS
  // 2.28 has none: 12 against 40 ms for 50,000 iterations on the build machine. OpenSSL sets its
  // providers up on this first call (about 2 ms), not at the cold start.
  std::array<unsigned char, kHashBytes> out{};
  if (PKCS5_PBKDF2_HMAC(passcode.data(), static_cast<int>(passcode.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), static_cast<int>(iterations), EVP_sha256(),
                        static_cast<int>(out.size()), out.data()) != 1) {
    throw std::runtime_error("PKCS5_PBKDF2_HMAC failed");
  }
  return out;
}

// The record's three parts after the scheme, or false when it is not one of ours.
bool split_record(std::string_view record, unsigned& iterations, std::string_view& salt,
                  std::string_view& hash) {
  if (!record.starts_with(kScheme) || record.size() <= kScheme.size() ||
      record[kScheme.size()] != '$') {
    return false;
  }
  record.remove_prefix(kScheme.size() + 1);
  const auto first = record.find('$');
  if (first == std::string_view::npos) return false;
  const auto [end, error] = std::from_chars(record.data(), record.data() + first, iterations);
  if (error != std::errc() || end != record.data() + first || iterations == 0 ||
      iterations > kMaxIterations) {
    return false;
  }
  record.remove_prefix(first + 1);
  const auto second = record.find('$');
  if (second != kSaltBytes * 2 || record.size() != second + 1 + kHashBytes * 2) return false;
  salt = record.substr(0, second);
  hash = record.substr(second + 1);
  return true;
}

}  // namespace

std::string pbkdf2_sha256_hex(std::string_view passcode, std::string_view salt,
                              unsigned iterations) {
  return aws::to_hex(derive(passcode, salt, iterations));
}

std::string hash_passcode(std::string_view passcode, unsigned iterations) {
  std::array<unsigned char, kSaltBytes> salt_bytes{};
  fill_random(salt_bytes);
  const std::string salt = aws::to_hex(salt_bytes);
  return std::string(kScheme) + '$' + std::to_string(iterations) + '$' + salt + '$' +
         pbkdf2_sha256_hex(passcode, salt, iterations);
}

bool passcode_matches(std::string_view passcode, std::string_view record) {
  unsigned iterations = 0;
  std::string_view salt, hash;
  if (!split_record(record, iterations, salt, hash)) return false;
  const std::string derived = pbkdf2_sha256_hex(passcode, salt, iterations);
  return mbedtls_ct_memcmp(derived.data(), hash.data(), derived.size()) == 0;
}

}  // namespace videochat::lambdas
