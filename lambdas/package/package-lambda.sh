#!/usr/bin/env bash
# Packs a Lambda function for the provided.al2023 runtime into a zip that needs nothing from the
# host: the static launcher as `bootstrap`, the program (stripped) as `bin/videochat-lambda`, and
# in `lib/` every shared library ldd lists for it, saved under its SONAME, plus the dynamic loader
# the launcher starts it through. Libraries are stripped of what dynamic linking does not need.
#
#   package-lambda.sh PROGRAM LAUNCHER OUTPUT.zip
#
# The zip is reproducible: fixed order, fixed times, no owner fields. zip's default level: -9
# takes three times as long (3 s against 1 s) for 0.5 % less.
set -euo pipefail

if (($# != 3)); then
  echo "usage: $0 PROGRAM LAUNCHER OUTPUT.zip" >&2
  exit 2
fi
program=$1
launcher=$2
output=$(realpath -m "$3")
# The launcher execs exactly this loader name (lambdas/package/bootstrap.cpp).
readonly loader_name=ld-linux-x86-64.so.2
# AWS's limit for a zip uploaded directly (250 MB unpacked, 50 MB zipped).
readonly max_zip_bytes=$((50 * 1024 * 1024))

fail() {
  printf 'package-lambda: %s\n' "$*" >&2
  exit 1
}

for tool in ldd readelf strip zip; do
  command -v "$tool" >/dev/null || fail "$tool is missing (Debian packages: libc-bin binutils zip)"
done
[[ -x $program ]] || fail "$program is not an executable file"
[[ -x $launcher ]] || fail "$launcher is not an executable file"

# The launcher must not need a loader itself: no interpreter, no shared libraries.
if readelf -l "$launcher" | grep -q 'Requesting program interpreter' ||
  readelf -d "$launcher" 2>/dev/null | grep -q '(NEEDED)'; then
  fail "$launcher is dynamically linked; bootstrap must be static (link it with -static)"
fi

interpreter=$(readelf -l "$program" | sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p')
[[ -n $interpreter ]] || fail "$program names no program interpreter: is it a dynamic executable?"
[[ $(basename "$interpreter") == "$loader_name" ]] ||
  fail "$program wants the loader $interpreter; the launcher starts $loader_name"

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/bin" "$staging/lib"

strip --strip-all -o "$staging/bootstrap" "$launcher"
strip --strip-all -o "$staging/bin/videochat-lambda" "$program"

soname_of() {
  readelf -d "$1" | sed -n 's/.*(SONAME).*\[\(.*\)\]$/\1/p'
}

# ldd gives the whole closure: the program's libraries and theirs. Lines look like
#   libcurl.so.4 => /lib/x86_64-linux-gnu/libcurl.so.4 (0x...)
#   /lib64/ld-linux-x86-64.so.2 (0x...)
#   linux-vdso.so.1 (0x...)            (the kernel's; nothing to copy)
ldd_output=$(ldd "$program") || fail "ldd $program failed"
if grep -q 'not found' <<<"$ldd_output"; then
  fail "libraries missing on this machine: $(grep 'not found' <<<"$ldd_output" | tr -s ' \t' ' ')"
fi
libraries=0
while read -r path; do
  real=$(readlink -f "$path")
  name=$(soname_of "$real")
  [[ -n $name ]] || name=$(basename "$path")
  [[ -e $staging/lib/$name ]] && continue
  strip --strip-unneeded -o "$staging/lib/$name" "$real"
  libraries=$((libraries + 1))
done < <(sed -n 's/^.*=> \(\/[^ ]*\) (0x[0-9a-f]*)$/\1/p' <<<"$ldd_output")
((libraries > 0)) || fail "ldd listed no libraries for $program"
strip --strip-unneeded -o "$staging/lib/$loader_name" "$(readlink -f "$interpreter")"

chmod 755 "$staging/bootstrap" "$staging/bin/videochat-lambda" "$staging/lib/$loader_name"
find "$staging/lib" -type f ! -name "$loader_name" -exec chmod 644 {} +
# Fixed times (zip keeps local DOS times: in UTC here), so the same inputs give the same bytes.
find "$staging" -exec env TZ=UTC touch -h -d '2000-01-01 00:00:00' {} +

mkdir -p "$(dirname "$output")"
partial="$output.partial"
rm -f "$partial"
(
  cd "$staging"
  find bootstrap bin lib -type f | LC_ALL=C sort | TZ=UTC zip -X -D -q "$partial" -@
) || fail "zip failed"
mv -f "$partial" "$output"

zip_bytes=$(stat -c %s "$output")
unpacked_bytes=$(find "$staging" -type f -printf '%s\n' | awk '{ total += $1 } END { print total }')
((zip_bytes <= max_zip_bytes)) || fail "$output is $zip_bytes bytes; Lambda takes at most $max_zip_bytes"
printf 'package-lambda: %s: %d bytes (%d unpacked; %d libraries and the loader)\n' \
  "$output" "$zip_bytes" "$unpacked_bytes" "$libraries"
