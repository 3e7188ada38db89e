// SHA-256 and HMAC-SHA256, the only cryptography SigV4 needs, by mbedTLS: it needs no set-up,
// where OpenSSL 3's first digest costs a Lambda cold start about 2 ms of provider loading.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>

namespace videochat::aws {

using Digest = std::array<unsigned char, 32>;

Digest sha256(std::string_view data);
Digest hmac_sha256(std::span<const unsigned char> key, std::string_view data);
// Lower-case hexadecimal, two characters a byte: the form SigV4 puts hashes and signatures in.
std::string to_hex(std::span<const unsigned char> bytes);

}  // namespace videochat::aws
