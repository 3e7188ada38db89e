#!/usr/bin/env bash
# Unpacks Dear ImGui 1.86 from Debian 12's source package into build/deps/imgui-1.86 (Debian's
# libimgui-dev has headers only). Idempotent; the tarball's SHA-256 is pinned to Debian's .dsc.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
DEST=build/deps
ORIG=imgui_1.86+ds.orig.tar.xz
SHA256=0dace0e8e57d298eb6e93af12dc19420cb96330832f6495c733b90aeeef11f64

[[ -f $DEST/imgui-1.86/imgui.cpp ]] && exit 0
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

mkdir -p "$DEST"
cd "$DEST"
if ! { [[ -f $ORIG ]] && echo "$SHA256  $ORIG" | sha256sum -c --quiet >/dev/null 2>&1; }; then
  # Source packages come from deb-src entries mirroring the machine's binary ones.
  if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
      as_root tee /etc/apt/sources.list.d/debian-src.sources >/dev/null
    as_root apt-get update -q
  fi
  apt-get source --download-only imgui=1.86+ds-1
  echo "$SHA256  $ORIG" | sha256sum -c --quiet
fi
tar xJf "$ORIG"
test -f imgui-1.86/imgui.cpp
