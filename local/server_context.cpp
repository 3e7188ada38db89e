#include "server_context.hpp"

#include <boost/asio/post.hpp>
#include <chrono>

#include "lambda/lambda_pool.hpp"
#include "lambda/proxy_response.hpp"
#include "route_log.hpp"

namespace videochat::local {

namespace {

std::optional<std::string_view> optional_body(const lambdas::HandlerResponse& response) {
  if (!response.body) return std::nullopt;
  return *response.body;
}

}  // namespace

ServerContext::ServerContext(Options options, std::shared_ptr<lambdas::RoomStore> store,
                             lambdas::Logger& log)
    : options_(std::move(options)), store_(std::move(store)), log_(log) {
  handler_config_.allowed_origins = options_.allowed_origins;
  handler_config_.max_message_bytes = options_.max_relay_bytes;
  handler_config_.resume_secret = options_.resume_secret;
  handler_config_.resume_token_lifetime = options_.resume_token_lifetime;
  handler_config_.turn = options_.turn;
}

void ServerContext::invoke(const lambdas::WebSocketEvent& event, LoopExecutor executor,
                           RouteDone done) {
  if (!lambda_) {
    done(RouteOutcome{invoke_in_process(event), false});
    return;
  }
  auto start = std::chrono::steady_clock::now();
  const auto& request = event.request_context;
  lambda_->invoke(
      lambdas::to_json(event).dump(),
      [this, start, route = request.route_key, connection = request.connection_id.value,
       request_id = request.request_id, executor = std::move(executor),
       done = std::move(done)](lambda::InvocationResult result) mutable {
        RouteOutcome outcome;
        if (result.outcome == lambda::Outcome::Ok) {
          if (auto response = lambda::parse_proxy_response(result.detail)) {
            outcome.response = std::move(*response);
          } else {
            outcome.integration_failed = true;
            result.detail = "the function's response is not a Lambda proxy response: " +
                            result.detail.substr(0, 512);
          }
        } else {
          outcome.integration_failed = true;
        }
        if (outcome.integration_failed) {
          outcome.response = {500, result.detail};
        }
        const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::steady_clock::now() - start)
                                .count();
        // What only Lambda mode knows: which function process ran it, and how it ended.
        const nlohmann::json lambda_members = {
            {"lambdaRequestId", result.request_id},
            {"pid", result.pid},
            {"outcome", outcome.integration_failed && result.outcome == lambda::Outcome::Ok
                            ? "bad_response"
                            : std::string(lambda::to_string(result.outcome))}};
        const std::string extra = lambda_members.dump();
        lambdas::write_route_line(
            log_,
            {route, connection, outcome.response.status_code, micros, request_id,
             optional_body(outcome.response)},
            std::string_view(extra).substr(1, extra.size() - 2));
        boost::asio::post(
            executor, [done = std::move(done), outcome = std::move(outcome)] { done(outcome); });
      });
}

lambdas::HandlerResponse ServerContext::invoke_in_process(const lambdas::WebSocketEvent& event) {
  auto start = std::chrono::steady_clock::now();
  lambdas::HandlerServices services{*store_, registry_, log_, handler_config_};
  lambdas::HandlerResponse response = lambdas::dispatch(event, services);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count();
  lambdas::write_route_line(log_, {event.request_context.route_key,
                                   event.request_context.connection_id.value,
                                   response.status_code, micros, {}, optional_body(response)});
  return response;
}

void ServerContext::route_message_in_process(std::string_view body,
                                             const protocol::ConnectionId& sender,
                                             std::string_view source_ip) {
  const auto start = std::chrono::steady_clock::now();
  // One per thread, read into message after message: its strings keep their capacity.
  thread_local protocol::ClientFrame frame;
  lambdas::HandlerServices services{*store_, registry_, log_, handler_config_};
  std::string_view route;
  lambdas::HandlerResponse response;
  if (auto refused = protocol::parse_client_frame(body, frame)) {
    route = lambdas::route_of(*refused);
    response = lambdas::refuse_frame(*refused, sender, services);
  } else {
    route = protocol::to_string(protocol::action_of(frame));
    response = lambdas::handle_frame(frame, sender, services, source_ip);
  }
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
  lambdas::write_route_line(
      log_, {route, sender.value, response.status_code, micros, {}, optional_body(response)});
}

void ServerContext::begin_shutdown(std::function<void()> on_all_sessions_done) {
  on_all_sessions_done_ = std::move(on_all_sessions_done);
  shutting_down_ = true;
  if (live_sessions_.load() == 0 && !all_done_signalled_.exchange(true)) on_all_sessions_done_();
}

void ServerContext::session_finished() {
  if (--live_sessions_ == 0 && shutting_down_.load() && !all_done_signalled_.exchange(true)) {
    on_all_sessions_done_();
  }
}

void ServerContext::log_throttled(LogKind kind, nlohmann::json line) {
  const double now_ms = std::chrono::duration<double, std::milli>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count();
  std::optional<std::uint64_t> left_out;
  {
    std::lock_guard lock(throttle_mutex_);
    switch (kind) {
      case LogKind::TlsHandshakeFailed:
        left_out = tls_failures_.admit(now_ms);
        break;
    }
  }
  if (!left_out) return;
  if (*left_out > 0) line["leftOut"] = *left_out;
  log_.write(std::move(line));
}

}  // namespace videochat::local
