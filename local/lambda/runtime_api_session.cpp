#include "runtime_api_session.hpp"

#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <nlohmann/json.hpp>

#include "lambda_pool.hpp"
#include "runtime_api_routes.hpp"
#include "ssm_parameter.hpp"

namespace videochat::local::lambda {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {
// Lambda's limit for a synchronous invocation's response.
constexpr std::uint64_t kMaxBodyBytes = 6 * 1024 * 1024;

std::string error_json(std::string_view type, std::string_view message) {
  return nlohmann::json{{"errorType", type}, {"errorMessage", message}}.dump();
}
}  // namespace

RuntimeApiSession::RuntimeApiSession(std::weak_ptr<LambdaPool> pool, ChildId child,
                                     net::ip::tcp::socket&& socket)
    : pool_(std::move(pool)), child_(child), stream_(std::move(socket)) {}

void RuntimeApiSession::run() {
  do_read();
}

void RuntimeApiSession::do_read() {
  parser_.emplace();
  parser_->body_limit(kMaxBodyBytes);
  // No read deadline: between invocations a process may be quiet for as long as it lives.
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&RuntimeApiSession::on_read, shared_from_this()));
}

void RuntimeApiSession::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::body_limit) {
    keep_alive_ = false;
    send(413,
         error_json("RequestEntityTooLarge", "the response is larger than Lambda's 6 MB limit"));
    return;
  }
  if (ec) return;  // the process closed the connection, or died
  auto pool = pool_.lock();
  if (!pool) return;
  auto request = parser_->release();
  keep_alive_ = request.keep_alive();
  version_ = request.version();
  if (is_ssm_request(request.method_string(), request.target(), request["X-Amz-Target"])) {
    ReceivedRequest received{std::string(request.method_string()), "/", "", {}, request.body()};
    for (const auto& field : request) {
      received.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    SsmAnswer answer = pool->answer_ssm(received);
    send(answer.status, std::move(answer.body), aws::ssm::kContentType);
    return;
  }
  auto parsed = parse_runtime_request(request.method_string(), request.target());
  if (auto* bad = std::get_if<BadRuntimeRequest>(&parsed)) {
    send(bad->status, error_json("InvalidRequest", bad->message));
  } else if (std::holds_alternative<NextInvocationRequest>(parsed)) {
    // Answered when the pool hands this process an invocation, on this executor.
    pool->next(child_, [self = shared_from_this()](NextInvocation invocation) {
      self->send_invocation(std::move(invocation));
    });
  } else if (auto* response = std::get_if<InvocationResponse>(&parsed)) {
    unsigned status =
        pool->answer(child_, response->request_id, Outcome::Ok, std::move(request.body()));
    send(status, status == 202
                     ? R"({"status":"OK"})"
                     : error_json("InvalidRequestID", "no invocation " + response->request_id +
                                                          " is running in this process"));
  } else if (auto* error = std::get_if<InvocationError>(&parsed)) {
    std::string detail =
        describe_function_error(request.body(), request["Lambda-Runtime-Function-Error-Type"]);
    unsigned status = pool->answer(child_, error->request_id, Outcome::FunctionError, detail);
    send(status, status == 202
                     ? R"({"status":"OK"})"
                     : error_json("InvalidRequestID", "no invocation " + error->request_id +
                                                          " is running in this process"));
  } else {
    pool->init_error(child_, describe_function_error(
                                 request.body(), request["Lambda-Runtime-Function-Error-Type"]));
    send(202, R"({"status":"OK"})");
  }
}

void RuntimeApiSession::send_invocation(NextInvocation invocation) {
  auto response = std::make_shared<http::response<http::string_body>>(http::status::ok, version_);
  response->set(http::field::content_type, "application/json");
  response->set("Lambda-Runtime-Aws-Request-Id", invocation.request_id);
  response->set("Lambda-Runtime-Deadline-Ms", std::to_string(invocation.deadline_epoch_ms));
  response->set("Lambda-Runtime-Invoked-Function-Arn", invocation.function_arn);
  response->set("Lambda-Runtime-Trace-Id", invocation.trace_id);
  response->body() = std::move(invocation.payload);
  write(std::move(response));
}

void RuntimeApiSession::send(unsigned status, std::string body, std::string_view content_type) {
  auto response = std::make_shared<http::response<http::string_body>>(
      static_cast<http::status>(status), version_);
  response->set(http::field::content_type, content_type);
  response->body() = std::move(body);
  write(std::move(response));
}

void RuntimeApiSession::write(std::shared_ptr<http::response<http::string_body>> response) {
  response->keep_alive(keep_alive_);
  response->prepare_payload();
  response_ = response;
  http::async_write(
      stream_, *response,
      beast::bind_front_handler(&RuntimeApiSession::on_write, shared_from_this(), keep_alive_));
}

void RuntimeApiSession::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  response_.reset();
  if (ec) return;
  if (!keep_alive) {
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    return;
  }
  do_read();
}

}  // namespace videochat::local::lambda
