// SigV4 verification for the local @connections management API, so the handlers (and any AWS
// client) can be run against videochat-local exactly as against AWS: requests must be signed for
// service execute-api with the configured key, within five minutes of now, or they are refused
// with AWS's error types.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "canonical_request.hpp"

namespace videochat::local {

struct ManagementCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string region = "us-east-1";
};

// The parts of an HTTP request a signature covers, as received.
struct ReceivedRequest {
  std::string method;
  std::string path;   // as on the wire (percent-encoded)
  std::string query;  // raw, without '?'
  std::vector<aws::Header> headers;  // all of them, Host included, names as sent
  std::string body;
};

struct AuthRefusal {
  std::string error_type;  // x-amzn-ErrorType: "MissingAuthenticationTokenException", ...
  std::string message;
};

// Nothing when the request is signed correctly; otherwise why not.
std::optional<AuthRefusal> verify_management_request(const ReceivedRequest& request,
                                                     const ManagementCredentials& credentials,
                                                     std::chrono::system_clock::time_point now);
// The same check for another service's requests (the Lambda mode's SSM stand-in: "ssm").
std::optional<AuthRefusal> verify_signed_request(const ReceivedRequest& request,
                                                 const ManagementCredentials& credentials,
                                                 std::string_view service,
                                                 std::chrono::system_clock::time_point now);

// "KEYID:SECRET" or "KEYID:SECRET:REGION" (from --management-credentials).
std::optional<ManagementCredentials> parse_management_credentials(const std::string& text);

}  // namespace videochat::local
