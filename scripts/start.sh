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
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

lambda=false
# "--lambda PATH.zip" is videochat-local's own flag, passed on as it is.
if [[ ${1:-} == --lambda && ${2:-} != *.zip ]]; then
  lambda=true
  shift
fi

bash scripts/setup.sh

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
exec build/native/local/videochat-local "$@"
