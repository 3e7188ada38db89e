#include "dynamodb_client.hpp"

#include <algorithm>
#include <random>
#include <thread>

namespace videochat::aws {

using nlohmann::json;
using std::chrono::milliseconds;

std::string_view to_string(AnswerClass answer) {
  switch (answer) {
    case AnswerClass::Success:
      return "success";
    case AnswerClass::ConditionFailed:
      return "condition_failed";
    case AnswerClass::Retryable:
      return "retryable";
    case AnswerClass::Fatal:
      return "fatal";
  }
  return "fatal";
}

namespace {

constexpr std::string_view kConditionFailed = "ConditionalCheckFailedException";

bool is_success(int status) {
  return status >= 200 && status < 300;
}

// "com.amazonaws.dynamodb.v20120810#ThrottlingException" -> "ThrottlingException";
// the header form "ThrottlingException:http://internal.amazon.com/..." -> "ThrottlingException".
std::string short_type(std::string_view type) {
  if (auto hash = type.rfind('#'); hash != std::string_view::npos) type.remove_prefix(hash + 1);
  if (auto colon = type.find(':'); colon != std::string_view::npos) type = type.substr(0, colon);
  return std::string(type);
}

std::string describe(const AwsError& error) {
  std::string text = error.type;
  if (!error.message.empty()) text += ": " + error.message;
  text += " (HTTP " + std::to_string(error.http_status) + ")";
  return text;
}

}  // namespace

std::optional<AwsError> parse_aws_error(const http::Response& response) {
  if (is_success(response.status)) return std::nullopt;
  AwsError error{response.status, {}, {}};
  json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object()) {
    if (auto type = body.find("__type"); type != body.end() && type->is_string()) {
      error.type = short_type(type->get_ref<const std::string&>());
    }
    // DynamoDB writes "message"; some AWS services and errors write "Message".
    for (const char* key : {"message", "Message"}) {
      if (auto message = body.find(key); message != body.end() && message->is_string()) {
        error.message = message->get<std::string>();
        break;
      }
    }
  }
  if (error.type.empty()) {
    error.type = short_type(http::header_value(response.headers, "x-amzn-ErrorType"));
  }
  if (error.type.empty()) error.type = "HTTP" + std::to_string(response.status);
  if (error.message.empty() && !body.is_object()) {
    // A proxy's or load balancer's page: keep its start, it may say what went wrong.
    error.message = response.body.substr(0, 200);
  }
  return error;
}

bool is_retryable(const AwsError& error) {
  if (error.http_status >= 500 || error.http_status == 429) return true;
  return error.type == "ProvisionedThroughputExceededException" ||
         error.type == "ThrottlingException" || error.type == "RequestLimitExceeded";
}

AnswerClass classify(const http::Response& response) {
  auto error = parse_aws_error(response);
  if (!error) return AnswerClass::Success;
  if (error->type == kConditionFailed) return AnswerClass::ConditionFailed;
  return is_retryable(*error) ? AnswerClass::Retryable : AnswerClass::Fatal;
}

DynamoDbError::DynamoDbError(std::string operation, AwsError error, int attempts)
    : lambdas::StoreError("DynamoDB " + operation + " failed after " + std::to_string(attempts) +
                          (attempts == 1 ? " attempt: " : " attempts: ") + describe(error)),
      operation_(std::move(operation)),
      error_(std::move(error)),
      attempts_(attempts) {}

milliseconds backoff_ceiling(const RetryPolicy& policy, int retry) {
  milliseconds ceiling = policy.base_backoff;
  for (int i = 0; i < retry && ceiling < policy.max_backoff; ++i) ceiling *= 2;
  return std::min(ceiling, policy.max_backoff);
}

RetryTiming RetryTiming::system() {
  RetryTiming timing;
  timing.now = [] { return std::chrono::steady_clock::now(); };
  // A backoff is the point of the wait here, not a guess at when something will be ready.
  timing.sleep = [](milliseconds duration) { std::this_thread::sleep_for(duration); };
  timing.jitter = [](milliseconds ceiling) {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    std::uniform_int_distribution<milliseconds::rep> pick(
        0, std::max<milliseconds::rep>(ceiling.count(), 0));
    return milliseconds(pick(engine));
  };
  return timing;
}

