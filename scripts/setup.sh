#!/usr/bin/env bash
# Installs what the project needs on Debian 12 and builds it. Idempotent: it installs only what is
# missing, reinstalls npm packages only when package-lock.json changed, and rebuilds incrementally,
# so once it has run, neither starting nor testing needs the network.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Debian packages: toolchain, libraries, and what the tests run.
APT_PACKAGES=(
  cmake ninja-build g++ pkg-config
  libboost-dev nlohmann-json3-dev doctest-dev libssl-dev libmbedtls-dev libutf8proc-dev
  iproute2 util-linux curl ca-certificates
  # The SigV4 cross-check signs the same requests with botocore (tests/tools/botocore_sign.py).
  python3-botocore
  # The WebAssembly client: Debian's Emscripten, its fonts, and the browser its tests drive.
  emscripten binaryen fonts-inter python3-fonttools chromium
  # Independent AWS implementations the tests check our SigV4 against.
  awscli
  # The Lambda zip (lambdas/package/package-lambda.sh) and its test in an empty chroot; lld links
  # the function in the order of lambdas/package/startup-order.txt.
  zip unzip lld
  # The arm64 zip: Debian's cross compiler and the arm64 static libraries it links (the
  # architecture is added first), and qemu to run it in the chroot test.
  g++-aarch64-linux-gnu libmbedtls-dev:arm64 libssl-dev:arm64 libutf8proc-dev:arm64
  qemu-user-static
  # videochat-local --lambda unpacks the function's zip with libzip.
  libzip-dev
  # The TLS tests make their certificates with the openssl command (tests/*/tls.test.mjs).
  openssl
  # The TURN relay the browser tests call through (tests/browser/turn.test.mjs, docs/turn.md).
  coturn
  # Firefox for the Firefox-Chromium call (tests/browser/firefox.test.mjs), on an X server of its
  # own: headless Firefox finds no GL driver for WebGL2.
  firefox-esr xvfb
  # The fuzz targets (fuzz/, scripts/fuzz.sh): clang with libFuzzer and the sanitizers' runtimes.
  clang-14 libclang-rt-14-dev
)

log() { printf 'setup: %s\n' "$*" >&2; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

missing_packages() {
  local package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      printf '%s\n' "$package"
    fi
  done
}

install_apt_packages() {
  local wanted=("${APT_PACKAGES[@]}")
  # Node.js: any Node 20+ already on the machine will do (it may come from elsewhere than
  # Debian, bringing its own npm); otherwise Debian's.
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    wanted+=(nodejs npm)
  fi
  mapfile -t missing < <(missing_packages "${wanted[@]}")
  if ((${#missing[@]} == 0)); then
    log "Debian packages: all present"
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    as_root dpkg --add-architecture arm64
  fi
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    "${missing[@]}"
  # On a machine with systemd, Debian starts coturn as a system service listening on every
  # address with its default configuration. The tests run their own relay: a service we just
  # installed is stopped and disabled, not left as a relay nobody configured.
  if [[ " ${missing[*]} " == *" coturn "* ]] && command -v systemctl >/dev/null &&
     [[ -d /run/systemd/system ]]; then
    log "stopping and disabling the coturn system service Debian started (the tests run their own)"
    as_root systemctl disable --now coturn.service || log "could not disable coturn.service"
  fi
}

# qemu-user-static's arm64 entry in binfmt_misc, so the arm64 zip's chroot test can run it. Debian
# registers it through systemd-binfmt, which a container does not run: then it is done here, with
# Debian's own line (its F flag opens qemu now, so it runs inside a chroot too). Where the machine
# forbids it, the test says so and skips.
register_qemu_aarch64() {
  local binfmt=/proc/sys/fs/binfmt_misc entry=/usr/lib/binfmt.d/qemu-aarch64.conf
  if [[ -e $binfmt/qemu-aarch64 ]]; then
    log "binfmt_misc: qemu-aarch64 registered"
    return
  fi
  if [[ ! -e $binfmt/register ]]; then
    as_root mount -t binfmt_misc binfmt_misc "$binfmt" 2>/dev/null || true
  fi
  if [[ -f $entry ]] && as_root sh -c "cat '$entry' > '$binfmt/register'" 2>/dev/null; then
    log "binfmt_misc: registered qemu-aarch64 (from $entry)"
  else
    log "binfmt_misc: cannot register qemu-aarch64 here; the arm64 chroot test will skip"
  fi
}

install_npm_packages() {
  local stamp=node_modules/.package-lock.json
  if [[ -f $stamp && ! package-lock.json -nt $stamp ]]; then
    log "npm packages: up to date"
    return
  fi
  log "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
}

build() {
  if [[ ! -f build/native/CMakeCache.txt ]]; then
    cmake --preset native >/dev/null
  fi
  log "building videochat-local, handlers and tests (native preset)"
  cmake --build --preset native

  bash scripts/fetch-imgui.sh
  # Debian's Emscripten finds its JavaScript dependencies (acorn) only through NODE_PATH.
  export NODE_PATH=/usr/share/nodejs
  if [[ ! -f build/wasm/CMakeCache.txt ]]; then
    cmake --preset wasm >/dev/null
  fi
  log "building the client into build/site (wasm preset)"
  cmake --build --preset wasm
}

install_apt_packages
register_qemu_aarch64
install_npm_packages
build
log "ready"
