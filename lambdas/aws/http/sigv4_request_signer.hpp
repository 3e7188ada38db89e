// The RequestSigner of real AWS calls: Signature Version 4 (sigv4.hpp) over the request as the
// transport will send it, with the time read from an injectable clock.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "request_signer.hpp"
#include "sigv4.hpp"

namespace videochat::aws {

class SigV4RequestSigner final : public RequestSigner {
 public:
  using WallClock = std::function<std::chrono::system_clock::time_point()>;

  SigV4RequestSigner(
      Credentials credentials, std::string region, std::string service,
      WallClock clock = [] { return std::chrono::system_clock::now(); });

  // Throws SigningError for a URL or header that cannot be signed.
  std::vector<http::Header> sign(const http::Request& request) override;

 private:
  Credentials credentials_;
  std::string region_;
  std::string service_;
  WallClock clock_;
};

// The signer's view of an http::Request: host (with a non-default port) and path apart. A query
// string in the URL is refused (SigningError InvalidPath): our AWS calls have none.
HttpRequest to_signable(const http::Request& request);

}  // namespace videochat::aws
