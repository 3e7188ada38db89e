// TURN REST API credentials: HMAC-SHA1 checked against RFC 2202's own vectors (in base64), and the
// username and password coturn's use-auth-secret expects.
#include "turn_credentials.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {

using videochat::lambdas::turn_credential;
using videochat::lambdas::turn_ice_server;
using videochat::lambdas::turn_password;
using videochat::lambdas::turn_url_problem;
using videochat::lambdas::TurnConfig;

}  // namespace

TEST_SUITE("TURN credentials") {
  TEST_CASE("the password is base64(HMAC-SHA1(secret, username)): RFC 2202's vectors") {
    // Test case 1: key 0x0b x 20, "Hi There" -> b617318655057264e28bc0b6fb378c8ef146be00.
    CHECK(turn_password(std::string(20, '\x0b'), "Hi There") == "thcxhlUFcmTii8C2+zeMjvFGvgA=");
    // Test case 2: key "Jefe" -> effcdf6ae5eb2fa2d27416d5f184df9c259a7c79.
    CHECK(turn_password("Jefe", "what do ya want for nothing?") ==
          "7/zfauXrL6LSdBbV8YTfnCWafHk=");
    // Test case 6: a key longer than SHA-1's block is hashed first (-> aa4ae5e1...402112).
    CHECK(turn_password(std::string(80, '\xaa'),
                        "Test Using Larger Than Block-Size Key - Hash Key First") ==
          "qkrl4VJy0A6VcFY3zoo7Ve1AIRI=");
  }

  TEST_CASE("the username is the expiry, a colon and the user; the lifetime sets the expiry") {
    TurnConfig config{{"turn:relay.example.org:3478"}, "north", std::chrono::seconds(7800)};
    const auto credential =
        turn_credential(config, "0123456789abcdef0123456789abcdef", 1'700'000'000);
    CHECK(credential.username == "1700007800:0123456789abcdef0123456789abcdef");
    // Python's hmac, an implementation of its own, gives the same.
    CHECK(credential.password == "BIVRDuuYJI0+8M3DguY1NBez+gQ=");
  }

  TEST_CASE("the ice server carries every configured URL and the credential") {
    TurnConfig config{{"turn:a.example.org:3478?transport=udp", "turns:a.example.org:443"}, "s"};
    const auto server = turn_ice_server(config, "u", 100);
    CHECK(server.urls == config.urls);
    CHECK(server.username == std::to_string(100 + config.lifetime.count()) + ":u");
    CHECK(server.credential == turn_password("s", server.username));
    CHECK(config.enabled());
    CHECK_FALSE(TurnConfig{{}, "s"}.enabled());
    CHECK_FALSE(TurnConfig{{"turn:a"}, ""}.enabled());
  }

  TEST_CASE("TURN URLs: turn: or turns:, a host, and nothing that would break the JSON") {
    CHECK(turn_url_problem("turn:relay.example.org:3478?transport=udp").empty());
    CHECK(turn_url_problem("turns:relay.example.org:443?transport=tcp").empty());
    CHECK(turn_url_problem("turn:127.0.0.1").empty());
    CHECK(turn_url_problem("stun:relay.example.org") ==
          "a TURN URL starts with turn: or turns:, not 'stun:relay.example.org'");
    CHECK(turn_url_problem("turn::3478") == "the TURN URL 'turn::3478' names no host");
    CHECK_FALSE(turn_url_problem("turn:a b").empty());
    CHECK_FALSE(turn_url_problem("turn:a,turn:b").empty());
  }
}
