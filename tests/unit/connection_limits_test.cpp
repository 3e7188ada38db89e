#include "connection_limits.hpp"

#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "log_throttle.hpp"

using videochat::local::ConnectionLimits;
using videochat::local::LogThrottle;
using Refusal = ConnectionLimits::Refusal;

namespace {

bool admitted(const std::variant<ConnectionLimits::Slot, Refusal>& result) {
  return std::holds_alternative<ConnectionLimits::Slot>(result);
}

}  // namespace

TEST_SUITE("connection limits") {
  TEST_CASE("one address gets its share and no more; another address still gets in") {
    ConnectionLimits limits(100, 2);
    auto a1 = limits.admit("192.0.2.1");
    auto a2 = limits.admit("192.0.2.1");
    REQUIRE(admitted(a1));
    REQUIRE(admitted(a2));
    auto a3 = limits.admit("192.0.2.1");
    REQUIRE_FALSE(admitted(a3));
    CHECK(std::get<Refusal>(a3) == Refusal::PerAddress);
    CHECK(admitted(limits.admit("198.51.100.7")));
    CHECK(limits.held_by("192.0.2.1") == 2);
  }

  TEST_CASE("a place is freed when the last copy of its slot goes, and is taken again") {
    ConnectionLimits limits(100, 1);
    auto first = limits.admit("192.0.2.1");
    REQUIRE(admitted(first));
    {
      // The HTTP session hands its slot to the WebSocket session: two copies, one place.
      ConnectionLimits::Slot copy = std::get<ConnectionLimits::Slot>(first);
      first = Refusal::Total;  // the HTTP session is gone
      CHECK_FALSE(admitted(limits.admit("192.0.2.1")));
    }
    CHECK(limits.held() == 0);
    CHECK(limits.held_by("192.0.2.1") == 0);
    CHECK(admitted(limits.admit("192.0.2.1")));
  }

  TEST_CASE("the total is counted over every address") {
    ConnectionLimits limits(2, 0);
    auto a = limits.admit("192.0.2.1");
    auto b = limits.admit("192.0.2.2");
    auto c = limits.admit("192.0.2.3");
    CHECK(admitted(a));
    CHECK(admitted(b));
    REQUIRE_FALSE(admitted(c));
    CHECK(std::get<Refusal>(c) == Refusal::Total);
  }

  TEST_CASE("zero means no limit") {
    ConnectionLimits limits(0, 0);
    std::vector<ConnectionLimits::Slot> held;
    for (int i = 0; i < 1000; ++i) {
      auto slot = limits.admit("192.0.2.1");
      REQUIRE(admitted(slot));
      held.push_back(std::get<ConnectionLimits::Slot>(slot));
    }
    CHECK(limits.held() == 1000);
  }

  TEST_CASE("slots taken and freed on several threads at once leave the counts exact") {
    ConnectionLimits limits(0, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&limits, t] {
        for (int i = 0; i < 2000; ++i) {
          auto slot = limits.admit("192.0.2." + std::to_string(t));
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(limits.held() == 0);
  }

  TEST_CASE("a slot outlives the limits it came from without harm") {
    ConnectionLimits::Slot slot;
    {
      ConnectionLimits limits(1, 1);
      slot = std::get<ConnectionLimits::Slot>(limits.admit("192.0.2.1"));
    }
    slot.reset();  // gives its place back to counts that the slot itself kept alive
  }

  TEST_CASE("the default total leaves descriptors for the server itself") {
    CHECK(videochat::local::default_total_connections(1024) == 960);
    CHECK(videochat::local::default_total_connections(65536) == 65472);
    CHECK(videochat::local::default_total_connections(64) == 32);
  }

  TEST_CASE("a refusal is a complete HTTP response that says why") {
    const std::string text = videochat::local::refusal_text(Refusal::PerAddress);
    const std::string response = videochat::local::service_unavailable_response(text);
    CHECK(response.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0) == 0);
    CHECK(response.find("\r\nConnection: close\r\n") != std::string::npos);
    CHECK(response.find("\r\nRetry-After: 5\r\n") != std::string::npos);
    CHECK(response.find("Content-Length: " + std::to_string(text.size() + 1) + "\r\n") !=
          std::string::npos);
    CHECK(response.substr(response.size() - text.size() - 1) == text + "\n");
    CHECK(text.find("--max-connections-per-address") != std::string::npos);
  }
}

TEST_SUITE("log throttle") {
  TEST_CASE("the first line is written, then one a second, each with the count left out") {
    LogThrottle throttle(1000);
    CHECK(throttle.admit(0) == std::optional<std::uint64_t>(0));
    for (int i = 1; i <= 500; ++i) CHECK_FALSE(throttle.admit(i).has_value());
    CHECK(throttle.left_out() == 500);
    CHECK(throttle.admit(1000) == std::optional<std::uint64_t>(500));
    CHECK(throttle.left_out() == 0);
    CHECK_FALSE(throttle.admit(1999).has_value());
    CHECK(throttle.admit(2000) == std::optional<std::uint64_t>(1));
  }

  TEST_CASE("lines far apart are all written") {
    LogThrottle throttle(1000);
    for (int i = 0; i < 5; ++i)
      CHECK(throttle.admit(i * 5000.0) == std::optional<std::uint64_t>(0));
  }
}
