// Connection ids in API Gateway's shape: URL-safe base64 with padding (RFC 4648 section 5) of
// random bytes, 16 characters, never repeated.
#include "connection_id.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

using videochat::local::base64url_padded;
using videochat::local::new_connection_id;
using videochat::local::new_request_id;

std::string encode(std::string_view text) {
  std::vector<unsigned char> bytes(text.begin(), text.end());
  return base64url_padded(bytes);
}

std::string encode(std::vector<unsigned char> bytes) {
  return base64url_padded(bytes);
}

bool url_safe(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

TEST_SUITE("base64url_padded") {
  TEST_CASE("RFC 4648 test vectors encode as specified") {
    CHECK(encode("") == "");
    CHECK(encode("f") == "Zg==");
    CHECK(encode("fo") == "Zm8=");
    CHECK(encode("foo") == "Zm9v");
    CHECK(encode("foob") == "Zm9vYg==");
    CHECK(encode("fooba") == "Zm9vYmE=");
    CHECK(encode("foobar") == "Zm9vYmFy");
  }

  TEST_CASE("values 62 and 63 use - and _ instead of + and /") {
    CHECK(encode({0xfb, 0xff}) == "-_8=");
    CHECK(encode({0xfb, 0xff, 0xbf}) == "-_-_");
  }

  TEST_CASE("zero and all-ones bytes encode to the ends of the alphabet") {
    CHECK(encode({0x00, 0x00, 0x00}) == "AAAA");
    CHECK(encode({0xff, 0xff, 0xff}) == "____");
    CHECK(encode({0xff}) == "_w==");
  }
}

TEST_SUITE("new_connection_id") {
  TEST_CASE("an id is 16 URL-safe characters ending in one '='") {
    std::string id = new_connection_id();
    REQUIRE(id.size() == 16);
    CHECK(id.back() == '=');
    CAPTURE(id);
    CHECK(std::all_of(id.begin(), id.end() - 1, url_safe));
  }

  TEST_CASE("ids are unique across many calls") {
    std::set<std::string> ids;
    for (int i = 0; i < 10000; ++i) ids.insert(new_connection_id());
    CHECK(ids.size() == 10000);
  }

  TEST_CASE("a request id is 16 URL-safe characters without padding, unique across calls") {
    std::set<std::string> ids;
    for (int i = 0; i < 1000; ++i) {
      std::string id = new_request_id();
      CAPTURE(id);
      REQUIRE(id.size() == 16);
      REQUIRE(std::all_of(id.begin(), id.end(), url_safe));
      ids.insert(id);
    }
    CHECK(ids.size() == 1000);
  }
}
