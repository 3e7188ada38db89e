#!/usr/bin/env bash
# Sets up, builds and runs the whole product locally: the client's static files and the signaling
# API on one port (default http://127.0.0.1:8080/). Extra arguments go to videochat-local
# (see --help); PORT and ICE_SERVERS are read from the environment.
#
#   bash scripts/start.sh --lambda [options]
#
# runs the signaling handlers as on AWS instead: the Lambda zip in function processes behind
# videochat-local's own Runtime API, rooms in DynamoDB. Unless AWS_ENDPOINT_URL_DYNAMODB names
# one, a dynalite (in memory) is started for them on a free port, and stops with the server.
#
#   bash scripts/start.sh --turn [options]
#
# starts a TURN relay (coturn) on 127.0.0.1:3478 (TURN_PORT) beside the server, with a secret made
# for this run, and has every call go through it (--ice-transport-policy relay): the relay path,
# one command away, for browsers on this machine (docs/turn.md has a relay for the world).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

lambda=false
turn=false
while [[ $# -gt 0 ]]; do
  # "--lambda PATH.zip" is videochat-local's own flag, passed on as it is.
  if [[ $1 == --lambda && ${2:-} != *.zip ]]; then
    lambda=true
  elif [[ $1 == --turn ]]; then
    turn=true
  else
    break
  fi
  shift
done

bash scripts/setup.sh

if $turn; then
  turn_port=${TURN_PORT:-3478}
  turn_dir=$(mktemp -d)
  trap 'kill "$turn_pid" 2>/dev/null; rm -rf "$turn_dir"' EXIT
  head -c 32 /dev/urandom | base64 >"$turn_dir/secret"
  # The secret goes in a file only this user reads, not on a command line others can list.
  # Browsers on this machine only: their relayed addresses are loopback ones. A relay for the
  # world denies loopback and private peers instead (docs/turn.md).
  (
    umask 077
    printf '%s\n' "listening-ip=127.0.0.1" "listening-port=$turn_port" "relay-ip=127.0.0.1" \
      "realm=videochat.local" "use-auth-secret" "static-auth-secret=$(cat "$turn_dir/secret")" \
      "allow-loopback-peers" "no-multicast-peers" "no-tls" "no-dtls" "no-cli" "fingerprint" \
      "log-file=$turn_dir/turnserver.log" "simple-log" "pidfile=$turn_dir/turnserver.pid" \
      "userdb=$turn_dir/turndb" >"$turn_dir/turnserver.conf"
  )
  setsid turnserver -c "$turn_dir/turnserver.conf" >/dev/null 2>&1 &
  turn_pid=$!
  echo "start.sh: TURN relay (coturn) on 127.0.0.1:$turn_port, every call relayed; its log:" \
    "$turn_dir/turnserver.log" >&2
  set -- --turn-url "turn:127.0.0.1:$turn_port?transport=udp" \
    --turn-url "turn:127.0.0.1:$turn_port?transport=tcp" --turn-secret-file "$turn_dir/secret" --ice-transport-policy relay "$@"
fi

if $lambda; then
  if [[ -z ${AWS_ENDPOINT_URL_DYNAMODB:-} ]]; then
    # Its own session, so a Ctrl-C reaches videochat-local alone, which still needs the table to
    # run every $disconnect. dynalite exits once its standard input closes: videochat-local
    # inherits the other end, so that is when the server ends.
    ready=$(mktemp)
    exec {dynalite_input}> >(exec setsid node tests/dynamodb/start_dynalite.cjs >"$ready")
    for ((tries = 0; tries < 100; tries++)); do
      [[ -s $ready ]] && break
      sleep 0.1
    done
    port=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$ready")
    rm -f "$ready"
    [[ -n $port ]] || { echo "start.sh: dynalite did not start within 10 s" >&2; exit 1; }
    echo "start.sh: dynalite on 127.0.0.1:$port (in memory)" >&2
    export AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:$port
    export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-local} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-local}
  fi
  export AWS_REGION=${AWS_REGION:-us-east-1} VIDEOCHAT_TABLE=${VIDEOCHAT_TABLE:-videochat}
  set -- --lambda build/native/lambda/videochat-lambda.zip "$@"
fi
if $turn; then
  # Not exec: the relay stops when the server ends (the EXIT trap).
  build/native/local/videochat-local "$@"
else
  exec build/native/local/videochat-local "$@"
fi
