#!/usr/bin/env bash
# The client benchmark in one command: our client against a plain-JS page, in a private network
# namespace with only loopback. Options go to compare.mjs (--rounds N, --window S, --only a,b,
# --smoke, --write). Needs the built site and server: bash scripts/setup.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
inner='ip link set lo up && exec "$@"'
if [[ $(id -u) -eq 0 ]]; then
  exec unshare --net -- bash -c "$inner" bench node bench/client/compare.mjs "$@"
fi
exec unshare --map-root-user --net -- bash -c "$inner" bench node bench/client/compare.mjs "$@"
