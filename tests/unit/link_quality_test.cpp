// A link's quality for a tile's bars: graded from round trip, loss over a window and available
// bandwidth, worse at once and better only when it lasts, and started over on a new connection.
#include "link_quality.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>

namespace {

using videochat::client::LinkQuality;
using videochat::client::LinkQualityMeter;
using videochat::client::LinkSample;

}  // namespace

namespace doctest {
template <>
struct StringMaker<LinkQuality> {
  static String convert(LinkQuality quality) {
    return std::string(videochat::client::to_string(quality)).c_str();
  }
};
}  // namespace doctest

namespace {

// A peer's statistics a second at a time: cumulative counters, as getStats gives them.
struct Link {
  LinkQualityMeter meter;
  double clock_ms = 0;
  double received = 0;
  double lost = 0;

  // One more second: `packets` arrive of which `lost_percent` are lost.
  LinkQuality second(std::optional<double> rtt_ms, double lost_percent = 0,
                     std::optional<double> available_bps = 2'000'000, double packets = 1000) {
    clock_ms += 1000;
    lost += packets * lost_percent / 100;
    received += packets * (100 - lost_percent) / 100;
    return meter.observe({clock_ms, rtt_ms, received, lost, available_bps});
  }
  // `count` such seconds; returns the last quality.
  LinkQuality seconds(int count, std::optional<double> rtt_ms, double lost_percent = 0,
                      std::optional<double> available_bps = 2'000'000) {
    LinkQuality quality = LinkQuality::Unknown;
    for (int i = 0; i < count; ++i) quality = second(rtt_ms, lost_percent, available_bps);
    return quality;
  }
};

}  // namespace

