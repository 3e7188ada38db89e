// An http(s) URL split into what a connection and a request need: the scheme, the host to
// resolve and verify, the port to connect to, the Host header and the request target. One
// reading shared by the transport (where to connect) and the SigV4 signer (what Host it signs):
// the two must agree byte for byte or AWS refuses the signature.
#pragma once

#include <string>
#include <string_view>

namespace videochat::aws::http {

struct Url {
  bool secure = false;      // https
  std::string host;         // "dynamodb.eu-west-1.amazonaws.com", "127.0.0.1", "::1" (no brackets)
  std::string port;         // always set: "443" and "80" when the URL names none
  std::string host_header;  // the authority as sent: a default port left out, brackets kept
  std::string target;       // path and query, "/" at least
};

// Throws std::invalid_argument naming what is wrong: another scheme, no host, a bad port, user
// information or a fragment (none of our calls has one; refusing beats guessing).
Url parse_url(std::string_view text);

}  // namespace videochat::aws::http
