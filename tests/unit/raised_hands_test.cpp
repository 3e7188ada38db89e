// Raised hands: a queue in the order hands went up, each person's place in it, and the hand that
// lowers by itself once its owner has had the floor for a while.
#include "raised_hands.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

namespace {

using videochat::client::RaisedHands;
using Order = std::vector<std::string>;

}  // namespace

TEST_SUITE("raised hands") {
  TEST_CASE("nobody's hand is up at first") {
    RaisedHands hands;
    CHECK(hands.order().empty());
    CHECK(hands.place("bob") == 0);
    CHECK(hands.raised_at_ms("bob") == std::nullopt);
  }

  TEST_CASE("hands queue in the order they went up, each with its place") {
    RaisedHands hands;
    hands.raise("bob", 100);
    hands.raise("", 200);  // ourselves
    hands.raise("carol", 300);
    CHECK(hands.order() == Order{"bob", "", "carol"});
    CHECK(hands.place("bob") == 1);
    CHECK(hands.place("") == 2);
    CHECK(hands.place("carol") == 3);
    CHECK(hands.place("dave") == 0);
  }

  TEST_CASE("the queue follows the order of raising, not the times given") {
    RaisedHands hands;
    hands.raise("bob", 500);
    hands.raise("carol", 100);
    CHECK(hands.order() == Order{"bob", "carol"});
  }

  TEST_CASE("raising an already-raised hand keeps its place and its time") {
    RaisedHands hands;
    hands.raise("bob", 100);
    hands.raise("carol", 200);
    hands.raise("bob", 900);
    CHECK(hands.order() == Order{"bob", "carol"});
    CHECK(hands.raised_at_ms("bob") == 100.0);
  }

  TEST_CASE("a lowered hand leaves the queue and those after it move up") {
    RaisedHands hands;
    hands.raise("bob", 100);
    hands.raise("carol", 200);
    hands.raise("dave", 300);
    hands.lower("bob");
    CHECK(hands.order() == Order{"carol", "dave"});
    CHECK(hands.place("bob") == 0);
    CHECK(hands.place("dave") == 2);
    CHECK(hands.raised_at_ms("dave") == 300.0);
  }

  TEST_CASE("a hand raised again after lowering goes to the back") {
    RaisedHands hands;
    hands.raise("bob", 100);
    hands.raise("carol", 200);
    hands.lower("bob");
    hands.raise("bob", 300);
    CHECK(hands.order() == Order{"carol", "bob"});
    CHECK(hands.raised_at_ms("bob") == 300.0);
  }

  TEST_CASE("lowering a hand that is down changes nothing") {
    RaisedHands hands;
    hands.raise("bob", 100);
    hands.lower("carol");
    CHECK(hands.order() == Order{"bob"});
  }

  TEST_CASE("a person who leaves the call leaves the queue") {
    RaisedHands hands;
    hands.raise("bob", 100);
    hands.raise("carol", 200);
    hands.forget("bob");
    hands.forget("nobody");
    CHECK(hands.order() == Order{"carol"});
    CHECK(hands.place("carol") == 1);
  }

  TEST_CASE("a raised hand lowers by itself after speaking for the lowering time") {
    RaisedHands hands;
    hands.raise("bob", 100);
    CHECK_FALSE(hands.lowers_by_speaking("bob", 0));
    CHECK_FALSE(hands.lowers_by_speaking("bob", RaisedHands::kLowerAfterSpeakingMs - 1));
    CHECK(hands.lowers_by_speaking("bob", RaisedHands::kLowerAfterSpeakingMs));
    CHECK(hands.lowers_by_speaking("bob", 60'000));
  }

  TEST_CASE("a hand that is down does not lower by speaking") {
    RaisedHands hands;
    CHECK_FALSE(hands.lowers_by_speaking("bob", 60'000));
    hands.raise("bob", 100);
    hands.lower("bob");
    CHECK_FALSE(hands.lowers_by_speaking("bob", 60'000));
  }

  TEST_CASE("telling a hand it lowers by speaking does not lower it: the caller does") {
    RaisedHands hands;
    hands.raise("bob", 100);
    REQUIRE(hands.lowers_by_speaking("bob", 60'000));
    CHECK(hands.place("bob") == 1);
  }
}
