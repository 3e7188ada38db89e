// One SecureString from SSM Parameter Store: GetParameter with decryption (the JSON 1.1
// protocol), its request as a value, its answer parsed into the value or a reason a program can
// switch on, and the call itself over an injected transport and signer. Nothing here logs the
// value or puts it in a message.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "http_transport.hpp"
#include "request_signer.hpp"

namespace videochat::aws::ssm {

inline constexpr std::string_view kGetParameterTarget = "AmazonSSM.GetParameter";
inline constexpr std::string_view kContentType = "application/x-amz-json-1.1";
inline constexpr std::string_view kSigningService = "ssm";
inline constexpr std::string_view kSecureString = "SecureString";

enum class ParameterError {
  NotFound,         // ParameterNotFound: no parameter by that name in this account and region
  AccessDenied,     // AccessDeniedException: the role may not read it, or not decrypt its key
  NotSecureString,  // a String or StringList, whose value is stored and shown in plain text
  Empty,            // its value is empty (or only a final newline)
  Throttled,        // ThrottlingException, 429: retried
  ServiceError,     // any other error answer: 5xx retried, the rest not
  BadAnswer,        // a success whose body is not GetParameter's answer
  Unreachable,      // no HTTP answer (connection, TLS, timeout): retried
};
std::string_view to_string(ParameterError error);

struct ParameterFailure {
  ParameterError code;
  std::string message;  // what happened and what to do; never holds the value
  bool retryable = false;
};

using ParameterResult = std::variant<std::string, ParameterFailure>;

// {"Name":"/videochat/turn-secret","WithDecryption":true}
std::string get_parameter_body(std::string_view name);
// POST {endpoint}/ with the body, its Content-Type and X-Amz-Target; unsigned.
http::Request get_parameter_request(std::string_view endpoint, std::string_view name);

// The parameter's value (a final "\n" removed, as `put-parameter --value file://...` keeps it),
// or why there is none.
ParameterResult parse_get_parameter_response(const http::Response& response);
ParameterFailure unreachable(const http::Failure& failure);

// Where GetParameter goes: `configured` (AWS_ENDPOINT_URL_SSM, or AWS_ENDPOINT_URL, as the AWS
// SDKs read them) without trailing slashes, else https://ssm.{region}.amazonaws.com. Throws
// std::invalid_argument for a URL that is not http:// or https://.
std::string ssm_endpoint(const std::optional<std::string>& configured, std::string_view region);

struct ReadOptions {
  std::chrono::milliseconds attempt_timeout{3000};
  int max_attempts = 3;
  // Between attempts, after the `failures`th: a short sleep (a test passes one that records).
  std::function<void(int failures)> pause;
};

// GetParameter `name` at `endpoint`, each attempt signed afresh; a throttled, unanswered or 5xx
// attempt is tried again, up to max_attempts. The value, or the last failure.
ParameterResult read_secure_string(http::Transport& transport, RequestSigner& signer,
                                   std::string_view endpoint, std::string_view name,
                                   const ReadOptions& options);

}  // namespace videochat::aws::ssm
