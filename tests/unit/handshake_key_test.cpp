#include <doctest/doctest.h>

#include "handshake_key.hpp"

using videochat::local::is_valid_websocket_key;

TEST_SUITE("Sec-WebSocket-Key") {
  TEST_CASE("the RFC's example and keys browsers send are valid") {
    CHECK(is_valid_websocket_key("dGhlIHNhbXBsZSBub25jZQ=="));  // RFC 6455 §1.3
    CHECK(is_valid_websocket_key("x3JJHMbDL1EzLkh9GBhXDw=="));  // §1.2
    CHECK(is_valid_websocket_key("AAAAAAAAAAAAAAAAAAAAAA=="));
  }

  TEST_CASE("anything that does not decode to 16 bytes is not") {
    for (const char* key :
         {"", "x", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ==x",
          "dGhlIHNhbXBsZSBub25jZ===", "dGhlIHNhbXBsZSBub25jZQ=A", "dGhlIHNhbXBsZSBub25jZ!==",
          "dGhlIHNhbXBsZSBub25jZR==", "dGhlIHNhbXBsZSBub25jZQ==dGhlIHNhbXBsZSBub25jZQ=="}) {
      CAPTURE(key);
      CHECK_FALSE(is_valid_websocket_key(key));
    }
  }
}
