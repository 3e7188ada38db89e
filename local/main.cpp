// videochat-local: the whole product on one machine. Serves the client and emulates the API
// Gateway WebSocket API, running the same route handlers as Lambda does on AWS.
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "logger.hpp"
#include "options.hpp"
#include "resume_secret.hpp"
#include "turn_secret.hpp"
#include "server.hpp"

int main(int argc, char** argv) {
  using namespace videochat;
  std::vector<std::string> args(argv + 1, argv + argc);
  std::map<std::string, std::string> env;
  for (const char* name : {"PORT", "ICE_SERVERS", "VIDEOCHAT_RESUME_SECRET"}) {
    if (const char* value = std::getenv(name)) env[name] = value;
  }
  auto parsed = local::parse_options(args, env, VIDEOCHAT_DEFAULT_WEB_ROOT);
  if (std::holds_alternative<local::ShowHelp>(parsed)) {
    std::cout << local::usage();
    return 0;
  }
  if (auto* error = std::get_if<std::string>(&parsed)) {
    std::cerr << "videochat-local: " << *error << "\n";
    return 2;
  }
  auto options = std::get<local::Options>(std::move(parsed));
  auto secret = local::load_resume_secret(options);
  if (auto* error = std::get_if<std::string>(&secret)) {
    std::cerr << "videochat-local: " << *error << "\n";
    return 2;
  }
  if (auto error = local::load_turn_secret(options); !error.empty()) {
    std::cerr << "videochat-local: " << error << "\n";
    return 2;
  }
  auto& resume = std::get<local::ResumeSecret>(secret);
  options.resume_secret = std::move(resume.bytes);
  options.resume_secret_is_random = resume.source == "random";
  // Logs are JSON lines on stdout; people get a one-line hint on stderr.
  lambdas::StreamLogger log(std::cout, /*flush_each_line=*/false);
  log.write({{"event", "resume_secret"}, {"source", resume.source}});
  if (options.turn.enabled()) {
    log.write({{"event", "turn_relay"},
               {"urls", options.turn.urls},
               {"credentialLifetimeS", options.turn.lifetime.count()}});
  }
  return local::run_server(std::move(options), log);
}
