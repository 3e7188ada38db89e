// A DynamoDB client over the JSON 1.0 protocol: one POST per operation, with the operation in
// X-Amz-Target. It classifies AWS's answers and retries what is worth retrying (throttling, 5xx,
// timeouts) with exponential backoff and full jitter, within a deadline. Building requests and
// reading answers are pure functions; the transport, the signer and the clock are injected.
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "http_transport.hpp"
#include "request_signer.hpp"
#include "room_store.hpp"

namespace videochat::aws {

// An error AWS answered with: `type` is the exception name without its namespace
// ("ConditionalCheckFailedException"), `message` AWS's explanation.
struct AwsError {
  int http_status = 0;
  std::string type;
  std::string message;
};

// What the client does with an answer.
enum class AnswerClass {
  Success,          // 2xx
  ConditionFailed,  // ConditionalCheckFailedException: normal operation, the caller decides
  Retryable,        // throttling, 5xx: try again after a backoff
  Fatal,            // any other 4xx: retrying cannot help
};
std::string_view to_string(AnswerClass answer);

// The AWS error in a non-2xx answer (from the body's __type and message, else the
// x-amzn-ErrorType header); nullopt for 2xx.
std::optional<AwsError> parse_aws_error(const http::Response& response);
AnswerClass classify(const http::Response& response);
bool is_retryable(const AwsError& error);

// Thrown when an operation fails for good: a fatal AWS error, or retries that ran out of time.
// A StoreError, so the route handlers answer 500 whatever the cause.
class DynamoDbError final : public lambdas::StoreError {
 public:
  DynamoDbError(std::string operation, AwsError error, int attempts);
  const std::string& operation() const { return operation_; }
  const AwsError& error() const { return error_; }
  int attempts() const { return attempts_; }

 private:
  std::string operation_;
  AwsError error_;
  int attempts_;
};

struct RetryPolicy {
  std::chrono::milliseconds base_backoff{25};
  std::chrono::milliseconds max_backoff{1000};
  // For the whole operation, every attempt and backoff included. API Gateway gives a route 29 s;
  // a signaling message that took seconds would be stale anyway.
  std::chrono::milliseconds deadline{3000};
  // For one HTTP exchange (also capped by what is left of the deadline).
  std::chrono::milliseconds attempt_timeout{1500};
  int max_attempts = 10;
};

// The backoff before retry number `retry` (0 for the first retry) is drawn uniformly from
// [0, backoff_ceiling(policy, retry)]: "full jitter".
std::chrono::milliseconds backoff_ceiling(const RetryPolicy& policy, int retry);

// The client's view of time, injectable so that tests neither wait nor depend on chance.
struct RetryTiming {
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<void(std::chrono::milliseconds)> sleep;
  // A uniformly random duration in [0, ceiling].
  std::function<std::chrono::milliseconds(std::chrono::milliseconds ceiling)> jitter;

  static RetryTiming system();
};

// Capacity units an operation consumed, as AWS reported them (ReturnConsumedCapacity TOTAL).
struct ConsumedCapacity {
  double read_units = 0;
  double write_units = 0;

  ConsumedCapacity& operator+=(const ConsumedCapacity& other) {
    read_units += other.read_units;
    write_units += other.write_units;
    return *this;
  }
};

enum class OperationKind { Read, Write };
// The units in a response's ConsumedCapacity (zero when absent). Read/WriteCapacityUnits when AWS
// splits them; otherwise CapacityUnits, counted as reads or writes by the operation's kind.
ConsumedCapacity consumed_capacity(const nlohmann::json& response, OperationKind kind);

// "DynamoDB_20120810.GetItem"
std::string target_header(std::string_view operation);
// The HTTP request for one operation, before signing.
http::Request build_request(std::string_view endpoint, std::string_view operation,
                            const nlohmann::json& body);

class DynamoDbClient final {
 public:
  // `endpoint` is a base URL ("https://dynamodb.eu-west-1.amazonaws.com", "http://127.0.0.1:8000").
  DynamoDbClient(std::string endpoint, http::Transport& transport, RequestSigner& signer,
                 RetryPolicy policy = {}, RetryTiming timing = RetryTiming::system());

  using Outcome = std::variant<nlohmann::json, AwsError>;
  // The 2xx answer's body, or the AWS error that retrying cannot fix (conditional check failed,
  // validation, ...). Throws DynamoDbError when retries run out of time or attempts.
  Outcome try_call(std::string_view operation, const nlohmann::json& request);
  // The 2xx answer's body; every AWS error is thrown as DynamoDbError.
  nlohmann::json call(std::string_view operation, const nlohmann::json& request);

  const std::string& endpoint() const { return endpoint_; }

  // A deadline no call may pass, retries included, on top of the policy's own: on Lambda, the
  // invocation's (Lambda-Runtime-Deadline-Ms, less what answering needs). Nothing clears it.
  // Set between invocations (a Lambda process handles one at a time), not during calls.
  void set_outer_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) {
    outer_deadline_ = deadline;
  }

 private:
  Outcome run(std::string_view operation, const nlohmann::json& request, int& attempts);
  std::optional<std::chrono::steady_clock::time_point> outer_deadline_;

  std::string endpoint_;
  http::Transport& transport_;
  RequestSigner& signer_;
  RetryPolicy policy_;
  RetryTiming timing_;
};

}  // namespace videochat::aws
