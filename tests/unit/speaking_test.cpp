// Who is speaking: a level from getStats' cumulative counters, a voice that starts at a clear level
// and stops only after a quiet stretch, and an active speaker that does not ping-pong on
// cross-talk.
#include "speaking.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <tuple>
#include <vector>

namespace {

using videochat::client::ActiveSpeaker;
using videochat::client::audio_level_between;
using videochat::client::SpeakingDetector;

constexpr double kLoud = 0.1;
constexpr double kMurmur = 0.02;  // between the off and the on level
constexpr double kSilent = 0.001;
constexpr double kTickMs = 100;

// Feeds `detector` one `level` sample every kTickMs for `ms`, advancing `clock_ms`.
void hold(SpeakingDetector& detector, double& clock_ms, double level, double ms) {
  for (double elapsed = 0; elapsed < ms; elapsed += kTickMs) {
    clock_ms += kTickMs;
    detector.observe(clock_ms, level);
  }
}

using Round = std::vector<std::tuple<std::uint32_t, bool, double>>;

// Plays the same round every kTickMs for `ms`, advancing `clock_ms`.
void play(ActiveSpeaker& speaker, double& clock_ms, const Round& round, double ms) {
  for (double elapsed = 0; elapsed < ms; elapsed += kTickMs) {
    clock_ms += kTickMs;
    speaker.observe(clock_ms, round);
  }
}

}  // namespace

TEST_SUITE("speaking: audio level from getStats") {
  TEST_CASE("the level is the root of the energy per second over the interval") {
    // A second at level 0.1 adds 0.01 to the energy.
    const auto level = audio_level_between(5.0, 10.0, 5.01, 11.0);
    REQUIRE(level.has_value());
    CHECK(*level == doctest::Approx(0.1));
    CHECK(*audio_level_between(0, 0, 0.25 * 0.25 * 0.5, 0.5) == doctest::Approx(0.25));
  }

  TEST_CASE("silence is level zero") {
    CHECK(audio_level_between(3.0, 7.0, 3.0, 8.0) == 0.0);
  }

  TEST_CASE("no level when the duration did not grow") {
    CHECK(audio_level_between(1.0, 4.0, 1.0, 4.0) == std::nullopt);
    CHECK(audio_level_between(1.0, 4.0, 1.5, 4.0) == std::nullopt);
  }

  TEST_CASE("no level when the counters went backwards (a new connection)") {
    CHECK(audio_level_between(1.0, 40.0, 0.01, 2.0) == std::nullopt);
    CHECK(audio_level_between(1.0, 40.0, 0.5, 41.0) == std::nullopt);
  }

  TEST_CASE("no level from a negative reading (a placeholder for none)") {
    CHECK(audio_level_between(-1, -1, 0.5, 10.0) == std::nullopt);
  }

  TEST_CASE("no level from counters that are not numbers") {
    CHECK(audio_level_between(0, 0, NAN, 1.0) == std::nullopt);
    CHECK(audio_level_between(0, 0, 1.0, INFINITY) == std::nullopt);
  }

  TEST_CASE("a level never exceeds full scale") {
    CHECK(audio_level_between(0, 0, 4.0, 1.0) == 1.0);
  }
}

