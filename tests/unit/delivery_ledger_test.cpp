// The load generator's accounting: what counts as delivered, lost, duplicated and unexpected, how
// latency percentiles are taken, and which relayed frames are benchmark messages.
#include "delivery_ledger.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace {

using videochat::bench::BenchMessage;
using videochat::bench::DeliveryLedger;
using videochat::bench::format_bench_message;
using videochat::bench::LedgerReport;
using videochat::bench::parse_bench_message;

constexpr std::int64_t kMs = 1'000'000;  // nanoseconds in a millisecond

// Client 0 sends message 1 at t = 0 to clients 1 and 2.
DeliveryLedger one_message_to_two() {
  DeliveryLedger ledger;
  ledger.sent(0, 1, 0, {1, 2});
  return ledger;
}

bool parses(const std::string& text) {
  BenchMessage message;
  return parse_bench_message(text, message);
}

}  // namespace

TEST_SUITE("delivery ledger") {
  TEST_CASE("all_delivered holds only once every expected delivery has arrived") {
    DeliveryLedger ledger = one_message_to_two();
    CHECK_FALSE(ledger.all_delivered());
    ledger.received(1, 0, 1, 1 * kMs);
    CHECK_FALSE(ledger.all_delivered());
    ledger.received(2, 0, 1, 1 * kMs);
    CHECK(ledger.all_delivered());
  }

  TEST_CASE("deliveries that each arrive exactly once are neither lost nor duplicated") {
    DeliveryLedger ledger = one_message_to_two();
    ledger.sent(1, 1, 0, {0, 2});
    ledger.received(1, 0, 1, 1 * kMs);
    ledger.received(2, 0, 1, 1 * kMs);
    ledger.received(0, 1, 1, 1 * kMs);
    ledger.received(2, 1, 1, 1 * kMs);

    LedgerReport report = ledger.report();
    CHECK(report.sent == 2);
    CHECK(report.expected == 4);
    CHECK(report.delivered == 4);
    CHECK(report.lost == 0);
    CHECK(report.duplicated == 0);
    CHECK(report.unexpected == 0);
  }

  TEST_CASE("expected deliveries are one per recipient of every message") {
    DeliveryLedger ledger;
    ledger.sent(0, 1, 0, {1, 2, 3});
    ledger.sent(0, 2, 0, {1, 2, 3});
    ledger.sent(4, 1, 0, {5});

    LedgerReport report = ledger.report();
    CHECK(report.sent == 3);
    CHECK(report.expected == 7);
  }

  TEST_CASE("an expected delivery that never arrives is lost") {
    DeliveryLedger ledger = one_message_to_two();
    ledger.received(1, 0, 1, 1 * kMs);

    LedgerReport report = ledger.report();
    CHECK(report.expected == 2);
    CHECK(report.delivered == 1);
    CHECK(report.lost == 1);
    CHECK(report.duplicated == 0);
  }

  TEST_CASE("a message that reaches no one is lost once per recipient") {
    DeliveryLedger ledger = one_message_to_two();

    LedgerReport report = ledger.report();
    CHECK(report.delivered == 0);
    CHECK(report.lost == 2);
  }

  TEST_CASE("a second copy of a delivery is duplicated, not delivered twice") {
    DeliveryLedger ledger = one_message_to_two();
    ledger.received(1, 0, 1, 1 * kMs);
    ledger.received(1, 0, 1, 2 * kMs);
    ledger.received(2, 0, 1, 1 * kMs);

    LedgerReport report = ledger.report();
    CHECK(report.delivered == 2);
    CHECK(report.duplicated == 1);
    CHECK(report.lost == 0);
    CHECK(report.unexpected == 0);
  }

  TEST_CASE("every extra copy of a delivery counts as one duplicate") {
    DeliveryLedger ledger = one_message_to_two();
    for (int copy = 0; copy < 3; ++copy) ledger.received(1, 0, 1, 1 * kMs);
    ledger.received(2, 0, 1, 1 * kMs);

    LedgerReport report = ledger.report();
    CHECK(report.delivered == 2);
    CHECK(report.duplicated == 2);
  }

  TEST_CASE("a copy of one recipient's delivery does not stand in for another's") {
    DeliveryLedger ledger = one_message_to_two();
    ledger.received(1, 0, 1, 1 * kMs);
    ledger.received(1, 0, 1, 1 * kMs);

    LedgerReport report = ledger.report();
    CHECK(report.delivered == 1);
    CHECK(report.duplicated == 1);
    CHECK(report.lost == 1);
  }

  TEST_CASE("a delivery to a member who is not a recipient is unexpected") {
    DeliveryLedger ledger = one_message_to_two();
    ledger.received(3, 0, 1, 1 * kMs);

    LedgerReport report = ledger.report();
    CHECK(report.unexpected == 1);
    CHECK(report.delivered == 0);
    CHECK(report.lost == 2);
  }

  TEST_CASE("a message echoed back to its sender is unexpected") {
    DeliveryLedger ledger = one_message_to_two();
    ledger.received(0, 0, 1, 1 * kMs);

    CHECK(ledger.report().unexpected == 1);
  }

  TEST_CASE("a delivery of a message that was never sent is unexpected") {
    DeliveryLedger ledger = one_message_to_two();
    ledger.received(1, 0, 2, 1 * kMs);  // sequence 2 was never sent
    ledger.received(1, 7, 1, 1 * kMs);  // nor was anything by client 7

    LedgerReport report = ledger.report();
    CHECK(report.unexpected == 2);
    CHECK(report.delivered == 0);
  }

  TEST_CASE("messages of different clients with the same sequence number are told apart") {
    DeliveryLedger ledger;
    ledger.sent(0, 1, 0, {1});
    ledger.sent(1, 1, 0, {0});
    ledger.received(1, 0, 1, 1 * kMs);

    LedgerReport report = ledger.report();
    CHECK(report.delivered == 1);
    CHECK(report.lost == 1);
    CHECK(report.duplicated == 0);
  }

  TEST_CASE("latency percentiles are taken over every delivery's time from sending") {
    // 100 messages, each delivered once, 1 ms to 100 ms after it was sent, in scrambled order.
    DeliveryLedger ledger;
    for (std::uint64_t sequence = 1; sequence <= 100; ++sequence) {
      ledger.sent(0, sequence, static_cast<std::int64_t>(sequence) * 1000 * kMs, {1});
    }
    for (std::uint64_t i = 0; i < 100; ++i) {
      std::uint64_t sequence = (i * 37) % 100 + 1;  // 37 is coprime with 100: each once
      std::int64_t sent_ns = static_cast<std::int64_t>(sequence) * 1000 * kMs;
      ledger.received(1, 0, sequence, sent_ns + static_cast<std::int64_t>(sequence) * kMs);
    }

    LedgerReport report = ledger.report();
    REQUIRE(report.delivered == 100);
    CHECK(report.p50_ms == doctest::Approx(50));
    CHECK(report.p99_ms == doctest::Approx(99));
    CHECK(report.max_ms == doctest::Approx(100));
  }

  TEST_CASE("a late duplicate does not count as a latency") {
    DeliveryLedger ledger = one_message_to_two();
    ledger.received(1, 0, 1, 2 * kMs);
    ledger.received(2, 0, 1, 4 * kMs);
    ledger.received(1, 0, 1, 500 * kMs);

    LedgerReport report = ledger.report();
    CHECK(report.max_ms == doctest::Approx(4));
  }

  TEST_CASE("a report without deliveries has zero latencies") {
    LedgerReport report = one_message_to_two().report();
    CHECK(report.p50_ms == 0);
    CHECK(report.p99_ms == 0);
    CHECK(report.max_ms == 0);
  }
}

