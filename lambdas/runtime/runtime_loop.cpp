#include "runtime_loop.hpp"

#include <chrono>

namespace videochat::runtime {

void run_runtime_loop(RuntimeApi& api, const InvocationHandler& handler, lambdas::Logger& log,
                      const LoopControl& control) {
  int failures = 0;
  while (control.keep_going()) {
    std::optional<Invocation> invocation = api.next();
    if (!invocation) {
      ++failures;
      log.write({{"event", "runtime_next_failed"}, {"consecutiveFailures", failures}});
      control.pause(failures);
      continue;
    }
    failures = 0;
    const auto started = std::chrono::steady_clock::now();
    std::string error_type, message;
    std::optional<std::string> body;
    try {
      body = handler(*invocation);
    } catch (const InvalidEvent& error) {
      error_type = "InvalidEvent";
      message = error.what();
    } catch (const std::exception& error) {
      error_type = "HandlerError";
      message = error.what();
    } catch (...) {
      error_type = "UnknownError";
      message = "the handler threw something that is not a std::exception";
    }
    const bool delivered = body ? api.respond(invocation->request_id, *body)
                                : api.fail(invocation->request_id, error_type, message);
    nlohmann::json line = {
        {"event", "invocation"},
        {"requestId", invocation->request_id},
        {"durationUs", std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count()},
        {"answered", delivered}};
    if (!body) {
      line["errorType"] = error_type;
      line["error"] = message;
    }
    log.write(std::move(line));
  }
}

}  // namespace videochat::runtime
