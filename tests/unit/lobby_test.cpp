// The lobby's pure rules: random room ids, the room named in a page's link, the link to share, why
// a typed room id cannot be joined, and the reconnect back-off.
#include "lobby.hpp"

#include <doctest/doctest.h>

#include <climits>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "identifiers.hpp"

namespace {

using videochat::client::random_room_id;
using videochat::client::reconnect_delay_ms;
using videochat::client::room_from_query;
using videochat::client::room_id_problem;
using videochat::client::room_link;
using videochat::client::passcode_from_fragment;
using videochat::client::passcode_problem;

std::string id_from(std::vector<std::uint8_t> bytes) {
  return random_room_id(bytes);
}

// The documented alphabet, built from its rule rather than copied from the implementation.
std::set<char> documented_alphabet() {
  std::set<char> alphabet;
  for (char c = 'a'; c <= 'z'; ++c) {
    if (c != 'o' && c != 'l' && c != 'i') alphabet.insert(c);
  }
  for (char c = '2'; c <= '9'; ++c) alphabet.insert(c);
  return alphabet;
}

}  // namespace

TEST_SUITE("random_room_id") {
  TEST_CASE("an id is 10 characters even when more random bytes are given") {
    std::vector<std::uint8_t> bytes(32);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 37);
    CHECK(id_from(bytes).size() == 10);
  }

  TEST_CASE("every byte value maps into the documented alphabet, without look-alikes") {
    const std::set<char> alphabet = documented_alphabet();
    for (int value = 0; value < 256; ++value) {
      CAPTURE(value);
      std::string id = id_from(std::vector<std::uint8_t>(10, static_cast<std::uint8_t>(value)));
      REQUIRE(id.size() == 10);
      for (char c : id) {
        CAPTURE(c);
        CHECK(alphabet.count(c) == 1);
        CHECK(std::string("0o1li").find(c) == std::string::npos);
      }
    }
  }

  TEST_CASE("the byte values together reach the whole alphabet") {
    std::set<char> seen;
    for (int value = 0; value < 256; ++value) {
      for (char c : id_from(std::vector<std::uint8_t>(10, static_cast<std::uint8_t>(value)))) {
        seen.insert(c);
      }
    }
    CHECK(seen == documented_alphabet());
  }

  TEST_CASE("the same bytes always give the same id") {
    std::vector<std::uint8_t> bytes = {7, 200, 13, 99, 255, 0, 42, 128, 64, 31};
    CHECK(id_from(bytes) == id_from(bytes));
  }

  TEST_CASE("different bytes give different ids") {
    CHECK(id_from({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) != id_from({9, 8, 7, 6, 5, 4, 3, 2, 1, 0}));
  }

  TEST_CASE("a random id is a valid room id that can be joined") {
    for (int seed = 0; seed < 256; seed += 17) {
      std::vector<std::uint8_t> bytes(10);
      for (std::size_t i = 0; i < bytes.size(); ++i) {
        bytes[i] = static_cast<std::uint8_t>(seed + static_cast<int>(i) * 29);
      }
      std::string id = id_from(bytes);
      CAPTURE(id);
      CHECK(videochat::protocol::is_valid_room_id(id));
      CHECK_FALSE(room_id_problem(id).has_value());
    }
  }
}

