#include <doctest/doctest.h>

#include "coalescing_loop.hpp"

using namespace std::chrono_literals;
using videochat::local::next_batch_at;
using videochat::local::SteadyTime;

TEST_SUITE("next_batch_at") {
  const SteadyTime t0{1s};

  TEST_CASE("a loop idle for longer than the window handles the first message at once") {
    CHECK(next_batch_at(t0, t0 + 5ms, 250us) == t0 + 5ms);
    CHECK(next_batch_at(t0, t0 + 250us, 250us) == t0 + 250us);
  }

  TEST_CASE("a loop woken again within the window waits for the window to pass") {
    CHECK(next_batch_at(t0, t0 + 10us, 250us) == t0 + 250us);
    CHECK(next_batch_at(t0, t0 + 249us, 250us) == t0 + 250us);
  }

  TEST_CASE("a zero window never waits") {
    CHECK(next_batch_at(t0, t0, 0us) == t0);
  }
}
