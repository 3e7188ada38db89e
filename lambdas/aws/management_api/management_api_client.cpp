#include "management_api_client.hpp"

#include "uri_encode.hpp"

namespace videochat::aws {

using lambdas::PostResult;

namespace {
constexpr int kGone = 410;
constexpr int kTooManyRequests = 429;
}  // namespace

ManagementApiClient::ManagementApiClient(http::Transport& transport, RequestSigner& signer,
                                         std::string endpoint, std::chrono::milliseconds timeout,
                                         Log log)
    : transport_(transport),
      signer_(signer),
      endpoint_(std::move(endpoint)),
      timeout_(timeout),
      log_(std::move(log)) {}

void ManagementApiClient::set_endpoint(std::string endpoint) {
  std::lock_guard lock(mutex_);
  endpoint_ = std::move(endpoint);
}

std::string ManagementApiClient::endpoint() const {
  std::lock_guard lock(mutex_);
  return endpoint_;
}

std::string ManagementApiClient::connection_url(const protocol::ConnectionId& connection) const {
  return endpoint() + "/@connections/" + uri_encode(connection.value);
}

PostResult ManagementApiClient::post(const protocol::ConnectionId& to, std::string_view data) {
  return call("POST", to, std::string(data));
}

PostResult ManagementApiClient::disconnect(const protocol::ConnectionId& connection) {
  return call("DELETE", connection, {});
}

PostResult ManagementApiClient::probe(const protocol::ConnectionId& connection) {
  return call("GET", connection, {});
}

PostResult ManagementApiClient::call(std::string method, const protocol::ConnectionId& connection,
                                     std::string body) {
  http::Request request{std::move(method), connection_url(connection), {}, std::move(body)};
  if (request.method == "POST") request.headers.push_back({"Content-Type", "application/octet-stream"});
  for (auto& header : signer_.sign(request)) request.headers.push_back(std::move(header));
  // One retry for throttling or a server error: the post is idempotent enough for signaling
  // (a duplicate ICE candidate is harmless) and a second wait stays well inside a Lambda's time.
  for (int attempt = 0; attempt < 2; ++attempt) {
    http::Result result = transport_.send(request, timeout_);
    if (auto* failure = std::get_if<http::Failure>(&result)) {
      if (log_) log_(request.method + " " + request.url, 0, failure->message);
      if (failure->timed_out) return PostResult::Failed;
      continue;
    }
    const auto& response = std::get<http::Response>(result);
    if (response.status >= 200 && response.status < 300) return PostResult::Ok;
    if (response.status == kGone) return PostResult::Gone;
    if (log_) {
      log_(request.method + " " + request.url, response.status,
           std::string(http::header_value(response.headers, "x-amzn-ErrorType")) + " " +
               response.body);
    }
    if (response.status != kTooManyRequests && response.status < 500) return PostResult::Failed;
  }
  return PostResult::Failed;
}

std::string management_endpoint(std::string_view domain_name, std::string_view stage) {
  const bool loopback = domain_name.starts_with("127.") || domain_name.starts_with("localhost") ||
                        domain_name.starts_with("[::1]");
  return std::string(loopback ? "http://" : "https://") + std::string(domain_name) + "/" +
         std::string(stage);
}

}  // namespace videochat::aws
