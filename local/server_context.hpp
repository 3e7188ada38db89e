// What every session of videochat-local shares: settings, the room store, the live connections,
// the log, and the one way to run a route handler.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "connection_registry.hpp"
#include "logger.hpp"
#include "options.hpp"
#include "room_store.hpp"
#include "route_handlers.hpp"
#include "websocket_event.hpp"

namespace videochat::local {

class ServerContext {
 public:
  ServerContext(Options options, std::shared_ptr<lambdas::RoomStore> store,
                lambdas::Logger& log);

  const Options& options() const { return options_; }
  ConnectionRegistry& registry() { return registry_; }
  lambdas::Logger& log() { return log_; }

  // "host:port" as listening: the domainName handlers see in their events.
  const std::string& domain_name() const { return domain_name_; }
  void set_domain_name(std::string name) { domain_name_ = std::move(name); }

  // Runs the handler for the event's route and writes its log line (route, connection id,
  // status, duration). Called on the connection's strand, so one connection's messages are
  // handled in order.
  lambdas::HandlerResponse invoke(const lambdas::WebSocketEvent& event);

  // Shutdown bookkeeping: the server stops once every session has run its $disconnect.
  bool shutting_down() const { return shutting_down_.load(); }
  void begin_shutdown(std::function<void()> on_all_sessions_done);
  void session_started() { ++live_sessions_; }
  void session_finished();

 private:
  Options options_;
  std::shared_ptr<lambdas::RoomStore> store_;
  ConnectionRegistry registry_;
  lambdas::Logger& log_;
  lambdas::HandlerConfig handler_config_;
  std::string domain_name_;

  std::atomic<bool> shutting_down_{false};
  std::atomic<long> live_sessions_{0};
  std::function<void()> on_all_sessions_done_;
  std::atomic<bool> all_done_signalled_{false};
};

std::int64_t epoch_ms_now();

}  // namespace videochat::local
