#include "message_rate.hpp"

#include <doctest/doctest.h>

#include <vector>

using videochat::local::MessageRateLimiter;
using videochat::local::RateLimit;
using videochat::local::RateVerdict;
using videochat::local::TokenBucket;

TEST_SUITE("message rate") {
  TEST_CASE("a burst passes, the next message is refused and told, then refilled at the rate") {
    MessageRateLimiter limiter({10, 40}, {0, 0}, 0);
    for (int i = 0; i < 40; ++i) REQUIRE(limiter.admit(0, 100) == RateVerdict::Pass);
    CHECK(limiter.admit(0, 100) == RateVerdict::RefuseAndTell);
    CHECK(limiter.admit(50, 100) == RateVerdict::Refuse);  // told already this second
    // 100 ms at 10 a second is one message.
    CHECK(limiter.admit(100, 100) == RateVerdict::Pass);
    CHECK(limiter.admit(100, 100) == RateVerdict::Refuse);
    CHECK(limiter.admit(1000, 100) == RateVerdict::Pass);
  }

  TEST_CASE("a sender at the rate is never refused") {
    MessageRateLimiter limiter({50, 200}, {262144, 1048576}, 0);
    for (int i = 0; i < 5000; ++i) REQUIRE(limiter.admit(i * 20.0, 1000) == RateVerdict::Pass);
  }

  TEST_CASE("the told notice comes at most once a second") {
    // 60 a second against a limit of 50 (no burst to speak of): ten refusals a second.
    MessageRateLimiter limiter({50, 1}, {0, 0}, 0);
    std::vector<double> told;
    for (int i = 0; i < 5 * 60; ++i) {
      const double ms = i * 1000.0 / 60;
      if (limiter.admit(ms, 1) == RateVerdict::RefuseAndTell) told.push_back(ms);
    }
    REQUIRE(told.size() >= 4);
    for (std::size_t i = 1; i < told.size(); ++i) CHECK(told[i] - told[i - 1] >= 1000);
  }

  TEST_CASE("bytes are limited too, and a refused message costs nothing") {
    MessageRateLimiter limiter({0, 0}, {1000, 4000}, 0);
    CHECK(limiter.admit(0, 3000) == RateVerdict::Pass);
    CHECK(limiter.admit(0, 3000) == RateVerdict::RefuseAndTell);
    // The refused 3000 bytes were not charged: 1000 are left.
    CHECK(limiter.admit(0, 1000) == RateVerdict::Pass);
    CHECK(limiter.admit(2000, 2000) == RateVerdict::Pass);
  }

  TEST_CASE("a flood is closed once its refusals pass ten seconds' allowance") {
    MessageRateLimiter limiter({50, 200}, {0, 0}, 0);
    int passed = 0, refused = 0;
    RateVerdict verdict = RateVerdict::Pass;
    // 100,000 messages a second.
    for (int i = 0; verdict != RateVerdict::Close && i < 100000; ++i) {
      verdict = limiter.admit(i * 0.01, 10);
      (verdict == RateVerdict::Pass ? passed : refused) += 1;
    }
    CHECK(verdict == RateVerdict::Close);
    CHECK(passed == 200);
    CHECK(refused == 50 * 10 + 1);
  }

  TEST_CASE("a sender a little over its rate is slowed, never closed") {
    MessageRateLimiter limiter({50, 200}, {0, 0}, 0);
    int passed = 0;
    for (int i = 0; i < 60 * 60; ++i) {  // 60 a second for a minute
      RateVerdict verdict = limiter.admit(i * 1000.0 / 60, 10);
      REQUIRE(verdict != RateVerdict::Close);
      passed += verdict == RateVerdict::Pass;
    }
    CHECK(passed <= 200 + 50 * 60 + 1);
    CHECK(passed >= 50 * 60);
  }

  TEST_CASE("no limit: everything passes") {
    MessageRateLimiter limiter({0, 0}, {0, 0}, 0);
    for (int i = 0; i < 100000; ++i) REQUIRE(limiter.admit(0, 1 << 20) == RateVerdict::Pass);
  }

  TEST_CASE("a bucket refills to its burst and no further") {
    TokenBucket bucket(RateLimit{10, 20}, 0);
    CHECK(bucket.holds(0, 20));
    bucket.take(20);
    CHECK_FALSE(bucket.holds(0, 1));
    CHECK(bucket.holds(100000, 20));
    CHECK_FALSE(bucket.holds(100000, 21));
  }
}
