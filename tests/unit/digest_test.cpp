// SHA-256 and HMAC-SHA256 through OpenSSL, checked against their standards' own test vectors.
#include "digest.hpp"

#include <doctest/doctest.h>

#include <string_view>
#include <vector>

namespace {

using videochat::aws::hmac_sha256;
using videochat::aws::sha256;
using videochat::aws::to_hex;

std::vector<unsigned char> bytes(std::string_view text) {
  return {text.begin(), text.end()};
}

}  // namespace

TEST_SUITE("digest") {
  TEST_CASE("SHA-256 of \"abc\" is FIPS 180-2's example digest") {
    CHECK(to_hex(sha256("abc")) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  TEST_CASE("SHA-256 of nothing is the hash SigV4 uses for an empty payload") {
    CHECK(to_hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  TEST_CASE("HMAC-SHA256 gives RFC 4231's test case 2") {
    CHECK(to_hex(hmac_sha256(bytes("Jefe"), "what do ya want for nothing?")) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  TEST_CASE("hex is lower-case, two digits a byte, leading zeros kept") {
    const std::vector<unsigned char> data{0x00, 0x0f, 0xa0, 0xff};
    CHECK(to_hex(data) == "000fa0ff");
  }
}
