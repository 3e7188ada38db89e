#include "http_runtime_api.hpp"

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace videochat::runtime {

namespace {
// /next blocks until an event comes, for as long as the environment lives: no client timeout.
constexpr auto kNextTimeout = std::chrono::hours(24);
constexpr auto kPostTimeout = std::chrono::seconds(10);

std::string error_body(const std::string& error_type, const std::string& message) {
  return nlohmann::json{{"errorType", error_type}, {"errorMessage", message}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}
}  // namespace

HttpRuntimeApi::HttpRuntimeApi(aws::http::Transport& transport, const std::string& host)
    : transport_(transport), base_("http://" + host + "/2018-06-01/runtime") {}

std::optional<Invocation> HttpRuntimeApi::next() {
  aws::http::Request request{"GET", base_ + "/invocation/next", {}, {}};
  auto result = transport_.send(request, std::chrono::duration_cast<std::chrono::milliseconds>(kNextTimeout));
  auto* response = std::get_if<aws::http::Response>(&result);
  if (!response || response->status != 200) return std::nullopt;
  Invocation invocation;
  invocation.request_id = aws::http::header_value(response->headers, "Lambda-Runtime-Aws-Request-Id");
  if (invocation.request_id.empty()) return std::nullopt;
  auto deadline = aws::http::header_value(response->headers, "Lambda-Runtime-Deadline-Ms");
  std::from_chars(deadline.data(), deadline.data() + deadline.size(), invocation.deadline_ms);
  invocation.function_arn =
      aws::http::header_value(response->headers, "Lambda-Runtime-Invoked-Function-Arn");
  invocation.trace_id = aws::http::header_value(response->headers, "Lambda-Runtime-Trace-Id");
  // X-Ray reads the trace id from the environment, as in every Lambda runtime.
  if (!invocation.trace_id.empty()) setenv("_X_AMZN_TRACE_ID", invocation.trace_id.c_str(), 1);
  invocation.payload = std::move(response->body);
  return invocation;
}

bool HttpRuntimeApi::post(const std::string& path, const std::string& body,
                          std::vector<aws::http::Header> headers) {
  headers.push_back({"Content-Type", "application/json"});
  aws::http::Request request{"POST", base_ + path, std::move(headers), body};
  auto result = transport_.send(request, kPostTimeout);
  auto* response = std::get_if<aws::http::Response>(&result);
  return response && response->status >= 200 && response->status < 300;
}

bool HttpRuntimeApi::respond(const std::string& request_id, const std::string& body) {
  return post("/invocation/" + request_id + "/response", body);
}

bool HttpRuntimeApi::fail(const std::string& request_id, const std::string& error_type,
                          const std::string& message) {
  return post("/invocation/" + request_id + "/error", error_body(error_type, message),
              {{"Lambda-Runtime-Function-Error-Type", error_type}});
}

void HttpRuntimeApi::init_error(const std::string& error_type, const std::string& message) {
  post("/init/error", error_body(error_type, message),
       {{"Lambda-Runtime-Function-Error-Type", error_type}});
}

}  // namespace videochat::runtime
