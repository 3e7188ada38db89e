#include <doctest/doctest.h>

#include "coalescing_loop.hpp"

using namespace std::chrono_literals;
using videochat::local::batch_worth_keeping;
using videochat::local::busy_enough_to_batch;
using videochat::local::next_batch_at;
using videochat::local::SteadyTime;

TEST_SUITE("busy_enough_to_batch") {
  const SteadyTime t0{1s};

  TEST_CASE("a loop woken again within a quarter of a window starts batching") {
    CHECK(busy_enough_to_batch(t0, t0 + 10us, 500us));
    CHECK(busy_enough_to_batch(t0, t0 + 124us, 500us));
  }

  TEST_CASE("a loop woken less often keeps waking for each event") {
    CHECK_FALSE(busy_enough_to_batch(t0, t0 + 125us, 500us));
    CHECK_FALSE(busy_enough_to_batch(t0, t0 + 10ms, 500us));
  }
}

TEST_SUITE("next_batch_at") {
  const SteadyTime t0{1s};

  TEST_CASE("the next batch comes a window after the previous one") {
    CHECK(next_batch_at(t0, t0 + 10us, 500us) == t0 + 500us);
    CHECK(next_batch_at(t0, t0 + 499us, 500us) == t0 + 500us);
  }

  TEST_CASE("a batch that took longer than a window is followed at once") {
    CHECK(next_batch_at(t0, t0 + 500us, 500us) == t0 + 500us);
    CHECK(next_batch_at(t0, t0 + 2ms, 500us) == t0 + 2ms);
  }
}

TEST_SUITE("batch_worth_keeping") {
  TEST_CASE("a batch of two messages or more keeps the loop batching") {
    CHECK(batch_worth_keeping(6));
    CHECK(batch_worth_keeping(300));
  }

  TEST_CASE("a batch of less than two messages sends the loop back to waking for each event") {
    CHECK_FALSE(batch_worth_keeping(0));
    CHECK_FALSE(batch_worth_keeping(5));
  }
}