TEST_SUITE("benchmark messages") {
  TEST_CASE("a benchmark message is the compact object {c, s, t}") {
    CHECK(format_bench_message({3, 7, 123456789}) == R"({"c":3,"s":7,"t":123456789})");
  }

  TEST_CASE("a formatted message parses back to the same fields") {
    BenchMessage sent{std::numeric_limits<int>::max(), (std::uint64_t{1} << 40) - 1,
                      std::numeric_limits<std::int64_t>::max()};
    BenchMessage got;
    REQUIRE(parse_bench_message(format_bench_message(sent), got));
    CHECK(got.client == sent.client);
    CHECK(got.sequence == sent.sequence);
    CHECK(got.sent_ns == sent.sent_ns);
  }

  TEST_CASE("a field a server spliced in before the benchmark fields is ignored") {
    BenchMessage got;
    REQUIRE(parse_bench_message(R"({"from":"abc=","c":4,"s":5,"t":6})", got));
    CHECK(got.client == 4);
    CHECK(got.sequence == 5);
    CHECK(got.sent_ns == 6);
  }

  TEST_CASE("a field a server spliced in after the benchmark fields is ignored") {
    BenchMessage got;
    REQUIRE(parse_bench_message(R"({"c":4,"s":5,"t":6,"from":"abc="})", got));
    CHECK(got.client == 4);
    CHECK(got.sequence == 5);
    CHECK(got.sent_ns == 6);
  }

  TEST_CASE("the benchmark fields may come in any order") {
    BenchMessage got;
    REQUIRE(parse_bench_message(R"({"t":6,"s":5,"c":4})", got));
    CHECK(got.client == 4);
    CHECK(got.sequence == 5);
    CHECK(got.sent_ns == 6);
  }

  TEST_CASE("text that is not a JSON object is not a benchmark message") {
    CHECK_FALSE(parses(""));
    CHECK_FALSE(parses("hello"));
    CHECK_FALSE(parses("42"));
    CHECK_FALSE(parses(R"("{\"c\":1,\"s\":2,\"t\":3}")"));
    CHECK_FALSE(parses(R"([{"c":1,"s":2,"t":3}])"));
  }

  TEST_CASE("an object missing any of c, s or t is not a benchmark message") {
    CHECK_FALSE(parses(R"({"s":2,"t":3})"));
    CHECK_FALSE(parses(R"({"c":1,"t":3})"));
    CHECK_FALSE(parses(R"({"c":1,"s":2})"));
    CHECK_FALSE(parses("{}"));
  }

  TEST_CASE("a benchmark field that is not a number makes it not a benchmark message") {
    CHECK_FALSE(parses(R"({"c":"1","s":2,"t":3})"));
    CHECK_FALSE(parses(R"({"c":1,"s":-2,"t":3})"));
    CHECK_FALSE(parses(R"({"c":1,"s":2,"t":null})"));
  }

  TEST_CASE("the server's own notices are not benchmark messages") {
    CHECK_FALSE(parses(R"({"type":"newParticipant","participantConnectionId":"abc="})"));
    CHECK_FALSE(
        parses(R"({"type":"participantLeft","participantConnectionId":"abc=","reason":"left"})"));
    CHECK_FALSE(parses(R"({"type":"error","code":"NOT_IN_ROOM","message":"join it first"})"));
  }
}
