#include "turn_secret.hpp"

#include "secret_file.hpp"

namespace videochat::local {

std::string load_turn_secret(Options& options) {
  if (options.turn_secret_file.empty()) return {};
  auto bytes = read_secret_file(options.turn_secret_file);
  if (!bytes) return "--turn-secret-file: cannot read " + options.turn_secret_file;
  if (bytes->empty()) return "--turn-secret-file: " + options.turn_secret_file + " is empty";
  options.turn.secret = std::move(*bytes);
  return {};
}

}  // namespace videochat::local