TEST_SUITE("link quality: grading") {
  TEST_CASE("each quality has a name for logs and the page") {
    CHECK(to_string(LinkQuality::Unknown) == "unknown");
    CHECK(to_string(LinkQuality::Good) == "good");
    CHECK(to_string(LinkQuality::Fair) == "fair");
    CHECK(to_string(LinkQuality::Poor) == "poor");
  }

  TEST_CASE("the quality is unknown until two samples") {
    Link link;
    CHECK(link.meter.quality() == LinkQuality::Unknown);
    CHECK(link.second(20) == LinkQuality::Unknown);
    CHECK(link.meter.loss_percent() == std::nullopt);
    CHECK(link.second(20) == LinkQuality::Good);
  }

  TEST_CASE("a short round trip, no loss and plenty of bandwidth is good") {
    Link link;
    CHECK(link.seconds(3, 50, 0, 2'000'000) == LinkQuality::Good);
  }

  TEST_CASE("a round trip over 200 ms is fair, over 400 ms poor") {
    CHECK(Link{}.seconds(2, 200) == LinkQuality::Good);
    CHECK(Link{}.seconds(2, 201) == LinkQuality::Fair);
    CHECK(Link{}.seconds(2, 400) == LinkQuality::Fair);
    CHECK(Link{}.seconds(2, 401) == LinkQuality::Poor);
  }

  TEST_CASE("loss over 2 % is fair, over 8 % poor") {
    CHECK(Link{}.seconds(2, 20, 2) == LinkQuality::Good);
    CHECK(Link{}.seconds(2, 20, 3) == LinkQuality::Fair);
    CHECK(Link{}.seconds(2, 20, 8) == LinkQuality::Fair);
    CHECK(Link{}.seconds(2, 20, 9) == LinkQuality::Poor);
  }

  TEST_CASE("under 500 kbit/s available is fair, under 150 kbit/s poor") {
    CHECK(Link{}.seconds(2, 20, 0, 500'000) == LinkQuality::Good);
    CHECK(Link{}.seconds(2, 20, 0, 499'999) == LinkQuality::Fair);
    CHECK(Link{}.seconds(2, 20, 0, 150'000) == LinkQuality::Fair);
    CHECK(Link{}.seconds(2, 20, 0, 149'999) == LinkQuality::Poor);
  }

  TEST_CASE("the worst signal decides") {
    CHECK(Link{}.seconds(2, 20, 0, 100'000) == LinkQuality::Poor);
    CHECK(Link{}.seconds(2, 500, 0, 2'000'000) == LinkQuality::Poor);
    CHECK(Link{}.seconds(2, 250, 1, 2'000'000) == LinkQuality::Fair);
  }

  TEST_CASE("a signal the browser did not give does not count") {
    CHECK(Link{}.seconds(2, std::nullopt, 0, std::nullopt) == LinkQuality::Good);
    CHECK(Link{}.seconds(2, std::nullopt, 9, std::nullopt) == LinkQuality::Poor);
    CHECK(Link{}.seconds(2, 250, 0, std::nullopt) == LinkQuality::Fair);
  }

  TEST_CASE("with no signal at all the quality stays unknown") {
    LinkQualityMeter meter;
    meter.observe({1000, std::nullopt, 0, 0, std::nullopt});
    CHECK(meter.observe({2000, std::nullopt, 0, 0, std::nullopt}) == LinkQuality::Unknown);
    CHECK(meter.loss_percent() == std::nullopt);
  }

  TEST_CASE("the last round trip and available bandwidth are kept as given") {
    Link link;
    link.second(20, 0, 1'000'000);
    link.second(35, 0, std::nullopt);
    CHECK(link.meter.round_trip_ms() == 35.0);
    CHECK(link.meter.available_outgoing_bps() == std::nullopt);
    link.second(std::nullopt, 0, 800'000);
    CHECK(link.meter.round_trip_ms() == std::nullopt);
    CHECK(link.meter.available_outgoing_bps() == 800'000.0);
  }
}

TEST_SUITE("link quality: loss") {
  TEST_CASE("loss is lost over lost plus received, from the counters' growth") {
    LinkQualityMeter meter;
    meter.observe({1000, 20, 5000, 700, std::nullopt});  // what came before is not counted
    meter.observe({2000, 20, 5950, 750, std::nullopt});
    REQUIRE(meter.loss_percent().has_value());
    CHECK(*meter.loss_percent() == doctest::Approx(5.0));
  }

  TEST_CASE("loss covers the last five intervals and forgets older ones") {
    Link link;
    link.seconds(1, 20);
    link.seconds(1, 20, 50);  // a burst
    link.seconds(LinkQualityMeter::kWindow - 1, 20);
    REQUIRE(link.meter.loss_percent().has_value());
    CHECK(*link.meter.loss_percent() == doctest::Approx(10.0));  // 500 of 5000
    link.seconds(1, 20);
    CHECK(*link.meter.loss_percent() == doctest::Approx(0.0));
  }

  TEST_CASE("a negative lost counter reads as none lost") {
    LinkQualityMeter meter;
    meter.observe({1000, 20, 100, -3, std::nullopt});
    meter.observe({2000, 20, 1100, -1, std::nullopt});
    CHECK(*meter.loss_percent() == doctest::Approx(0.0));
    meter.observe({3000, 20, 2090, 10, std::nullopt});
    CHECK(*meter.loss_percent() == doctest::Approx(10.0 / 2000 * 100));
  }

  TEST_CASE("a lost counter that dips (late duplicates) does not restart or count as negative") {
    LinkQualityMeter meter;
    meter.observe({1000, 20, 1000, 50, std::nullopt});
    meter.observe({2000, 20, 2000, 40, std::nullopt});
    CHECK(meter.quality() == LinkQuality::Good);
    CHECK(*meter.loss_percent() == doctest::Approx(0.0));
  }

  TEST_CASE("no loss is known while no packets arrive") {
    LinkQualityMeter meter;
    meter.observe({1000, 20, 500, 5, std::nullopt});
    meter.observe({2000, 20, 500, 5, std::nullopt});
    CHECK(meter.loss_percent() == std::nullopt);
    CHECK(meter.quality() == LinkQuality::Good);  // graded by the round trip alone
  }

  TEST_CASE("received packets that go backwards mean a new connection: the meter starts over") {
    Link link;
    REQUIRE(link.seconds(3, 20, 20) == LinkQuality::Poor);
    CHECK(link.meter.observe({link.clock_ms += 1000, 20, 300, 0, 2'000'000}) ==
          LinkQuality::Unknown);
    CHECK(link.meter.loss_percent() == std::nullopt);
    // No hysteresis carried over from the old connection: good at the second sample.
    CHECK(link.meter.observe({link.clock_ms += 1000, 20, 1300, 0, 2'000'000}) == LinkQuality::Good);
  }
}

TEST_SUITE("link quality: hysteresis") {
  TEST_CASE("a worse grade shows at once") {
    Link link;
    REQUIRE(link.seconds(5, 20) == LinkQuality::Good);
    CHECK(link.second(300) == LinkQuality::Fair);
    CHECK(link.second(500) == LinkQuality::Poor);
  }

  TEST_CASE("a better grade shows only after three samples in a row say so") {
    Link link;
    REQUIRE(link.seconds(3, 500) == LinkQuality::Poor);
    CHECK(link.second(20) == LinkQuality::Poor);
    CHECK(link.second(20) == LinkQuality::Poor);
    CHECK(link.second(20) == LinkQuality::Good);
  }

  TEST_CASE("a sample no better than shown starts the wait over") {
    Link link;
    REQUIRE(link.seconds(3, 500) == LinkQuality::Poor);
    link.seconds(2, 20);
    CHECK(link.second(500) == LinkQuality::Poor);
    CHECK(link.seconds(2, 20) == LinkQuality::Poor);
    CHECK(link.second(20) == LinkQuality::Good);
  }

  TEST_CASE("after better samples of mixed grades, the least good of them shows") {
    Link link;
    REQUIRE(link.seconds(3, 500) == LinkQuality::Poor);
    link.second(20);
    link.second(300);
    CHECK(link.second(20) == LinkQuality::Fair);
  }

  TEST_CASE("a sample with no signal neither worsens nor counts toward better") {
    LinkQualityMeter meter;
    meter.observe({1000, 500, 0, 0, std::nullopt});
    REQUIRE(meter.observe({2000, 500, 0, 0, std::nullopt}) == LinkQuality::Poor);
    meter.observe({3000, 20, 0, 0, std::nullopt});
    meter.observe({4000, 20, 0, 0, std::nullopt});
    CHECK(meter.observe({5000, std::nullopt, 0, 0, std::nullopt}) == LinkQuality::Poor);
    CHECK(meter.observe({6000, 20, 0, 0, std::nullopt}) == LinkQuality::Poor);
  }

  TEST_CASE("a link that flaps between good and fair shows fair") {
    Link link;
    link.seconds(2, 20);
    for (int i = 0; i < 10; ++i) {
      link.second(300);
      CHECK(link.second(20) == LinkQuality::Fair);
    }
  }
}
