#!/usr/bin/env bash
# Sets up and builds like start.sh, then runs every test (CTest: doctest units, integration tests
# against a real videochat-local). The tests run in a private network namespace that has only
# loopback, so nothing they do can reach, or be reached from, any other machine.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

run_isolated() {
  local inner='ip link set lo up && exec "$@"'
  if [[ $(id -u) -eq 0 ]]; then
    unshare --net -- bash -c "$inner" isolated "$@"
  else
    # Unprivileged: a user namespace makes us root inside, enough to own a network namespace.
    unshare --map-root-user --net -- bash -c "$inner" isolated "$@"
  fi
}

run_isolated ctest --preset native "$@"
