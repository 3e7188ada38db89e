// The safety code two people compare by voice: both ends hash the same text whichever side is
// local, the digits come from the digest as specified (checked against published and independently
// computed SHA-256 values), malformed fingerprints are refused, and a changed code is flagged.
#include "safety_code.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace {

using videochat::client::safety_code_digits;
using videochat::client::safety_code_input;
using videochat::client::SafetyCodes;

const std::string kAscending =
    "00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:"
    "1F";
const std::string kDescending =
    "FF:FE:FD:FC:FB:FA:F9:F8:F7:F6:F5:F4:F3:F2:F1:F0:EF:EE:ED:EC:EB:EA:E9:E8:E7:E6:E5:E4:E3:E2:E1:"
    "E0";
const std::string kDescendingLowercase =
    "ff:fe:fd:fc:fb:fa:f9:f8:f7:f6:f5:f4:f3:f2:f1:f0:ef:ee:ed:ec:eb:ea:e9:e8:e7:e6:e5:e4:e3:e2:e1:"
    "e0";

// What both ends hash for the pair above (python3: the version line and the two sorted lines).
const std::string kPairInput =
    "videochat safety code 1\nsha-256 " + kAscending + "\nsha-256 " + kDescending;

}  // namespace

TEST_SUITE("safety code: the text hashed") {
  TEST_CASE("the text is the version line and the two certificates' lines, sorted") {
    CHECK(safety_code_input("sha-256", kDescending, "sha-256", kAscending) == kPairInput);
  }

  TEST_CASE("the text is the same whichever side is local") {
    CHECK(safety_code_input("sha-256", kAscending, "sha-256", kDescending) ==
          safety_code_input("sha-256", kDescending, "sha-256", kAscending));
  }

  TEST_CASE("a lowercase fingerprint or an uppercase algorithm reads the same") {
    CHECK(safety_code_input("SHA-256", kDescendingLowercase, "Sha-256", kAscending) == kPairInput);
  }

  TEST_CASE("the algorithm is part of the line, and sorting goes by the whole line") {
    const auto input = safety_code_input("sha-256", "AB:CD", "sha-1", "01:02");
    CHECK(input == "videochat safety code 1\nsha-1 01:02\nsha-256 AB:CD");
  }

  TEST_CASE("two equal certificates still make two lines") {
    CHECK(safety_code_input("sha-256", "AB", "sha-256", "ab") ==
          "videochat safety code 1\nsha-256 AB\nsha-256 AB");
  }

  TEST_CASE("a fingerprint that is not colon-separated hex bytes is refused") {
    for (const std::string bad : {"", "A", "ABC", "AB:", ":AB", "AB:CD:", "AB::CD", "ABCD", "AB-CD",
                                  "AB CD", "GG:00", "AB:C", "A:BC", " AB:CD", "AB:CD\n"}) {
      CAPTURE(bad);
      CHECK(safety_code_input("sha-256", bad, "sha-256", kAscending) == std::nullopt);
      CHECK(safety_code_input("sha-256", kAscending, "sha-256", bad) == std::nullopt);
    }
  }

  TEST_CASE("an empty algorithm, or one that could break the line apart, is refused") {
    for (const std::string bad : {"", "sha 256", "sha-256\nsha-256 AB", "sha_256", " sha-256"}) {
      CAPTURE(bad);
      CHECK(safety_code_input(bad, kAscending, "sha-256", kDescending) == std::nullopt);
      CHECK(safety_code_input("sha-256", kAscending, bad, kDescending) == std::nullopt);
    }
  }
}