TEST_SUITE("speaking: one voice") {
  TEST_CASE("a voice starts speaking at the on level and not below it") {
    SpeakingDetector detector;
    CHECK_FALSE(detector.observe(0, SpeakingDetector::kOnLevel * 0.99));
    CHECK(detector.observe(100, SpeakingDetector::kOnLevel));
    CHECK(detector.speaking());
  }

  TEST_CASE("a murmur between the off and the on level never starts speaking") {
    SpeakingDetector detector;
    double clock = 0;
    hold(detector, clock, kMurmur, 10'000);
    CHECK_FALSE(detector.speaking());
  }

  TEST_CASE("a murmur keeps a speaking voice speaking") {
    SpeakingDetector detector;
    double clock = 0;
    hold(detector, clock, kLoud, 500);
    hold(detector, clock, kMurmur, 10'000);
    CHECK(detector.speaking());
  }

  TEST_CASE("a voice stops speaking only after the hold time below the off level") {
    SpeakingDetector detector;
    double clock = 0;
    hold(detector, clock, kLoud, 500);
    CHECK(detector.observe(clock += kTickMs, kSilent));  // the first quiet sample
    const double quiet_from = clock;
    while (detector.observe(clock += kTickMs, kSilent)) {
      REQUIRE(clock - quiet_from < SpeakingDetector::kOffHoldMs);
    }
    CHECK(clock - quiet_from == SpeakingDetector::kOffHoldMs);
  }

  TEST_CASE("pauses between words shorter than the hold time do not flicker") {
    SpeakingDetector detector;
    double clock = 0;
    hold(detector, clock, kLoud, 300);
    for (int word = 0; word < 20; ++word) {
      hold(detector, clock, kSilent, SpeakingDetector::kOffHoldMs - 2 * kTickMs);
      CHECK(detector.speaking());
      hold(detector, clock, kLoud, 200);
      CHECK(detector.speaking());
    }
  }

  TEST_CASE("the quiet stretch starts over when the voice comes back") {
    SpeakingDetector detector;
    double clock = 0;
    hold(detector, clock, kLoud, 300);
    hold(detector, clock, kSilent, 1000);
    hold(detector, clock, kMurmur, 100);
    hold(detector, clock, kSilent, 1000);
    CHECK(detector.speaking());
  }

  TEST_CASE("the level is the last sample's") {
    SpeakingDetector detector;
    detector.observe(0, 0.2);
    detector.observe(100, 0.05);
    CHECK(detector.level() == 0.05);
  }

  TEST_CASE("a level that is not a number reads as silence") {
    SpeakingDetector detector;
    CHECK_FALSE(detector.observe(0, NAN));
    CHECK(detector.level() == 0.0);
  }

  TEST_CASE("speaking time counts from the first loud sample, hold included, and is 0 when quiet") {
    SpeakingDetector detector;
    CHECK(detector.speaking_for_ms(1000) == 0.0);
    detector.observe(1000, kLoud);
    CHECK(detector.speaking_for_ms(1000) == 0.0);
    detector.observe(2000, kLoud);
    detector.observe(2500, kSilent);
    CHECK(detector.speaking_for_ms(2500) == 1500.0);
    detector.observe(3700, kSilent);
    REQUIRE_FALSE(detector.speaking());
    CHECK(detector.speaking_for_ms(3700) == 0.0);
  }

  TEST_CASE("a new stretch of speaking counts from its own start") {
    SpeakingDetector detector;
    double clock = 0;
    hold(detector, clock, kLoud, 5000);
    hold(detector, clock, kSilent, 2000);
    REQUIRE_FALSE(detector.speaking());
    detector.observe(clock += kTickMs, kLoud);
    CHECK(detector.speaking_for_ms(clock + 400) == 400.0);
  }

  TEST_CASE("reset forgets the voice") {
    SpeakingDetector detector;
    detector.observe(0, kLoud);
    detector.reset();
    CHECK_FALSE(detector.speaking());
    CHECK(detector.level() == 0.0);
    CHECK(detector.speaking_for_ms(5000) == 0.0);
    CHECK_FALSE(detector.observe(5000, kMurmur));
  }
}

TEST_SUITE("speaking: the active speaker") {
  TEST_CASE("nobody is active before anybody speaks") {
    ActiveSpeaker speaker;
    double clock = 0;
    play(speaker, clock, {{1, false, kSilent}, {2, false, kSilent}}, 5000);
    CHECK(speaker.active() == std::nullopt);
  }

  TEST_CASE("the first to speak is active at once") {
    ActiveSpeaker speaker;
    speaker.observe(0, {{1, false, kSilent}, {2, true, kLoud}});
    CHECK(speaker.active() == 2u);
  }

  TEST_CASE("when several start together the loudest is active") {
    ActiveSpeaker speaker;
    speaker.observe(0, {{1, true, 0.05}, {2, true, 0.2}, {3, true, 0.1}, {4, false, 0.5}});
    CHECK(speaker.active() == 2u);
  }

  TEST_CASE("equally loud speakers: the smallest key is active") {
    ActiveSpeaker speaker;
    speaker.observe(0, {{7, true, 0.1}, {3, true, 0.1}});
    CHECK(speaker.active() == 3u);
  }

  TEST_CASE("cross-talk, however loud, does not take over while the active one speaks") {
    ActiveSpeaker speaker;
    double clock = 0;
    play(speaker, clock, {{1, true, 0.05}, {2, false, kSilent}}, 500);
    play(speaker, clock, {{1, true, 0.05}, {2, true, 0.5}}, 10'000);
    CHECK(speaker.active() == 1u);
  }

  TEST_CASE("another takes over after speaking for the switch time while the active one is not") {
    ActiveSpeaker speaker;
    double clock = 0;
    play(speaker, clock, {{1, true, kLoud}, {2, false, kSilent}}, 500);
    const Round two_alone = {{1, false, kSilent}, {2, true, kLoud}};
    play(speaker, clock, two_alone, ActiveSpeaker::kSwitchAfterMs);
    CHECK(speaker.active() == 1u);  // the first round started the clock
    play(speaker, clock, two_alone, kTickMs);
    CHECK(speaker.active() == 2u);
  }

  TEST_CASE("the active one speaking again resets a challenger's time") {
    ActiveSpeaker speaker;
    double clock = 0;
    play(speaker, clock, {{1, true, kLoud}, {2, false, kSilent}}, 500);
    for (int turn = 0; turn < 10; ++turn) {
      play(speaker, clock, {{1, false, kSilent}, {2, true, kLoud}}, 800);
      play(speaker, clock, {{1, true, kLoud}, {2, true, kLoud}}, 100);
    }
    CHECK(speaker.active() == 1u);
  }

  TEST_CASE("a challenger that pauses starts its time over") {
    ActiveSpeaker speaker;
    double clock = 0;
    play(speaker, clock, {{1, true, kLoud}, {2, false, kSilent}}, 500);
    play(speaker, clock, {{1, false, kSilent}, {2, true, kLoud}}, 800);
    play(speaker, clock, {{1, false, kSilent}, {2, false, kSilent}}, 100);
    play(speaker, clock, {{1, false, kSilent}, {2, true, kLoud}}, 800);
    CHECK(speaker.active() == 1u);
    play(speaker, clock, {{1, false, kSilent}, {2, true, kLoud}}, 300);
    CHECK(speaker.active() == 2u);
  }

  TEST_CASE("of several challengers, the loudest of those past the switch time takes over") {
    ActiveSpeaker speaker;
    double clock = 0;
    play(speaker, clock, {{1, true, kLoud}, {2, false, kSilent}, {3, false, kSilent}}, 500);
    play(speaker, clock, {{1, false, kSilent}, {2, true, 0.05}, {3, false, kSilent}}, 500);
    // 3 is louder but joined later: 2 is past the switch time first.
    play(speaker, clock, {{1, false, kSilent}, {2, true, 0.05}, {3, true, 0.4}}, 600);
    CHECK(speaker.active() == 2u);
  }

  TEST_CASE("the active one stays active through a short silence") {
    ActiveSpeaker speaker;
    double clock = 0;
    play(speaker, clock, {{1, true, kLoud}, {2, false, kSilent}}, 500);
    play(speaker, clock, {{1, false, kSilent}, {2, false, kSilent}},
         ActiveSpeaker::kQuietAfterMs - kTickMs);
    CHECK(speaker.active() == 1u);
  }

  TEST_CASE("nobody is active once nobody has spoken for the quiet time") {
    ActiveSpeaker speaker;
    double clock = 0;
    play(speaker, clock, {{1, true, kLoud}, {2, false, kSilent}}, 500);
    play(speaker, clock, {{1, false, kSilent}, {2, false, kSilent}}, ActiveSpeaker::kQuietAfterMs);
    CHECK(speaker.active() == std::nullopt);
  }

  TEST_CASE("after a quiet spell the next to speak is active at once") {
    ActiveSpeaker speaker;
    double clock = 0;
    play(speaker, clock, {{1, true, kLoud}, {2, false, kSilent}}, 500);
    play(speaker, clock, {{1, false, kSilent}, {2, false, kSilent}}, 5000);
    speaker.observe(clock += kTickMs, {{1, false, kSilent}, {2, true, kLoud}});
    CHECK(speaker.active() == 2u);
  }

  TEST_CASE("an active peer that leaves is active no longer, and one still speaking takes over") {
    ActiveSpeaker speaker;
    double clock = 0;
    play(speaker, clock, {{1, true, kLoud}, {2, true, 0.05}, {3, false, kSilent}}, 500);
    REQUIRE(speaker.active() == 1u);
    speaker.observe(clock += kTickMs, {{2, false, kSilent}, {3, false, kSilent}});
    CHECK(speaker.active() == std::nullopt);

    play(speaker, clock, {{1, true, kLoud}, {2, false, kSilent}, {3, false, kSilent}}, 500);
    REQUIRE(speaker.active() == 1u);
    speaker.observe(clock += kTickMs, {{2, true, 0.05}, {3, false, kSilent}});
    CHECK(speaker.active() == 2u);
  }

  TEST_CASE("an empty round (everybody left) leaves nobody active") {
    ActiveSpeaker speaker;
    speaker.observe(0, {{1, true, kLoud}});
    speaker.observe(100, {});
    CHECK(speaker.active() == std::nullopt);
  }
}
