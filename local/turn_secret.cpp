#include "turn_secret.hpp"

#include <fstream>
#include <iterator>

namespace videochat::local {

std::string load_turn_secret(Options& options) {
  if (options.turn_secret_file.empty()) return {};
  std::ifstream file(options.turn_secret_file, std::ios::binary);
  if (!file) return "--turn-secret-file: cannot read " + options.turn_secret_file;
  std::string bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  // Files written by editors and `echo` end in a newline that is not part of the secret (coturn
  // reads its static-auth-secret the same way).
  while (!bytes.empty() && (bytes.back() == '\n' || bytes.back() == '\r')) bytes.pop_back();
  if (bytes.empty()) return "--turn-secret-file: " + options.turn_secret_file + " is empty";
  options.turn.secret = std::move(bytes);
  return {};
}

}  // namespace videochat::local