TEST_SUITE("safety code: the digits") {
  TEST_CASE("SHA-256(\"abc\") reads as the first 8 bytes mod 10^15 in groups of three") {
    // The published FIPS 180-2 vector: ba7816bf8f01cfea 414140de...; 0xba7816bf8f01cfea is
    // 13436514500253700074, which mod 10^15 is 514500253700074.
    const std::array<std::uint8_t, 32> digest = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
                                                 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
                                                 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
                                                 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    CHECK(safety_code_digits(digest) == "514 500 253 700 074");
  }

  TEST_CASE("the code of a fixed pair matches SHA-256 of its text computed elsewhere") {
    // python3: hashlib.sha256(kPairInput.encode()).digest()
    const std::array<std::uint8_t, 32> digest = {0x29, 0x95, 0xab, 0xbd, 0xcf, 0x6d, 0xf0, 0x03,
                                                 0x3d, 0x58, 0xbf, 0xcf, 0x97, 0x24, 0x5a, 0xfa,
                                                 0x92, 0x1c, 0x57, 0x2e, 0x13, 0x7e, 0x3c, 0xc3,
                                                 0x8c, 0x4a, 0xbe, 0xf1, 0xd1, 0xbd, 0xbc, 0x59};
    CHECK(safety_code_digits(digest) == "489 958 802 190 339");
  }

  TEST_CASE("leading zeros are kept") {
    std::array<std::uint8_t, 32> digest{};
    digest[7] = 1;
    CHECK(safety_code_digits(digest) == "000 000 000 000 001");
    digest.fill(0);
    CHECK(safety_code_digits(digest) == "000 000 000 000 000");
  }

  TEST_CASE("the largest 8-byte value wraps mod 10^15") {
    std::array<std::uint8_t, 32> digest{};
    for (int i = 0; i < 8; ++i) digest[i] = 0xff;
    CHECK(safety_code_digits(digest) == "744 073 709 551 615");
  }

  TEST_CASE("only the first 8 bytes count") {
    std::array<std::uint8_t, 32> digest{};
    digest[7] = 42;
    const std::string code = safety_code_digits(digest);
    for (std::size_t i = 8; i < digest.size(); ++i) digest[i] = 0xa5;
    CHECK(safety_code_digits(digest) == code);
  }

  TEST_CASE("a digest that is not 32 bytes gives no code") {
    CHECK(safety_code_digits({}) == "");
    CHECK(safety_code_digits(std::vector<std::uint8_t>(31, 0x11)) == "");
    CHECK(safety_code_digits(std::vector<std::uint8_t>(33, 0x11)) == "");
    CHECK(safety_code_digits(std::vector<std::uint8_t>(32, 0x11)).size() == 19);
  }
}

TEST_SUITE("safety code: codes shown before") {
  TEST_CASE("a peer's first code is first, and not changed") {
    SafetyCodes codes;
    CHECK(codes.observe("bob", "111 111 111 111 111") == SafetyCodes::Seen::First);
    CHECK_FALSE(codes.changed("bob"));
  }

  TEST_CASE("the same code again is the same, and not changed") {
    SafetyCodes codes;
    codes.observe("bob", "111 111 111 111 111");
    CHECK(codes.observe("bob", "111 111 111 111 111") == SafetyCodes::Seen::Same);
    CHECK_FALSE(codes.changed("bob"));
  }

  TEST_CASE("a different code is changed, and flagged until acknowledged") {
    SafetyCodes codes;
    codes.observe("bob", "111 111 111 111 111");
    CHECK(codes.observe("bob", "222 222 222 222 222") == SafetyCodes::Seen::Changed);
    CHECK(codes.changed("bob"));
    CHECK(codes.observe("bob", "222 222 222 222 222") == SafetyCodes::Seen::Same);
    CHECK(codes.changed("bob"));
    codes.acknowledge("bob");
    CHECK_FALSE(codes.changed("bob"));
  }

  TEST_CASE("after acknowledging, the new code is the one compared against") {
    SafetyCodes codes;
    codes.observe("bob", "111 111 111 111 111");
    codes.observe("bob", "222 222 222 222 222");
    codes.acknowledge("bob");
    CHECK(codes.observe("bob", "222 222 222 222 222") == SafetyCodes::Seen::Same);
    CHECK(codes.observe("bob", "111 111 111 111 111") == SafetyCodes::Seen::Changed);
    CHECK(codes.changed("bob"));
  }

  TEST_CASE("peers are remembered apart") {
    SafetyCodes codes;
    codes.observe("bob", "111 111 111 111 111");
    CHECK(codes.observe("carol", "222 222 222 222 222") == SafetyCodes::Seen::First);
    codes.observe("bob", "333 333 333 333 333");
    CHECK(codes.changed("bob"));
    CHECK_FALSE(codes.changed("carol"));
    codes.acknowledge("carol");
    CHECK(codes.changed("bob"));
  }

  TEST_CASE("an unknown peer is not changed, and acknowledging it does nothing") {
    SafetyCodes codes;
    CHECK_FALSE(codes.changed("nobody"));
    codes.acknowledge("nobody");
    CHECK(codes.observe("nobody", "111 111 111 111 111") == SafetyCodes::Seen::First);
  }
}
