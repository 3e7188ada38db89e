// SigV4's percent-encoding and path normalization.
#include "uri_encode.hpp"

#include <doctest/doctest.h>

namespace {

using videochat::aws::normalize_path;
using videochat::aws::Slashes;
using videochat::aws::uri_encode;

}  // namespace

TEST_SUITE("uri_encode") {
  TEST_CASE("RFC 3986's unreserved characters are left as they are") {
    const char* unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    CHECK(uri_encode(unreserved) == unreserved);
  }

  TEST_CASE("every other ASCII character becomes %XX in upper-case hex, space as %20 not +") {
    CHECK(
        uri_encode(" !\"#$%&'()*+,/:;<=>?@[\\]^`{|}") ==
        "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D");
  }

  TEST_CASE("slashes are kept only when asked, for paths") {
    CHECK(uri_encode("/a b/c", Slashes::Keep) == "/a%20b/c");
    CHECK(uri_encode("/a b/c") == "%2Fa%20b%2Fc");
  }

  TEST_CASE("UTF-8 is encoded byte by byte") {
    CHECK(uri_encode("\xE1\x88\xB4") == "%E1%88%B4");
  }

  TEST_CASE("an already encoded string is encoded again: '%' is not unreserved") {
    CHECK(uri_encode("abc%3D") == "abc%253D");
  }
}

TEST_SUITE("normalize_path") {
  TEST_CASE("an empty path is the root") {
    CHECK(normalize_path("") == "/");
  }

  TEST_CASE("dot segments are removed and repeated slashes collapsed, the trailing slash kept") {
    CHECK(normalize_path("//a/./b/../c//d/") == "/a/c/d/");
  }

  TEST_CASE("'..' never climbs above the root") {
    CHECK(normalize_path("/../../a") == "/a");
  }

  TEST_CASE("a path ending in a dot segment ends without a slash, as botocore has it") {
    CHECK(normalize_path("/a/b/..") == "/a");
    CHECK(normalize_path("/a/.") == "/a");
  }

  TEST_CASE("percent-encoded bytes are left alone: normalization happens before encoding") {
    CHECK(normalize_path("/production/@connections/abc%3D") == "/production/@connections/abc%3D");
  }
}
