#include "sigv4_request_signer.hpp"

#include <stdexcept>

#include "http_url.hpp"

namespace videochat::aws {

HttpRequest to_signable(const http::Request& request) {
  http::Url url;
  try {
    url = http::parse_url(request.url);
  } catch (const std::invalid_argument& error) {
    throw SigningError(SigningErrorCode::InvalidPath, std::string("cannot sign: ") + error.what());
  }
  if (url.target.find('?') != std::string::npos) {
    throw SigningError(SigningErrorCode::InvalidPath,
                       "cannot sign '" + request.url + "': a query in the URL");
  }

  HttpRequest signable;
  signable.method = request.method;
  // The Host header the transport sends (http_url.hpp): the same bytes, or AWS refuses.
  signable.host = std::move(url.host_header);
  signable.path = std::move(url.target);
  for (const auto& header : request.headers)
    signable.headers.push_back({header.name, header.value});
  signable.body = request.body;
  return signable;
}

SigV4RequestSigner::SigV4RequestSigner(Credentials credentials, std::string region,
                                       std::string service, WallClock clock)
    : credentials_(std::move(credentials)),
      region_(std::move(region)),
      service_(std::move(service)),
      clock_(std::move(clock)) {}

std::vector<http::Header> SigV4RequestSigner::sign(const http::Request& request) {
  SigningParams params{credentials_, region_, service_, AmzDate::from(clock_()),
                       PayloadHashHeader::Omit};
  Signature signature = aws::sign(to_signable(request), params);
  std::vector<http::Header> headers;
  headers.reserve(signature.headers.size());
  for (auto& header : signature.headers) {
    headers.push_back({std::move(header.name), std::move(header.value)});
  }
  return headers;
}

}  // namespace videochat::aws
