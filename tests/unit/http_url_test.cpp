// The URL split the transport connects by and the signer signs by (http_url.hpp): where each
// part comes from, the default ports left out of Host, and the URLs refused with a reason.
#include "http_url.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using videochat::aws::http::parse_url;

TEST_SUITE("http URL") {
  TEST_CASE("an AWS endpoint: TLS on 443, Host without the port, the path as the target") {
    auto url =
        parse_url("https://abc.execute-api.eu-west-1.amazonaws.com/production/@connections/x");
    CHECK(url.secure);
    CHECK(url.host == "abc.execute-api.eu-west-1.amazonaws.com");
    CHECK(url.port == "443");
    CHECK(url.host_header == "abc.execute-api.eu-west-1.amazonaws.com");
    CHECK(url.target == "/production/@connections/x");
  }

  TEST_CASE("a default port written out is still left out of Host; any other port is kept") {
    CHECK(parse_url("https://dynamodb.us-east-1.amazonaws.com:443/").host_header ==
          "dynamodb.us-east-1.amazonaws.com");
    CHECK(parse_url("http://127.0.0.1:80/").host_header == "127.0.0.1");
    auto local = parse_url("http://127.0.0.1:9001/2018-06-01/runtime/invocation/next");
    CHECK_FALSE(local.secure);
    CHECK(local.host == "127.0.0.1");
    CHECK(local.port == "9001");
    CHECK(local.host_header == "127.0.0.1:9001");
    CHECK(local.target == "/2018-06-01/runtime/invocation/next");
    // http's default on https, and the other way round, is just another port.
    CHECK(parse_url("https://example.com:80").host_header == "example.com:80");
  }

  TEST_CASE("no path means /, and a bare query gets one") {
    CHECK(parse_url("https://dynamodb.us-east-1.amazonaws.com").target == "/");
    CHECK(parse_url("http://h:8000?a=1").target == "/?a=1");
    CHECK(parse_url("http://h/p?a=1").target == "/p?a=1");
  }

  TEST_CASE("IPv6 literals: the host without brackets (to resolve and verify), Host with them") {
    auto url = parse_url("http://[::1]:8000/x");
    CHECK(url.host == "::1");
    CHECK(url.port == "8000");
    CHECK(url.host_header == "[::1]:8000");
    auto plain = parse_url("https://[2001:db8::1]/");
    CHECK(plain.host == "2001:db8::1");
    CHECK(plain.port == "443");
    CHECK(plain.host_header == "[2001:db8::1]");
  }

  TEST_CASE("URLs that are refused, each with a reason") {
    auto reason = [](const char* text) {
      try {
        parse_url(text);
      } catch (const std::invalid_argument& error) {
        return std::string(error.what());
      }
      return std::string("accepted");
    };
    CHECK(reason("ftp://example.com/") ==
          "the URL 'ftp://example.com/' is not an http:// or https:// URL");
    CHECK(reason("example.com") == "the URL 'example.com' is not an http:// or https:// URL");
    CHECK(reason("https:///path") == "the URL 'https:///path' names no host");
    CHECK(reason("https://:443/") == "the URL 'https://:443/' names no host");
    CHECK(reason("http://h:/") == "the URL 'http://h:/' has an empty port");
    CHECK(reason("http://h:0/") == "the URL 'http://h:0/' has a port that is not 1 to 65535");
    CHECK(reason("http://h:65536/") ==
          "the URL 'http://h:65536/' has a port that is not 1 to 65535");
    CHECK(reason("http://h:8x/") == "the URL 'http://h:8x/' has a port that is not 1 to 65535");
    CHECK(reason("http://user:pw@h/") == "the URL 'http://user:pw@h/' carries user information");
    CHECK(reason("http://h/p#top") == "the URL 'http://h/p#top' has a fragment");
    CHECK(reason("http://[::1/") == "the URL 'http://[::1/' has an unclosed [ in its host");
    CHECK(reason("http://[::1]x/") == "the URL 'http://[::1]x/' has text after its IPv6 host");
  }
}
