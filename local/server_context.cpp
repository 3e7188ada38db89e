#include "server_context.hpp"

#include <chrono>

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

lambdas::HandlerResponse ServerContext::invoke(const lambdas::WebSocketEvent& event) {
  auto start = std::chrono::steady_clock::now();
  lambdas::HandlerServices services{*store_, registry_, log_, handler_config_};
  lambdas::HandlerResponse response = lambdas::dispatch(event, services);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count();
  nlohmann::json line = {{"event", "route"},
                         {"route", event.request_context.route_key},
                         {"connectionId", event.request_context.connection_id.value},
                         {"status", response.status_code},
                         {"durationUs", micros}};
  if (response.status_code >= 400 && response.body) line["error"] = *response.body;
  log_.write(std::move(line));
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
