#include "server_context.hpp"

#include <boost/asio/post.hpp>
#include <chrono>

#include "lambda/lambda_pool.hpp"
#include "lambda/proxy_response.hpp"

namespace videochat::local {

std::int64_t epoch_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ServerContext::ServerContext(Options options, std::shared_ptr<lambdas::RoomStore> store,
                             lambdas::Logger& log)
    : options_(std::move(options)), store_(std::move(store)), log_(log) {
  handler_config_.allowed_origins = options_.allowed_origins;
  handler_config_.max_message_bytes = options_.max_relay_bytes;
  handler_config_.resume_secret = options_.resume_secret;
}

void ServerContext::invoke(const lambdas::WebSocketEvent& event, LoopExecutor executor,
                           RouteDone done) {
  if (!lambda_) {
    done(RouteOutcome{invoke_in_process(event), false});
    return;
  }
  auto start = std::chrono::steady_clock::now();
  const auto& request = event.request_context;
  nlohmann::json line = {{"event", "route"},
                         {"route", request.route_key},
                         {"connectionId", request.connection_id.value},
                         {"requestId", request.request_id}};
  lambda_->invoke(
      lambdas::to_json(event).dump(),
      [this, start, line = std::move(line), executor = std::move(executor),
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
        line["status"] = outcome.response.status_code;
        line["durationUs"] = std::chrono::duration_cast<std::chrono::microseconds>(
                                 std::chrono::steady_clock::now() - start)
                                 .count();
        line["lambdaRequestId"] = result.request_id;
        line["pid"] = result.pid;
        line["outcome"] = outcome.integration_failed && result.outcome == lambda::Outcome::Ok
                              ? "bad_response"
                              : std::string(lambda::to_string(result.outcome));
        if (outcome.response.status_code >= 400 && outcome.response.body) {
          line["error"] = *outcome.response.body;
        }
        log_.write(std::move(line));
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
  // One line per message: rendered directly rather than through a JSON object. The route key is
  // one of the handlers' own and the connection id one of ours; only the error needs escaping.
  std::string line;
  line.reserve(128);
  line.append(R"("event":"route","route":")")
      .append(event.request_context.route_key)
      .append(R"(","connectionId":")")
      .append(event.request_context.connection_id.value)
      .append(R"(","status":)")
      .append(std::to_string(response.status_code))
      .append(R"(,"durationUs":)")
      .append(std::to_string(micros));
  if (response.status_code >= 400 && response.body) {
    line.append(R"(,"error":)")
        .append(nlohmann::json(*response.body)
                    .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  log_.write_rendered(line);
  return response;
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

}  // namespace videochat::local
