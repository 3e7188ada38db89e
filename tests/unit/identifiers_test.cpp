// The identifiers the protocol carries: which room ids, peer ids and names are valid.
#include "identifiers.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {

using videochat::protocol::is_valid_room_id;
using videochat::protocol::parse_room_id;

}  // namespace

TEST_SUITE("room ids") {
  TEST_CASE("a tutorial room id such as 123 is valid") {
    CHECK(is_valid_room_id("123"));
  }

  TEST_CASE("a one-character room id is valid") {
    CHECK(is_valid_room_id("a"));
  }

  TEST_CASE("every letter, digit, underscore and hyphen is allowed in a room id") {
    CHECK(is_valid_room_id("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
    CHECK(is_valid_room_id("abcdefghijklmnopqrstuvwxyz"));
    CHECK(is_valid_room_id("0123456789"));
    CHECK(is_valid_room_id("_-_-"));
  }

  TEST_CASE("a room id of exactly 128 bytes is valid") {
    CHECK(is_valid_room_id(std::string(128, 'x')));
    std::string japanese;
    for (int i = 0; i < 42; ++i) japanese += "\xe4\xbc\x9a";  // 42 x 会: 126 bytes
    CHECK(is_valid_room_id(japanese));
    CHECK_FALSE(is_valid_room_id(japanese + "\xe4\xbc\x9a"));  // 129
  }

  TEST_CASE("an empty room id is rejected") {
    CHECK_FALSE(is_valid_room_id(""));
  }

  TEST_CASE("a room id of 129 bytes is rejected") {
    CHECK_FALSE(is_valid_room_id(std::string(129, 'x')));
  }

  TEST_CASE("a room id containing a space is rejected") {
    CHECK_FALSE(is_valid_room_id("my room"));
  }

  TEST_CASE("a room id containing a slash is rejected") {
    CHECK_FALSE(is_valid_room_id("a/b"));
    CHECK_FALSE(is_valid_room_id("../etc"));
  }

  TEST_CASE("room ids in other scripts than ASCII are valid (the server checks their Unicode)") {
    CHECK(is_valid_room_id("caf\xc3\xa9"));                           // "café"
    CHECK(is_valid_room_id("\xe4\xbc\x9a\xe8\xad\xb0\xe5\xae\xa4"));  // 会議室
    CHECK(is_valid_room_id("\xe2\x98\x83"));                          // a snowman
  }

  TEST_CASE("a room id that is not UTF-8, or holds a C1 control, is rejected") {
    CHECK_FALSE(is_valid_room_id("caf\xe9"));       // Latin-1
    CHECK_FALSE(is_valid_room_id("\xc0\xaf"));      // an overlong '/'
    CHECK_FALSE(is_valid_room_id("\xed\xa0\x80"));  // a surrogate
    CHECK_FALSE(is_valid_room_id("a\xc2\x85"));     // U+0085, next line
    CHECK(is_valid_room_id("a\xc2\xa9"));           // U+00A9, the copyright sign
  }

  TEST_CASE("a room id containing a NUL byte is rejected") {
    CHECK_FALSE(is_valid_room_id(std::string_view("ab\0cd", 5)));
  }

  TEST_CASE("parse_room_id returns the same text as a typed RoomId when it is valid") {
    auto room = parse_room_id("room_42-b");
    REQUIRE(room.has_value());
    CHECK(room->value == "room_42-b");
  }

  TEST_CASE("parse_room_id returns nothing for an invalid id") {
    CHECK_FALSE(parse_room_id("").has_value());
    CHECK_FALSE(parse_room_id(std::string(129, 'x')).has_value());
    CHECK_FALSE(parse_room_id("a b").has_value());
  }
}

TEST_SUITE("protocol v2 fields") {
  using videochat::protocol::check_name;
  using videochat::protocol::is_valid_peer_id;
  using videochat::protocol::NameProblem;

  TEST_CASE("a peerId is exactly 32 lowercase hex characters") {
    CHECK(is_valid_peer_id("0123456789abcdef0123456789abcdef"));
    CHECK_FALSE(is_valid_peer_id("0123456789ABCDEF0123456789abcdef"));
    CHECK_FALSE(is_valid_peer_id("0123456789abcdef0123456789abcde"));
    CHECK_FALSE(is_valid_peer_id("0123456789abcdef0123456789abcdef0"));
    CHECK_FALSE(is_valid_peer_id("0123456789abcdef0123456789abcdeg"));
    CHECK_FALSE(is_valid_peer_id(""));
  }

  TEST_CASE("a name is 1 to 64 bytes of UTF-8 without control characters") {
    CHECK_FALSE(check_name("Zoë"));
    CHECK_FALSE(check_name(std::string(64, 'x')));
    CHECK(check_name("") == NameProblem::Empty);
    CHECK(check_name(std::string(65, 'x')) == NameProblem::TooLong);
    CHECK(check_name("tab\there") == NameProblem::ControlCharacter);
    CHECK(check_name(std::string("nul\0here", 8)) == NameProblem::ControlCharacter);
    CHECK(check_name("del\x7f") == NameProblem::ControlCharacter);
    CHECK(check_name("\xC3") == NameProblem::InvalidUtf8);              // cut short
    CHECK(check_name("\xC0\xAF") == NameProblem::InvalidUtf8);          // overlong '/'
    CHECK(check_name("\xED\xA0\x80") == NameProblem::InvalidUtf8);      // a surrogate
    CHECK(check_name("\xF4\x90\x80\x80") == NameProblem::InvalidUtf8);  // above U+10FFFF
  }
}
