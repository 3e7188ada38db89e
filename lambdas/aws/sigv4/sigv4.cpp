#include "sigv4.hpp"

#include <algorithm>
#include <array>
#include <span>

namespace videochat::aws {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    return lower(x) == lower(y);
  });
}

void require(std::string_view value, std::string_view field) {
  if (value.empty()) {
    throw SigningError(SigningErrorCode::MissingField, std::string(field) + " is empty");
  }
}

void validate(const HttpRequest& request, const SigningParams& params) {
  require(request.method, "method");
  require(request.host, "host");
  require(params.credentials.access_key_id, "access key id");
  require(params.credentials.secret_access_key, "secret access key");
  require(params.region, "region");
  require(params.service, "service");
  if (!request.path.empty() && request.path.front() != '/') {
    throw SigningError(SigningErrorCode::InvalidPath,
                       "path \"" + request.path + "\" does not start with '/'");
  }
  static constexpr std::array<std::string_view, 5> kReserved = {
      "host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "authorization"};
  for (const auto& header : request.headers) {
    for (auto reserved : kReserved) {
      if (equals_ignoring_case(header.name, reserved)) {
        throw SigningError(SigningErrorCode::ReservedHeader,
                           "header \"" + header.name + "\" is set by the signer; leave it out");
      }
    }
  }
}

std::span<const unsigned char> bytes(std::string_view text) {
  return {reinterpret_cast<const unsigned char*>(text.data()), text.size()};
}

}  // namespace

Digest signing_key(std::string_view secret_access_key, std::string_view date,
                   std::string_view region, std::string_view service) {
  const std::string secret = "AWS4" + std::string(secret_access_key);
  const Digest date_key = hmac_sha256(bytes(secret), date);
  const Digest region_key = hmac_sha256(date_key, region);
  const Digest service_key = hmac_sha256(region_key, service);
  return hmac_sha256(service_key, "aws4_request");
}

Signature sign(const HttpRequest& request, const SigningParams& params) {
  validate(request, params);
  const std::string payload_hash = to_hex(sha256(request.body));

  Signature result;
  result.headers.push_back({"X-Amz-Date", params.time.text()});
  if (params.credentials.session_token) {
    result.headers.push_back({"X-Amz-Security-Token", *params.credentials.session_token});
  }
  if (params.payload_hash_header == PayloadHashHeader::Add) {
    result.headers.push_back({"X-Amz-Content-SHA256", payload_hash});
  }

  std::vector<Header> signed_headers = request.headers;
  signed_headers.push_back({"Host", request.host});
  signed_headers.insert(signed_headers.end(), result.headers.begin(), result.headers.end());
  const CanonicalHeaders headers = canonical_headers(signed_headers);

  result.canonical_request = request.method + '\n' + canonical_uri(request.path, params.service) +
                             '\n' + canonical_query_string(request.query) + '\n' + headers.lines +
                             '\n' + headers.signed_headers + '\n' + payload_hash;

  const std::string scope = std::string(params.time.date()) + '/' + params.region + '/' +
                            params.service + "/aws4_request";
  result.string_to_sign = std::string(kAlgorithm) + '\n' + params.time.text() + '\n' + scope +
                          '\n' + to_hex(sha256(result.canonical_request));

  const Digest key = signing_key(params.credentials.secret_access_key, params.time.date(),
                                 params.region, params.service);
  result.signed_headers = headers.signed_headers;
  result.signature = to_hex(hmac_sha256(key, result.string_to_sign));
  result.authorization =
      std::string(kAlgorithm) + " Credential=" + params.credentials.access_key_id + '/' + scope +
      ", SignedHeaders=" + result.signed_headers + ", Signature=" + result.signature;
  result.headers.push_back({"Authorization", result.authorization});
  return result;
}

}  // namespace videochat::aws
