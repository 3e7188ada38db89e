// Telling a frozen remote video (frames decode, none are shown) from one that is merely paused or
// not being looked at, so that the client replaces only connections whose picture is really stuck.
#include "frozen_video.hpp"

#include <doctest/doctest.h>

namespace {

using videochat::client::FrozenVideoWatch;
using videochat::client::kFrozenVideoDecodedFrames;
using videochat::client::kFrozenVideoMs;

// Feeds the watch once a second for `seconds`, decoding `fps` frames a second and showing
// `shown_fps`; returns the second (1-based) at which it first reported a frozen video, or 0.
int seconds_until_frozen(FrozenVideoWatch& watch, double& clock_ms, double& decoded, double& shown,
                         int seconds, double fps, double shown_fps, bool watching = true) {
  for (int second = 1; second <= seconds; ++second) {
    clock_ms += 1000;
    decoded += fps;
    shown += shown_fps;
    if (watch.observe(clock_ms, decoded, shown, watching)) return second;
  }
  return 0;
}

}  // namespace

TEST_SUITE("frozen video") {
  TEST_CASE("a video whose frames are shown as they decode is never frozen") {
    FrozenVideoWatch watch;
    double clock = 0, decoded = 0, shown = 0;
    CHECK(seconds_until_frozen(watch, clock, decoded, shown, 60, 30, 30) == 0);
  }

  TEST_CASE("frames that keep decoding with none shown make a frozen video after the period") {
    FrozenVideoWatch watch;
    double clock = 0, decoded = 0, shown = 0;
    REQUIRE(seconds_until_frozen(watch, clock, decoded, shown, 5, 30, 30) == 0);
    const int second = seconds_until_frozen(watch, clock, decoded, shown, 20, 30, 0);
    CHECK(second == static_cast<int>(kFrozenVideoMs / 1000));
  }

  TEST_CASE("after reporting, it waits a full period again before reporting the same freeze") {
    FrozenVideoWatch watch;
    double clock = 0, decoded = 0, shown = 0;
    watch.observe(clock, decoded, shown, true);
    REQUIRE(seconds_until_frozen(watch, clock, decoded, shown, 20, 30, 0) > 0);
    CHECK(seconds_until_frozen(watch, clock, decoded, shown, 20, 30, 0) ==
          static_cast<int>(kFrozenVideoMs / 1000));
  }

  TEST_CASE("a video that stopped arriving (camera off, network gone) is paused, not frozen") {
    FrozenVideoWatch watch;
    double clock = 0, decoded = 0, shown = 0;
    watch.observe(clock, decoded, shown, true);
    CHECK(seconds_until_frozen(watch, clock, decoded, shown, 60, 0, 0) == 0);
  }

  TEST_CASE("a few frames decoded since the last one shown are not a freeze, however long ago") {
    FrozenVideoWatch watch;
    double clock = 0, decoded = 0, shown = 0;
    watch.observe(clock, decoded, shown, true);
    // One frame short of the threshold, spread over twice the period.
    const int seconds = static_cast<int>(2 * kFrozenVideoMs / 1000);
    const double per_second = (kFrozenVideoDecodedFrames - 1) / seconds;
    CHECK(seconds_until_frozen(watch, clock, decoded, shown, seconds, per_second, 0) == 0);
  }

  TEST_CASE("while the page is hidden nothing is shown, and that is no freeze") {
    FrozenVideoWatch watch;
    double clock = 0, decoded = 0, shown = 0;
    CHECK(seconds_until_frozen(watch, clock, decoded, shown, 60, 30, 0, /*watching=*/false) == 0);
    // Visible again: the period counts from the last moment it was hidden.
    CHECK(seconds_until_frozen(watch, clock, decoded, shown, 20, 30, 0) ==
          static_cast<int>(kFrozenVideoMs / 1000));
  }

  TEST_CASE("a long pause between observations (the page's loop stopped) is no freeze") {
    FrozenVideoWatch watch;
    double clock = 0, decoded = 0, shown = 0;
    REQUIRE(seconds_until_frozen(watch, clock, decoded, shown, 2, 30, 0) == 0);
    clock += 60'000;
    decoded += 1800;
    CHECK_FALSE(watch.observe(clock, decoded, shown, true));
    // Observed steadily again, a freeze counts from there.
    CHECK(seconds_until_frozen(watch, clock, decoded, shown, 20, 30, 0) ==
          static_cast<int>(kFrozenVideoMs / 1000));
  }

  TEST_CASE("a decode counter that restarts from zero still counts as frames decoded") {
    // After a rolled-back offer Chromium recreates the receive stream: framesDecoded starts over.
    FrozenVideoWatch watch;
    double clock = 0;
    watch.observe(clock, 900, 500, true);
    bool frozen = false;
    for (int second = 1; second <= 6 && !frozen; ++second) {
      clock += 1000;
      frozen = watch.observe(clock, 30.0 * second, 500, true);
    }
    CHECK(frozen);
  }
}
