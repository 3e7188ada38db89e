#include <doctest/doctest.h>

#include "origin_policy.hpp"

using videochat::lambdas::is_same_origin;
using videochat::lambdas::origin_refusal;

namespace {

const std::optional<std::string_view> kNoHeader;

}  // namespace

TEST_SUITE("which pages may open a WebSocket") {
  TEST_CASE("by default a page the server served connects, and a page of another site does not") {
    const std::vector<std::string> none;
    CHECK_FALSE(origin_refusal(none, "http://127.0.0.1:8080", "127.0.0.1:8080"));
    CHECK_FALSE(origin_refusal(none, "http://LocalHost:8080", "localhost:8080"));
    auto refused = origin_refusal(none, "https://evil.example", "127.0.0.1:8080");
    REQUIRE(refused);
    CHECK(refused->find("https://evil.example") != std::string::npos);
    CHECK(refused->find("--allowed-origin") != std::string::npos);
    // Same host, another port: another origin (another server on the machine).
    CHECK(origin_refusal(none, "http://127.0.0.1:9999", "127.0.0.1:8080"));
    // A sandboxed frame or a file:// page says "null": not this server's page.
    CHECK(origin_refusal(none, "null", "127.0.0.1:8080"));
  }

  TEST_CASE("a client that is no browser (no Origin) connects unless a list was given") {
    CHECK_FALSE(origin_refusal({}, kNoHeader, "127.0.0.1:8080"));
    CHECK(origin_refusal({"https://app.example"}, kNoHeader, "127.0.0.1:8080"));
  }

  TEST_CASE("a listed origin connects, exactly as listed, and the server's own still does") {
    const std::vector<std::string> listed{"https://app.example", "http://localhost:8181"};
    CHECK_FALSE(origin_refusal(listed, "https://app.example", "api.example"));
    CHECK_FALSE(origin_refusal(listed, "http://localhost:8181", "127.0.0.1:8080"));
    CHECK(origin_refusal(listed, "http://app.example", "api.example"));
    CHECK(origin_refusal(listed, "https://app.example.evil", "api.example"));
    CHECK_FALSE(origin_refusal(listed, "http://127.0.0.1:8080", "127.0.0.1:8080"));
  }

  TEST_CASE("\"*\" lets every page connect") {
    CHECK_FALSE(origin_refusal({"*"}, "https://anywhere.example", "127.0.0.1:8080"));
    CHECK_FALSE(origin_refusal({"*"}, kNoHeader, kNoHeader));
  }

  TEST_CASE("without a Host header only a list can admit a page") {
    CHECK(origin_refusal({}, "http://127.0.0.1:8080", kNoHeader));
  }
}

TEST_SUITE("is_same_origin") {
  TEST_CASE("host and port compared without case, a default port written or not") {
    CHECK(is_same_origin("https://Chat.Example", "chat.example"));
    CHECK(is_same_origin("https://chat.example", "chat.example:443"));
    CHECK(is_same_origin("http://chat.example:80", "chat.example"));
    CHECK(is_same_origin("http://[::1]:8080", "[::1]:8080"));
    CHECK_FALSE(is_same_origin("https://chat.example", "chat.example:80"));
    CHECK_FALSE(is_same_origin("https://chat.example", "chat.example.evil"));
  }

  TEST_CASE("what is not an origin never matches") {
    CHECK_FALSE(is_same_origin("chat.example", "chat.example"));
    CHECK_FALSE(is_same_origin("https://", ""));
    CHECK_FALSE(is_same_origin("https://chat.example/", "chat.example"));
    CHECK_FALSE(is_same_origin("https://user@chat.example", "chat.example"));
    CHECK_FALSE(is_same_origin("https://chat.example", ""));
  }
}
