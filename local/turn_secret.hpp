// Where videochat-local's TURN secret comes from: --turn-secret-file, or VIDEOCHAT_TURN_SECRET
// (already in Options). Separate from option parsing because it reads a file.
#pragma once

#include <string>

#include "options.hpp"

namespace videochat::local {

// Puts the file's secret in options.turn.secret when a file was given. An empty string, or why
// the secret cannot be had (an unreadable or empty file).
std::string load_turn_secret(Options& options);

}  // namespace videochat::local
