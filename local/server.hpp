// videochat-local's process: listens on one port, runs the sessions on a pool of threads, and
// shuts down cleanly on SIGINT/SIGTERM (every WebSocket closed with 1001 and its $disconnect run).
#pragma once

#include "logger.hpp"
#include "options.hpp"

namespace videochat::local {

// Runs until shut down; returns the process exit code.
int run_server(Options options, lambdas::Logger& log);

}  // namespace videochat::local
