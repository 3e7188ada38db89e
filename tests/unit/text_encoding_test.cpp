// The encodings outsiders' bytes arrive in: one check of UTF-8 and one percent-decoder for the
// client's links, the server's request targets, names and JSON strings alike.
#include <doctest/doctest.h>

#include "text_encoding.hpp"

using namespace videochat::protocol;

TEST_SUITE("text encoding") {
  TEST_CASE("well-formed UTF-8 is accepted, every RFC 3629 exclusion refused") {
    CHECK(is_utf8(""));
    CHECK(is_utf8("plain ASCII"));
    CHECK(is_utf8("J\xC3\xBCrgen \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"));
    CHECK_FALSE(is_utf8("\xFF"));              // never a UTF-8 byte
    CHECK_FALSE(is_utf8("\xC0\xAF"));          // overlong '/'
    CHECK_FALSE(is_utf8("\xE0\x80\xAF"));      // overlong, three bytes
    CHECK_FALSE(is_utf8("\xED\xA0\x80"));      // a surrogate
    CHECK_FALSE(is_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
    CHECK_FALSE(is_utf8("\xE2\x82"));          // cut short
    CHECK_FALSE(is_utf8("ok\x80"));            // a lone continuation byte
  }

  TEST_CASE("a sequence's length is read where it starts") {
    const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
    CHECK(utf8_sequence_length(text, 0) == 1);
    CHECK(utf8_sequence_length(text, 1) == 2);
    CHECK(utf8_sequence_length(text, 3) == 3);
    CHECK(utf8_sequence_length(text, 6) == 4);
    CHECK(utf8_sequence_length(text, 2) == 0);  // inside a sequence
  }

  TEST_CASE("hex digits of either case, nothing else") {
    CHECK(hex_digit_value('0') == 0);
    CHECK(hex_digit_value('a') == 10);
    CHECK(hex_digit_value('F') == 15);
    CHECK(hex_digit_value('g') == -1);
    CHECK(hex_digit_value('%') == -1);
  }
}

TEST_CASE("percent_encode writes all but RFC 3986's unreserved characters as %XX") {
  using videochat::protocol::percent_decode;
  using videochat::protocol::percent_encode;
  CHECK(percent_encode("team-standup_1.a~") == "team-standup_1.a~");
  CHECK(percent_encode("a b&c=d/e?") == "a%20b%26c%3Dd%2Fe%3F");
  CHECK(percent_encode("\xe4\xbc\x9a\xe8\xad\xb0\xe5\xae\xa4") == "%E4%BC%9A%E8%AD%B0%E5%AE%A4");
  CHECK(percent_decode(percent_encode("caf\xc3\xa9 +%")) ==
        std::optional<std::string>("caf\xc3\xa9 +%"));
}
