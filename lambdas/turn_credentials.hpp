// Short-lived TURN credentials, in the scheme of the TURN REST API that coturn implements with
// `use-auth-secret`: the username is "<expiry, epoch seconds>:<user>", the password
// base64(HMAC-SHA1(secret, username)). coturn recomputes the password from the username and the
// shared secret, and refuses a username whose expiry has passed; so the server mints credentials
// without talking to the relay, and a leaked one dies on its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server_frames.hpp"

namespace videochat::lambdas {

// Where the Lambda function finds the relay (template.yaml): its URLs (a comma list), the name of
// the SSM SecureString parameter that holds the secret (never the secret itself), and the
// credentials' lifetime in seconds.
inline constexpr std::string_view kTurnUrlsVariable = "VIDEOCHAT_TURN_URLS";
inline constexpr std::string_view kTurnSecretParameterVariable = "VIDEOCHAT_TURN_SECRET_PARAMETER";
inline constexpr std::string_view kTurnCredentialLifetimeVariable =
    "VIDEOCHAT_TURN_CREDENTIAL_LIFETIME";
// Just over the two hours a connection may live: a page gets fresh credentials with every join,
// including the one that follows the connection's end, so none expires while a call uses it.
inline constexpr std::chrono::seconds kDefaultTurnCredentialLifetime{2 * 3600 + 10 * 60};
// The longest lifetime videochat-local's --turn-credential-lifetime and the function accept: a
// credential that outlived the connection it was minted for by more than that margin would only
// serve whoever copied it (the page renews its own at three quarters of the lifetime anyway).
inline constexpr std::chrono::seconds kMaxTurnCredentialLifetime = kDefaultTurnCredentialLifetime;

struct TurnConfig {
  // turn:/turns: URLs of one relay (or several that share the secret); empty: no TURN.
  std::vector<std::string> urls;
  std::string secret;
  std::chrono::seconds lifetime = kDefaultTurnCredentialLifetime;

  bool enabled() const { return !urls.empty() && !secret.empty(); }
};

struct TurnCredential {
  std::string username;
  std::string password;
};

// base64(HMAC-SHA1(secret, username)).
std::string turn_password(std::string_view secret, std::string_view username);
// The credential for `user`, good until `now_s` + the config's lifetime.
TurnCredential turn_credential(const TurnConfig& config, std::string_view user,
                               std::int64_t now_s);
// The `iceServers` entry a joiner gets: the config's URLs with a fresh credential.
protocol::IceServer turn_ice_server(const TurnConfig& config, std::string_view user,
                                    std::int64_t now_s);

// Why `url` is not a TURN URL (RFC 7065: turn: or turns:, a host, an optional port and transport),
// or an empty string.
std::string turn_url_problem(std::string_view url);

}  // namespace videochat::lambdas