TEST_SUITE("room_from_query") {
  TEST_CASE("the room parameter is read with or without the leading '?'") {
    CHECK(room_from_query("?room=standup") == std::optional<std::string>("standup"));
    CHECK(room_from_query("room=standup") == std::optional<std::string>("standup"));
  }

  TEST_CASE("the room parameter is found among other parameters") {
    CHECK(room_from_query("?lang=en&room=standup&debug=1") ==
          std::optional<std::string>("standup"));
    CHECK(room_from_query("?lang=en&room=standup") == std::optional<std::string>("standup"));
  }

  TEST_CASE("parameters whose names only resemble room are not the room") {
    CHECK_FALSE(room_from_query("?rooms=standup").has_value());
    CHECK_FALSE(room_from_query("?myroom=standup").has_value());
    CHECK_FALSE(room_from_query("?Room=standup").has_value());
  }

  TEST_CASE("a percent-encoded value is decoded, in either hex case") {
    CHECK(room_from_query("?room=team%2Dstandup") == std::optional<std::string>("team-standup"));
    CHECK(room_from_query("?room=team%2dstandup") == std::optional<std::string>("team-standup"));
    CHECK(room_from_query("?room=%61%62%63") == std::optional<std::string>("abc"));
  }

  TEST_CASE("a room id of 128 bytes is accepted") {
    std::string longest(128, 'a');
    CHECK(room_from_query("?room=" + longest) == std::optional<std::string>(longest));
  }

  TEST_CASE("a room id longer than 128 bytes is ignored") {
    CHECK_FALSE(room_from_query("?room=" + std::string(129, 'a')).has_value());
  }

  TEST_CASE("a room id with ASCII other than letters, digits, - and _ is ignored") {
    CHECK_FALSE(room_from_query("?room=team.standup").has_value());
    CHECK_FALSE(room_from_query("?room=team/standup").has_value());
    CHECK_FALSE(room_from_query("?room=team%20standup").has_value());  // decodes to a space
    CHECK_FALSE(room_from_query("?room=team+standup").has_value());    // '+' is a space too
    CHECK(room_from_query("?room=%C3%A9t%C3%A9") == std::optional<std::string>("été"));
    CHECK_FALSE(room_from_query("?room=%E9t%E9").has_value());  // Latin-1: not UTF-8
  }

  TEST_CASE("a malformed percent escape makes the value ignored") {
    CHECK_FALSE(room_from_query("?room=abc%").has_value());
    CHECK_FALSE(room_from_query("?room=abc%4").has_value());
    CHECK_FALSE(room_from_query("?room=abc%zz").has_value());
    CHECK_FALSE(room_from_query("?room=abc%4g").has_value());
  }

  TEST_CASE("an escape that ends exactly at the end of the value is complete") {
    CHECK(room_from_query("?room=abc%2D") == std::optional<std::string>("abc-"));
  }

  TEST_CASE("without a room parameter there is no room") {
    CHECK_FALSE(room_from_query("").has_value());
    CHECK_FALSE(room_from_query("?").has_value());
    CHECK_FALSE(room_from_query("?lang=en&debug=1").has_value());
    CHECK_FALSE(room_from_query("?room").has_value());
    CHECK_FALSE(room_from_query("?room=").has_value());
  }
}

TEST_SUITE("room_link") {
  TEST_CASE("the link is the page with the room as its query") {
    CHECK(room_link("https://chat.example.com/", "standup") ==
          "https://chat.example.com/?room=standup");
    // A room in another script travels percent-encoded, and comes back whole.
    const std::string kaigishitsu = "\xe4\xbc\x9a\xe8\xad\xb0\xe5\xae\xa4";  // 会議室
    CHECK(room_link("https://chat.example.com/", kaigishitsu) ==
          "https://chat.example.com/?room=%E4%BC%9A%E8%AD%B0%E5%AE%A4");
    CHECK(room_from_query("?room=%E4%BC%9A%E8%AD%B0%E5%AE%A4") ==
          std::optional<std::string>(kaigishitsu));
    CHECK(room_link("http://localhost:8080/index.html", "a-b_c") ==
          "http://localhost:8080/index.html?room=a-b_c");
  }

  TEST_CASE("the room of a link reads back from its query") {
    std::string id = id_from({3, 1, 4, 1, 5, 9, 2, 6, 5, 3});
    std::string link = room_link("https://chat.example.com/", id);
    CHECK(room_from_query(link.substr(link.find('?'))) == std::optional<std::string>(id));
  }

  TEST_CASE("a passcode travels in the fragment, never the query, and reads back whole") {
    const std::string passcode = "Tr0mbone & co #1 Ã©";
    const std::string link = room_link("https://chat.example.com/", "standup", passcode);
    const auto hash = link.find('#');
    REQUIRE(hash != std::string::npos);
    CHECK(link.substr(0, hash) == "https://chat.example.com/?room=standup");
    CHECK(link.substr(hash).starts_with("#passcode="));
    CHECK(link.find(' ') == std::string::npos);
    CHECK(passcode_from_fragment(link.substr(hash)) == std::optional<std::string>(passcode));
    CHECK(room_from_query(link.substr(link.find('?'), hash - link.find('?'))) ==
          std::optional<std::string>("standup"));
    CHECK(room_link("https://chat.example.com/", "standup", "") ==
          "https://chat.example.com/?room=standup");
    CHECK(passcode_from_fragment("") == std::nullopt);
    CHECK(passcode_from_fragment("#passcode=") == std::nullopt);
    CHECK(passcode_from_fragment("#other=1") == std::nullopt);
  }

  TEST_CASE("a typed passcode: none is fine, 4 to 64 characters are, others are told the rule") {
    CHECK(passcode_problem("") == std::nullopt);
    CHECK(passcode_problem("1234") == std::nullopt);
    CHECK(passcode_problem("123") == std::optional<std::string>("A passcode has 4 to 64 characters."));
    CHECK(passcode_problem(std::string(65, 'x')).has_value());
  }
}

