// The server's Unicode rules for room ids: one spelling (NFC), nothing invisible.
#include "room_id_policy.hpp"

#include <doctest/doctest.h>

using videochat::lambdas::room_id_unicode_problem;

TEST_SUITE("room id Unicode rules") {
  TEST_CASE("ASCII ids, and ids in other scripts in NFC, are accepted") {
    CHECK_FALSE(room_id_unicode_problem("standup-42").has_value());
    CHECK_FALSE(
        room_id_unicode_problem("\xe4\xbc\x9a\xe8\xad\xb0\xe5\xae\xa4").has_value());  // 会議室
    CHECK_FALSE(room_id_unicode_problem("caf\xc3\xa9").has_value());  // café, composed
    CHECK_FALSE(room_id_unicode_problem("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d").has_value());  // שלום
    CHECK_FALSE(room_id_unicode_problem("\xf0\x9f\x8e\x89party").has_value());  // 🎉party
  }

  TEST_CASE("a decomposed spelling is refused: it would be a second room") {
    auto problem = room_id_unicode_problem("cafe\xcc\x81");  // e + U+0301
    REQUIRE(problem.has_value());
    CHECK(*problem == "roomId must be in Unicode normalization form C (NFC)");
  }

  TEST_CASE("invisible characters, spaces and unassigned code points are refused, by name") {
    CHECK(room_id_unicode_problem("a\xe2\x80\x8b"
                                  "b") ==  // zero-width space
          "roomId must not contain U+200B (invisible, a space, a control or unassigned)");
    CHECK(room_id_unicode_problem("a\xe2\x80\xae"
                                  "b")
              .has_value());  // right-to-left override
    CHECK(room_id_unicode_problem("\xef\xbb\xbf"
                                  "a")
              .has_value());  // byte-order mark
    CHECK(room_id_unicode_problem("a\xc2\xa0"
                                  "b")
              .has_value());  // no-break space
    CHECK(room_id_unicode_problem("a\xe3\x80\x80"
                                  "b")
              .has_value());                                         // ideographic space
    CHECK(room_id_unicode_problem("\xee\x80\x80").has_value());      // private use U+E000
    CHECK(room_id_unicode_problem("\xf3\xb0\x80\x80").has_value());  // private use plane 15
    CHECK(room_id_unicode_problem("\xcd\xb8").has_value());          // U+0378, unassigned
  }
}
