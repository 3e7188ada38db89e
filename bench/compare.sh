#!/usr/bin/env bash
# Runs the signaling benchmark: videochat-local (as configured by default, and with --coalesce-us 0),
# the Node.js ws baseline and the floor relay (the cheapest possible relay of the protocol: what the
# kernel alone costs per message), side by side
# on this machine, interleaved and repeated at several offered rates; prints a comparison table and
# writes an SVG plot of p99 latency against offered rate. Then the same servers again at the
# operating points under a second, independent generator (bench/node_load_generator.mjs, Node.js
# with ws), so a figure does not hang on one generator's way of sending. videochat-local runs with
# bench/allocation_counter.c preloaded, which counts its heap allocations per relayed message.
# Everything runs in a private network namespace with only loopback.
# Usage: bash bench/compare.sh [--quick]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ${VIDEOCHAT_BENCH_INSIDE:-} != 1 ]]; then
  bash scripts/setup.sh >&2
  flags=(--net)
  [[ $(id -u) -eq 0 ]] || flags+=(--map-root-user)
  exec unshare "${flags[@]}" -- env VIDEOCHAT_BENCH_INSIDE=1 bash "$0" "$@"
fi
ip link set lo up

CLIENTS=200 ROOMS=100 DURATION=5 REPEATS=2
RATES=(25 50 100 200 300 400 600)
# The Node.js generator needs most of a core for 20,000 msg/s: it measures the operating points.
NODE_RATES=(50 100)
if [[ ${1:-} == --quick ]]; then RATES=(50 100); NODE_RATES=(100); DURATION=3; REPEATS=1; fi
OUT=build/bench
mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
: > "$RESULTS"

ALLOCATIONS=$OUT/videochat-local.allocations
# Each generated client sends up to 100 msg/s at the top rates, twice videochat-local's default
# per-connection limit (--max-messages-per-second 50, made for real clients): the limit is raised,
# not removed, so its cost per message is in the figures.
LIMITS=(--max-messages-per-second 1000)
LD_PRELOAD=$PWD/build/native/bench/videochat-allocation-counter.so \
  VIDEOCHAT_ALLOCATION_COUNTER=$ALLOCATIONS \
  build/native/local/videochat-local --port 18280 "${LIMITS[@]}" > "$OUT/videochat-local.log" 2>&1 &
LOCAL_PID=$!
NODE_PATH=node_modules node bench/node_relay.mjs --port 18281 > "$OUT/node-relay.log" 2>&1 &
NODE_PID=$!
# The floor moderates its wake-ups as videochat-local does by default; videochat-local also runs
# without moderation, to show what it buys.
build/native/bench/videochat-floor-relay --port 18282 --coalesce-us 500 > "$OUT/floor-relay.log" 2>&1 &
FLOOR_PID=$!
build/native/local/videochat-local --port 18283 --coalesce-us 0 "${LIMITS[@]}" > "$OUT/videochat-local-c0.log" 2>&1 &
LOCAL_C0_PID=$!
trap 'kill $LOCAL_PID $NODE_PID $FLOOR_PID $LOCAL_C0_PID 2>/dev/null || true' EXIT
for port in 18280 18281 18282 18283; do
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
done

GENERATOR=(build/native/bench/videochat-bench)
run() {  # label url pid rate [generator options...]
  local label=$1 url=$2 pid=$3 rate=$4
  shift 4
  "${GENERATOR[@]}" --url "$url" --server-pid "$pid" --label "$label" \
    --clients $CLIENTS --rooms $ROOMS --rate "$rate" --duration $DURATION --drain 2 "$@" |
    tail -n 1 >> "$RESULTS"
}
run_all() {  # rates...
  for repeat in $(seq $REPEATS); do
    for rate in "$@"; do
      echo "${GENERATOR[*]##*/}: repeat $repeat, $rate msg/s per client" >&2
      run videochat-local ws://127.0.0.1:18280/production $LOCAL_PID "$rate" \
        --allocation-counter "$ALLOCATIONS"
      run node-ws ws://127.0.0.1:18281/ $NODE_PID "$rate"
      run floor-relay ws://127.0.0.1:18282/ $FLOOR_PID "$rate"
      run videochat-local-c0 ws://127.0.0.1:18283/production $LOCAL_C0_PID "$rate"
    done
  done
}
run_all "${RATES[@]}"
GENERATOR=(env NODE_PATH=node_modules node bench/node_load_generator.mjs)
run_all "${NODE_RATES[@]}"
node bench/report.mjs "$RESULTS" "$OUT/latency.svg"
