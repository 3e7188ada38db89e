#!/usr/bin/env bash
# Sets up and builds like start.sh, then runs every test (CTest: doctest units, integration tests
# against a real videochat-local). The tests run in a private network namespace that has only
# loopback and a veth pair inside it, so nothing they do can reach, or be reached from, any other
# machine.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

run_isolated() {
  # Loopback, and a veth pair whose two ends (10.99.0.1 and .2) are both inside the namespace,
  # with the default route through it: Firefox gathers ICE candidates only on an interface that
  # is not loopback (tests/browser/firefox.test.mjs). Nothing is reachable beyond the namespace.
  local inner='ip link set lo up &&
    ip link add vc0 type veth peer name vc1 &&
    ip addr add 10.99.0.1/24 dev vc0 && ip addr add 10.99.0.2/24 dev vc1 &&
    ip link set vc0 up && ip link set vc1 up &&
    ip route add default via 10.99.0.2 dev vc0 &&
    exec "$@"'
  if [[ $(id -u) -eq 0 ]]; then
    unshare --net -- bash -c "$inner" isolated "$@"
  else
    # Unprivileged: a user namespace makes us root inside, enough to own a network namespace.
    unshare --map-root-user --net -- bash -c "$inner" isolated "$@"
  fi
}

run_isolated ctest --preset native "$@"
