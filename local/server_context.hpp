// What every session of videochat-local shares: settings, the room store, the live connections,
// the log, and the one way to run a route handler.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "connection_registry.hpp"
#include "log_throttle.hpp"
#include "logger.hpp"
#include "loop_stream.hpp"
#include "options.hpp"
#include "room_store.hpp"
#include "route_handlers.hpp"
#include "websocket_event.hpp"
#include "epoch_time.hpp"

namespace videochat::local {

namespace lambda {
class LambdaPool;
}

// What API Gateway makes of one route invocation.
struct RouteOutcome {
  lambdas::HandlerResponse response;
  // The integration failed (the function erred, crashed or timed out): API Gateway refuses a
  // $connect, and tells a message's sender "Internal server error".
  bool integration_failed = false;
};
using RouteDone = std::function<void(RouteOutcome)>;

// Log lines that a flood could repeat (any session, any thread), each kind written at most once a
// second (see LogThrottle).
enum class LogKind { TlsHandshakeFailed };

class ServerContext {
 public:
  ServerContext(Options options, std::shared_ptr<lambdas::RoomStore> store, lambdas::Logger& log);

  const Options& options() const { return options_; }
  ConnectionRegistry& registry() { return registry_; }
  lambdas::Logger& log() { return log_; }
  // Writes the line unless one of its kind was written within the last second; the next one
  // written says how many were left out ("leftOut").
  void log_throttled(LogKind kind, nlohmann::json line);

  // "host:port" as listening: the domainName handlers see in their events.
  const std::string& domain_name() const { return domain_name_; }
  void set_domain_name(std::string name) { domain_name_ = std::move(name); }

  // Runs the handler for the event's route and writes its log line (route, connection id,
  // status, duration). In process, `done` runs before this returns; in Lambda mode the event goes
  // to a function process and `done` runs later, posted to `executor`. Callers keep one
  // connection's invocations in order by starting the next only once `done` ran.
  void invoke(const lambdas::WebSocketEvent& event, LoopExecutor executor, RouteDone done);

  // In process (not Lambda mode), messages need no event: route_message_in_process handles them.
  bool in_process() const { return !lambda_; }
  // Reads one message's frame in place, runs its handler and writes its log line, as invoke does
  // for a message event, without building the event (its request id and context are read by
  // nobody in process). Allocates nothing for a relayed message once the thread is warm.
  // `source_ip` is the sender's address (wrong passcodes are counted by it).
  void route_message_in_process(std::string_view body, const protocol::ConnectionId& sender,
                                std::string_view source_ip);

  // Lambda mode: route invocations go to the function's processes.
  void use_lambda(std::shared_ptr<lambda::LambdaPool> pool) { lambda_ = std::move(pool); }
  const std::shared_ptr<lambda::LambdaPool>& lambda() const { return lambda_; }

  // Shutdown bookkeeping: the server stops once every session has run its $disconnect.
  bool shutting_down() const { return shutting_down_.load(); }
  void begin_shutdown(std::function<void()> on_all_sessions_done);
  void session_started() { ++live_sessions_; }
  void session_finished();

 private:
  lambdas::HandlerResponse invoke_in_process(const lambdas::WebSocketEvent& event);

  Options options_;
  std::shared_ptr<lambdas::RoomStore> store_;
  ConnectionRegistry registry_;
  lambdas::Logger& log_;
  lambdas::HandlerConfig handler_config_;
  std::string domain_name_;
  std::shared_ptr<lambda::LambdaPool> lambda_;
  std::mutex throttle_mutex_;
  LogThrottle tls_failures_;  // guarded by throttle_mutex_

  std::atomic<bool> shutting_down_{false};
  std::atomic<long> live_sessions_{0};
  std::function<void()> on_all_sessions_done_;
  std::atomic<bool> all_done_signalled_{false};
};


}  // namespace videochat::local
