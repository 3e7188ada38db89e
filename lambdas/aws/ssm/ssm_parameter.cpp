#include "ssm_parameter.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace videochat::aws::ssm {

using nlohmann::json;

std::string_view to_string(ParameterError error) {
  switch (error) {
    case ParameterError::NotFound:
      return "not_found";
    case ParameterError::AccessDenied:
      return "access_denied";
    case ParameterError::NotSecureString:
      return "not_secure_string";
    case ParameterError::Empty:
      return "empty";
    case ParameterError::Throttled:
      return "throttled";
    case ParameterError::ServiceError:
      return "service_error";
    case ParameterError::BadAnswer:
      return "bad_answer";
    case ParameterError::Unreachable:
      return "unreachable";
  }
  return "service_error";
}

namespace {

// "com.amazonaws.ssm#ParameterNotFound" -> "ParameterNotFound"; the header form
// "ThrottlingException:http://internal.amazon.com/..." -> "ThrottlingException".
std::string short_type(std::string_view type) {
  if (auto hash = type.rfind('#'); hash != std::string_view::npos) type.remove_prefix(hash + 1);
  if (auto colon = type.find(':'); colon != std::string_view::npos) type = type.substr(0, colon);
  return std::string(type);
}

ParameterFailure error_answer(const http::Response& response) {
  const json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  std::string type;
  std::string message;
  if (body.is_object()) {
    if (auto it = body.find("__type"); it != body.end() && it->is_string()) {
      type = short_type(it->get_ref<const std::string&>());
    }
    for (const char* key : {"message", "Message"}) {
      if (auto it = body.find(key); it != body.end() && it->is_string()) {
        message = it->get<std::string>();
        break;
      }
    }
  }
  if (type.empty()) type = short_type(http::header_value(response.headers, "x-amzn-ErrorType"));
  if (type.empty()) type = "HTTP " + std::to_string(response.status);
  std::string said = type + (message.empty() ? "" : ": " + message);

  if (type == "ParameterNotFound") {
    return {ParameterError::NotFound,
            "no such parameter in this account and region (ParameterNotFound); create it with "
            "aws ssm put-parameter --type SecureString",
            false};
  }
  if (type == "AccessDeniedException" || type == "AccessDenied") {
    return {ParameterError::AccessDenied,
            "access denied (" + said +
                "); the function's role needs ssm:GetParameter on it, and kms:Decrypt on its key "
                "when that is not the account's aws/ssm key",
            false};
  }
  if (type == "ThrottlingException" || response.status == 429) {
    return {ParameterError::Throttled, "throttled (" + said + ")", true};
  }
  return {ParameterError::ServiceError,
          "GetParameter failed (" + said + ", HTTP " + std::to_string(response.status) + ")",
          response.status >= 500};
}

}  // namespace

std::string get_parameter_body(std::string_view name) {
  return json{{"Name", name}, {"WithDecryption", true}}.dump();
}

http::Request get_parameter_request(std::string_view endpoint, std::string_view name) {
  http::Request request;
  request.method = "POST";
  request.url = std::string(endpoint) + "/";
  request.headers = {{"Content-Type", std::string(kContentType)},
                     {"X-Amz-Target", std::string(kGetParameterTarget)}};
  request.body = get_parameter_body(name);
  return request;
}

ParameterResult parse_get_parameter_response(const http::Response& response) {
  if (response.status < 200 || response.status >= 300) return error_answer(response);
  // The body holds the value: nothing of it goes into a message.
  const json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  const json* parameter = nullptr;
  if (body.is_object()) {
    if (auto it = body.find("Parameter"); it != body.end() && it->is_object()) parameter = &*it;
  }
  auto text = [&](const char* key) -> const std::string* {
    if (!parameter) return nullptr;
    auto it = parameter->find(key);
    return it != parameter->end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
  };
  const std::string* type = text("Type");
  const std::string* value = text("Value");
  if (!type || !value) {
    return ParameterFailure{ParameterError::BadAnswer,
                            "the answer (HTTP " + std::to_string(response.status) +
                                ") is not GetParameter's: no Parameter with a Type and a Value",
                            false};
  }
  if (*type != kSecureString) {
    return ParameterFailure{ParameterError::NotSecureString,
                            "it is a " + *type +
                                ", not a SecureString: its value is stored in plain text; put it "
                                "again with --type SecureString --overwrite",
                            false};
  }
  std::string secret = *value;
  if (secret.ends_with('\n')) secret.pop_back();
  if (secret.empty()) {
    return ParameterFailure{ParameterError::Empty, "its value is empty", false};
  }
  return secret;
}

ParameterFailure unreachable(const http::Failure& failure) {
  return {ParameterError::Unreachable,
          std::string(failure.timed_out ? "no answer in time" : "no answer") + " from SSM (" +
              failure.message + ")",
          true};
}

std::string ssm_endpoint(const std::optional<std::string>& configured, std::string_view region) {
  std::string endpoint = configured && !configured->empty()
                             ? *configured
                             : "https://ssm." + std::string(region) + ".amazonaws.com";
  while (endpoint.ends_with('/')) endpoint.pop_back();
  if (!endpoint.starts_with("http://") && !endpoint.starts_with("https://")) {
    throw std::invalid_argument("the SSM endpoint '" + endpoint +
                                "' must start with http:// or https://");
  }
  return endpoint;
}

ParameterResult read_secure_string(http::Transport& transport, RequestSigner& signer,
                                   std::string_view endpoint, std::string_view name,
                                   const ReadOptions& options) {
  const http::Request request = get_parameter_request(endpoint, name);
  ParameterFailure last{ParameterError::Unreachable, "no attempt was made", false};
  for (int attempt = 1; attempt <= options.max_attempts; ++attempt) {
    if (attempt > 1 && options.pause) options.pause(attempt - 1);
    http::Request signed_request = request;
    for (auto& header : signer.sign(request)) signed_request.headers.push_back(std::move(header));
    http::Result result = transport.send(signed_request, options.attempt_timeout);
    if (auto* failure = std::get_if<http::Failure>(&result)) {
      last = unreachable(*failure);
    } else {
      ParameterResult parsed = parse_get_parameter_response(std::get<http::Response>(result));
      if (std::holds_alternative<std::string>(parsed)) return parsed;
      last = std::get<ParameterFailure>(std::move(parsed));
    }
    if (!last.retryable) return last;
  }
  if (options.max_attempts > 1) {
    last.message += " (" + std::to_string(options.max_attempts) + " attempts)";
  }
  return last;
}

}  // namespace videochat::aws::ssm
