// The Lambda custom runtime's loop (the Runtime API, provided.al2023): take the next invocation,
// run the handler, answer that invocation exactly once with a response or an error, repeat. The
// loop is pure over a RuntimeApi, so tests script the endpoint; http_runtime_api.hpp is the real one.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include "logger.hpp"

namespace videochat::runtime {

struct Invocation {
  std::string request_id;   // Lambda-Runtime-Aws-Request-Id
  std::int64_t deadline_ms = 0;  // Lambda-Runtime-Deadline-Ms: epoch milliseconds
  std::string function_arn;  // Lambda-Runtime-Invoked-Function-Arn
  std::string trace_id;      // Lambda-Runtime-Trace-Id
  std::string payload;       // the event, as JSON text
};

class RuntimeApi {
 public:
  virtual ~RuntimeApi() = default;
  // Blocks until the next invocation; nothing when the Runtime API could not be reached (the loop
  // waits a moment and asks again rather than crash and be restarted).
  virtual std::optional<Invocation> next() = 0;
  virtual bool respond(const std::string& request_id, const std::string& body) = 0;
  virtual bool fail(const std::string& request_id, const std::string& error_type,
                    const std::string& message) = 0;
  virtual void init_error(const std::string& error_type, const std::string& message) = 0;
};

// An event the handler cannot take at all (not JSON, not an API Gateway WebSocket event): answered
// as an invocation error with this type.
struct InvalidEvent : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Turns one invocation into the response body (Lambda proxy integration JSON). Throws
// InvalidEvent, or anything else, for an invocation error.
using InvocationHandler = std::function<std::string(const Invocation&)>;

struct LoopControl {
  // Asked before each invocation; the real runtime loops forever.
  std::function<bool()> keep_going = [] { return true; };
  // Called after next() fails, before asking again, with how many times in a row it has failed,
  // so the wait can grow instead of hammering an endpoint that is down.
  std::function<void(int consecutive_failures)> pause = [](int) {};
};

void run_runtime_loop(RuntimeApi& api, const InvocationHandler& handler, lambdas::Logger& log,
                      const LoopControl& control = {});

}  // namespace videochat::runtime
