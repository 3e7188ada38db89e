#!/usr/bin/env bash
# Sets up, builds and runs the whole product locally: the client's static files and the signaling
# API on one port (default http://127.0.0.1:8080/). Extra arguments go to videochat-local
# (see --help); PORT and ICE_SERVERS are read from the environment.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
exec build/native/local/videochat-local "$@"
