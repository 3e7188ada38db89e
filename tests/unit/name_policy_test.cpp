// The server's Unicode rules for display names: nothing that disguises a name, one spelling.
#include "name_policy.hpp"

#include <doctest/doctest.h>

using videochat::lambdas::name_unicode_problem;
using videochat::lambdas::normalized_name;

TEST_SUITE("display name Unicode rules") {
  TEST_CASE("names in any script, with spaces, emoji and their joiners, are accepted") {
    for (
        const char* name : {
            "Ann", "Ann Lee",
            "\xe5\xb1\xb1\xe7\x94\xb0 \xe5\xa4\xaa\xe9\x83\x8e",  // 山田 太郎
            "\xd7\xa9\xd7\xa8\xd7\x94",                           // שרה
            "caf\xc3\xa9",                                        // café
            "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7",  // 👨‍👩‍👧
            "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xae\xd9\x88\xd8\xa7\xd9\x87\xd9\x85",  // می‌خواهم
                                                                                     // (ZWNJ)
        }) {
      CAPTURE(name);
      CHECK_FALSE(name_unicode_problem(name).has_value());
    }
  }

  TEST_CASE("bidi overrides and isolates are refused, by name") {
    CHECK(name_unicode_problem("Ann\xe2\x80\xae"
                               "exe.txt") ==
          "name must not contain U+202E (invisible, a control, a line break or unassigned): it "
          "could disguise a name");
    CHECK(name_unicode_problem("\xe2\x81\xa6"
                               "Bob\xe2\x81\xa9")
              .has_value());  // U+2066 left-to-right isolate
    CHECK(name_unicode_problem("\xe2\x80\x8f"
                               "Bob")
              .has_value());  // U+200F right-to-left mark
  }

  TEST_CASE("invisible, C1 control, line separator and unassigned characters are refused") {
    CHECK(name_unicode_problem("A\xe2\x80\x8b"
                               "nn")
              .has_value());  // U+200B zero-width space
    CHECK(name_unicode_problem("\xef\xbb\xbf"
                               "Ann")
              .has_value());                                 // U+FEFF byte-order mark
    CHECK(name_unicode_problem("Ann\xc2\x85").has_value());  // U+0085 next line (C1)
    CHECK(name_unicode_problem("Ann\xe2\x80\xa8"
                               "Bob")
              .has_value());  // U+2028 line separator
    CHECK(name_unicode_problem("Ann\xf3\xb0\x80\x80").has_value() == false);      // private use: ok
    CHECK(name_unicode_problem("\xf0\xb0\x80\x80\xf4\x8f\xbf\xbe").has_value());  // unassigned
  }

  TEST_CASE("a name of nothing visible is refused") {
    const std::string expected = "name must have a visible character";
    CHECK(name_unicode_problem(" ") == expected);
    CHECK(name_unicode_problem("\xe3\x80\x80\xc2\xa0") == expected);      // ideographic space, NBSP
    CHECK(name_unicode_problem("\xe2\x80\x8d\xe2\x80\x8c") == expected);  // joiners alone
    CHECK(name_unicode_problem("\xcc\x81") == expected);                  // a combining accent
  }

  TEST_CASE("names are normalized to NFC, without spaces at either end") {
    CHECK(normalized_name("cafe\xcc\x81") == "caf\xc3\xa9");
    CHECK(normalized_name("  Ann Lee \xe3\x80\x80") == "Ann Lee");
    CHECK(normalized_name("\xc2\xa0"
                          "Bob") == "Bob");
    CHECK(normalized_name("Ann") == "Ann");
  }
}