ConsumedCapacity consumed_capacity(const json& response, OperationKind kind) {
  ConsumedCapacity units;
  if (!response.is_object()) return units;
  auto consumed = response.find("ConsumedCapacity");
  if (consumed == response.end() || !consumed->is_object()) return units;
  auto number = [&](const char* key) -> std::optional<double> {
    auto it = consumed->find(key);
    if (it == consumed->end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
  };
  auto read = number("ReadCapacityUnits");
  auto write = number("WriteCapacityUnits");
  if (read || write) {
    units.read_units = read.value_or(0);
    units.write_units = write.value_or(0);
  } else if (auto total = number("CapacityUnits")) {
    (kind == OperationKind::Read ? units.read_units : units.write_units) = *total;
  }
  return units;
}

std::string target_header(std::string_view operation) {
  return "DynamoDB_20120810." + std::string(operation);
}

http::Request build_request(std::string_view endpoint, std::string_view operation,
                            const json& body) {
  http::Request request;
  request.method = "POST";
  request.url = std::string(endpoint);
  if (request.url.empty() || request.url.back() != '/') request.url += '/';
  request.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                     {"X-Amz-Target", target_header(operation)}};
  request.body = body.dump();
  return request;
}

DynamoDbClient::DynamoDbClient(std::string endpoint, http::Transport& transport,
                               RequestSigner& signer, RetryPolicy policy, RetryTiming timing)
    : endpoint_(std::move(endpoint)),
      transport_(transport),
      signer_(signer),
      policy_(policy),
      timing_(std::move(timing)) {}

DynamoDbClient::Outcome DynamoDbClient::try_call(std::string_view operation, const json& request) {
  int attempts = 0;
  return run(operation, request, attempts);
}

DynamoDbClient::Outcome DynamoDbClient::run(std::string_view operation, const json& request,
                                            int& attempts) {
  const http::Request unsigned_request = build_request(endpoint_, operation, request);
  auto deadline = timing_.now() + policy_.deadline;
  if (outer_deadline_ && *outer_deadline_ < deadline) deadline = *outer_deadline_;
  AwsError last{0, "DeadlineExceeded", "no attempt was made"};
  for (;;) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - timing_.now());
    if (left <= milliseconds::zero()) break;
    http::Request signed_request = unsigned_request;
    for (auto& header : signer_.sign(unsigned_request)) {
      signed_request.headers.push_back(std::move(header));
    }
    ++attempts;
    http::Result result = transport_.send(signed_request, std::min(policy_.attempt_timeout, left));
    if (auto* response = std::get_if<http::Response>(&result)) {
      if (is_success(response->status)) {
        json body = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
        if (!body.is_object()) {
          throw DynamoDbError(std::string(operation),
                              {response->status, "MalformedResponse",
                               "the answer is not a JSON object: " + response->body.substr(0, 200)},
                              attempts);
        }
        return body;
      }
      last = *parse_aws_error(*response);
      if (!is_retryable(last)) return last;
    } else {
      const auto& failure = std::get<http::Failure>(result);
      last = {0, failure.timed_out ? "Timeout" : "TransportFailure", failure.message};
    }
    if (attempts >= policy_.max_attempts) break;
    milliseconds pause = timing_.jitter(backoff_ceiling(policy_, attempts - 1));
    if (timing_.now() + pause >= deadline) break;
    timing_.sleep(pause);
  }
  last.message += "; gave up (retry deadline " + std::to_string(policy_.deadline.count()) +
                  " ms, at most " + std::to_string(policy_.max_attempts) + " attempts)";
  throw DynamoDbError(std::string(operation), std::move(last), attempts);
}

json DynamoDbClient::call(std::string_view operation, const json& request) {
  int attempts = 0;
  Outcome outcome = run(operation, request, attempts);
  if (auto* error = std::get_if<AwsError>(&outcome)) {
    throw DynamoDbError(std::string(operation), std::move(*error), attempts);
  }
  return std::move(std::get<json>(outcome));
}

}  // namespace videochat::aws