TEST_SUITE("room_id_problem") {
  TEST_CASE("an empty room id asks for a name") {
    auto problem = room_id_problem("");
    REQUIRE(problem.has_value());
    CHECK_FALSE(problem->empty());
  }

  TEST_CASE("a room id of 129 bytes is too long") {
    auto problem = room_id_problem(std::string(129, 'a'));
    REQUIRE(problem.has_value());
    CHECK(problem->find("too long") != std::string::npos);
  }

  TEST_CASE("a room id with ASCII punctuation or spaces names what is allowed") {
    for (const char* room : {"team standup", "team.standup", "a/b", "a%2D"}) {
      CAPTURE(room);
      auto problem = room_id_problem(room);
      REQUIRE(problem.has_value());
      CHECK(problem->find("letters and digits of any script") != std::string::npos);
    }
    CHECK_FALSE(room_id_problem("été").has_value());
  }

  TEST_CASE("each problem has its own message") {
    auto empty = room_id_problem("");
    auto too_long = room_id_problem(std::string(129, 'a'));
    auto bad_chars = room_id_problem("a b");
    REQUIRE((empty && too_long && bad_chars));
    CHECK(*empty != *too_long);
    CHECK(*empty != *bad_chars);
    CHECK(*too_long != *bad_chars);
  }

  TEST_CASE("valid room ids, up to 128 bytes, have no problem") {
    CHECK_FALSE(room_id_problem("a").has_value());
    CHECK_FALSE(room_id_problem("Team_Standup-2").has_value());
    CHECK_FALSE(room_id_problem(std::string(128, 'z')).has_value());
  }
}

TEST_SUITE("reconnect_delay_ms") {
  TEST_CASE("the first attempt waits 500 ms without jitter") {
    CHECK(reconnect_delay_ms(0, 0.0) == doctest::Approx(500.0));
  }

  TEST_CASE("each further attempt doubles the delay") {
    CHECK(reconnect_delay_ms(1, 0.0) == doctest::Approx(1000.0));
    CHECK(reconnect_delay_ms(2, 0.0) == doctest::Approx(2000.0));
    CHECK(reconnect_delay_ms(3, 0.0) == doctest::Approx(4000.0));
    CHECK(reconnect_delay_ms(4, 0.0) == doctest::Approx(8000.0));
  }

  TEST_CASE("the delay is capped at 15 s") {
    CHECK(reconnect_delay_ms(5, 0.0) == doctest::Approx(15000.0));  // 16 s before the cap
    for (int attempt = 6; attempt <= 100; ++attempt) {
      CAPTURE(attempt);
      CHECK(reconnect_delay_ms(attempt, 0.0) == doctest::Approx(15000.0));
    }
  }

  TEST_CASE("jitter near 1 shortens the delay by about 30 %") {
    CHECK(reconnect_delay_ms(0, 0.999) == doctest::Approx(350.0).epsilon(0.001));
    CHECK(reconnect_delay_ms(10, 0.999) == doctest::Approx(10500.0).epsilon(0.001));
  }

  TEST_CASE("jitter never shortens the delay below 70 % nor lengthens it") {
    for (int attempt = 0; attempt <= 12; ++attempt) {
      double full = reconnect_delay_ms(attempt, 0.0);
      double previous = full;
      for (double jitter : {0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999}) {
        CAPTURE(attempt);
        CAPTURE(jitter);
        double delay = reconnect_delay_ms(attempt, jitter);
        CHECK(delay >= 0.7 * full);
        CHECK(delay <= full);
        CHECK(delay <= previous);  // more jitter, shorter wait
        previous = delay;
      }
    }
  }

  TEST_CASE("negative attempts wait as long as the first") {
    CHECK(reconnect_delay_ms(-1, 0.0) == doctest::Approx(500.0));
    CHECK(reconnect_delay_ms(INT_MIN, 0.0) == doctest::Approx(500.0));
  }

  TEST_CASE("huge attempt counts stay at the cap") {
    double delay = reconnect_delay_ms(INT_MAX, 0.0);
    CHECK(std::isfinite(delay));
    CHECK(delay == doctest::Approx(15000.0));
  }

  TEST_CASE("jitter outside [0, 1) is clamped") {
    CHECK(reconnect_delay_ms(0, -0.5) == doctest::Approx(500.0));
    CHECK(reconnect_delay_ms(0, 5.0) == doctest::Approx(350.0));
    CHECK(reconnect_delay_ms(5, 5.0) == doctest::Approx(10500.0));
  }
}
