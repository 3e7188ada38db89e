#include <doctest/doctest.h>

#include "management_guard.hpp"

using videochat::local::is_loopback_address;
using videochat::local::is_loopback_host;
using videochat::local::unsigned_management_refusal;

TEST_SUITE("the unsigned management API: programs on this machine only") {
  TEST_CASE("loopback peers, IPv4-mapped ones included; nothing else") {
    CHECK(is_loopback_address("127.0.0.1"));
    CHECK(is_loopback_address("127.3.2.1"));
    CHECK(is_loopback_address("::1"));
    CHECK(is_loopback_address("::ffff:127.0.0.1"));
    CHECK_FALSE(is_loopback_address("::ffff:10.0.0.1"));
    CHECK_FALSE(is_loopback_address("10.0.0.1"));
    CHECK_FALSE(is_loopback_address("128.0.0.1"));
    CHECK_FALSE(is_loopback_address("fe80::1"));
    CHECK_FALSE(is_loopback_address(""));
  }

  TEST_CASE("loopback Host names, with or without a port") {
    for (const char* host :
         {"localhost", "LOCALHOST:8080", "127.0.0.1", "127.0.0.1:8080", "[::1]", "[::1]:8080"}) {
      CAPTURE(host);
      CHECK(is_loopback_host(host));
    }
    for (const char* host : {"", "evil.example", "evil.example:8080", "localhost.evil.example",
                             "127.0.0.1.evil.example", "[::1", "[::1]x", "::1", "[10.0.0.1]"}) {
      CAPTURE(host);
      CHECK_FALSE(is_loopback_host(host));
    }
  }

  TEST_CASE("a program on this machine is answered") {
    CHECK_FALSE(unsigned_management_refusal(std::nullopt, "127.0.0.1:8080"));
    CHECK_FALSE(unsigned_management_refusal(std::nullopt, "localhost:8080"));
  }

  TEST_CASE("a web page's request (an Origin), or a rebound host name is not") {
    auto page = unsigned_management_refusal("https://evil.example", "127.0.0.1:8080");
    REQUIRE(page);
    CHECK(page->find("Origin") != std::string::npos);
    auto rebound = unsigned_management_refusal(std::nullopt, "evil.example:8080");
    REQUIRE(rebound);
    CHECK(rebound->find("evil.example") != std::string::npos);
  }
}
