// AWS Signature Version 4 for one HTTP request with its headers: a pure function from the
// request, the credentials and the time to the headers that authenticate it. It reads no clock
// and no environment, so every step can be checked against AWS's published vectors and botocore.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "amz_date.hpp"
#include "canonical_request.hpp"
#include "digest.hpp"
#include "signing_error.hpp"

namespace videochat::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::optional<std::string> session_token;  // temporary credentials (STS, a Lambda's role)
};

// What is signed: the request as it will be sent.
struct HttpRequest {
  std::string method;  // "GET", "POST": as sent
  // The Host header: the host name, plus ":port" when not the scheme's default. The signer signs
  // it; the HTTP client must send the same.
  std::string host;
  // As sent on the wire, already percent-encoded where the caller encodes (a connection id
  // "abc=" is ".../@connections/abc%3D": see uri_encode). Empty means "/".
  std::string path = "/";
  // Not encoded: canonical_query_string(query) is both what is signed and what to send.
  std::vector<QueryParameter> query;
  // Signed as given; a name may repeat. Not Host, X-Amz-Date, X-Amz-Security-Token,
  // X-Amz-Content-SHA256 or Authorization: the signer sets those
  // (SigningErrorCode::ReservedHeader).
  std::vector<Header> headers;
  std::string body;
};

// Whether to send the payload's hash as x-amz-content-sha256 too. S3 requires it; the other
// services accept it and need it not.
enum class PayloadHashHeader { Omit, Add };

struct SigningParams {
  Credentials credentials;
  std::string region;   // "eu-west-1"
  std::string service;  // the signing name: "execute-api", "dynamodb", "s3"
  AmzDate time;
  PayloadHashHeader payload_hash_header = PayloadHashHeader::Omit;
};

struct Signature {
  // To add to the request, in this order: X-Amz-Date, X-Amz-Security-Token (with a session
  // token), X-Amz-Content-SHA256 (when asked), Authorization. All of them but Authorization are
  // signed.
  std::vector<Header> headers;
  // The intermediate values, for tests and for logs when AWS answers SignatureDoesNotMatch (its
  // error message quotes the canonical request it computed).
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;  // "host;x-amz-date"
  std::string signature;       // lower-case hex
  std::string authorization;   // the Authorization header's value
};

// Throws SigningError for a request that cannot be signed as given (see SigningErrorCode).
Signature sign(const HttpRequest& request, const SigningParams& params);

// kSecret -> kDate -> kRegion -> kService -> kSigning ("aws4_request").
Digest signing_key(std::string_view secret_access_key, std::string_view date,
                   std::string_view region, std::string_view service);

}  // namespace videochat::aws
