#!/usr/bin/env bash
# The build phase of amplify.yml: the client with the wasm preset into build/amplify-site, plus
# config.json written from the environment (SIGNALING_URL, ICE_SERVERS). The toolchain comes from
# build/deps/toolchain.env (Amplify's preBuild writes it) or, when that is absent, from Debian's
# packages (scripts/setup.sh), as the local check does.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

: "${SIGNALING_URL:?set SIGNALING_URL to the SignalingUrl output of the stack (wss://...)}"
ICE_SERVERS=${ICE_SERVERS:-[]}
OUT=${AMPLIFY_SITE_DIR:-$PWD/build/amplify-site}
BUILD_DIR=${AMPLIFY_BUILD_DIR:-$PWD/build/amplify}

cache_args=()
if [[ -f build/deps/toolchain.env ]]; then
  # shellcheck disable=SC1091
  while read -r line; do
    for assignment in $line; do
      name=${assignment%%=*} value=${assignment#*=}
      if [[ $name == EMSDK_ENV ]]; then source "$value" >/dev/null; else cache_args+=("-D$name=$value"); fi
    done
  done < build/deps/toolchain.env
else
  bash scripts/fetch-imgui.sh
  export NODE_PATH=/usr/share/nodejs
fi

case $SIGNALING_URL in
  wss://*|ws://*) ;;
  *) echo "amplify-build: SIGNALING_URL must be a ws:// or wss:// URL, not '$SIGNALING_URL'" >&2; exit 2 ;;
esac
node -e 'const v = JSON.parse(process.argv[1]); if (!Array.isArray(v)) process.exit(1)' "$ICE_SERVERS" ||
  { echo "amplify-build: ICE_SERVERS must be a JSON array" >&2; exit 2; }

cmake --preset wasm -B "$BUILD_DIR" -DSITE_DIR="$OUT" "${cache_args[@]}" >/dev/null
cmake --build "$BUILD_DIR"
node -e 'process.stdout.write(JSON.stringify({signalingUrl: process.argv[1], iceServers: JSON.parse(process.argv[2])}) + "\n")' \
  "$SIGNALING_URL" "$ICE_SERVERS" > "$OUT/config.json"
echo "amplify-build: site in $OUT"
