#include "sigv4_request_signer.hpp"

namespace videochat::aws {

HttpRequest to_signable(const http::Request& request) {
  std::string_view url = request.url;
  std::string_view default_port;
  if (url.starts_with("https://")) {
    url.remove_prefix(8);
    default_port = ":443";
  } else if (url.starts_with("http://")) {
    url.remove_prefix(7);
    default_port = ":80";
  } else {
    throw SigningError(SigningErrorCode::InvalidPath,
                       "cannot sign '" + request.url + "': not an http(s) URL");
  }
  auto slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "/" : url.substr(slash);
  if (path.find('?') != std::string_view::npos || path.find('#') != std::string_view::npos) {
    throw SigningError(SigningErrorCode::InvalidPath,
                       "cannot sign '" + request.url + "': a query or fragment in the URL");
  }
  // curl leaves a default port out of the Host header it sends; so must the signature.
  if (authority.ends_with(default_port)) authority.remove_suffix(default_port.size());

  HttpRequest signable;
  signable.method = request.method;
  signable.host = std::string(authority);
  signable.path = std::string(path);
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
