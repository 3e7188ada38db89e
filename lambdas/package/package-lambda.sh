#!/usr/bin/env bash
# Packs the Lambda function for the provided.al2023 runtime into a zip that needs nothing from the
# host: one file, `bootstrap`, the statically linked program, stripped. (Why static, and how name
# resolution still works: docs/aws.md, "Lambda packaging".)
#
#   package-lambda.sh PROGRAM OUTPUT.zip [STRIP]
#
# STRIP is the strip command for the program's architecture (aarch64-linux-gnu-strip for arm64;
# default strip). The zip is reproducible: fixed time, no owner fields; -9, since it is built once
# and downloaded at every cold start of a new execution environment.
set -euo pipefail

if (($# < 2 || $# > 3)); then
  echo "usage: $0 PROGRAM OUTPUT.zip [STRIP]" >&2
  exit 2
fi
program=$1
output=$(realpath -m "$2")
strip_tool=${3:-strip}
# AWS's limit for a zip uploaded directly (250 MB unpacked, 50 MB zipped).
readonly max_zip_bytes=$((50 * 1024 * 1024))

fail() {
  printf 'package-lambda: %s\n' "$*" >&2
  exit 1
}

for tool in readelf "$strip_tool" zip; do
  command -v "$tool" >/dev/null || fail "$tool is missing (Debian packages: binutils zip)"
done
[[ -x $program ]] || fail "$program is not an executable file"

# Static: no program interpreter, no shared library. A dynamic program would need the host's
# loader and libraries, which Lambda's image does not promise.
if readelf -l "$program" | grep -q 'Requesting program interpreter' ||
  readelf -d "$program" 2>/dev/null | grep -q '(NEEDED)'; then
  fail "$program is dynamically linked; the function must be static (link it with -static)"
fi
machine=$(readelf -h "$program" | sed -n 's/^ *Machine: *//p')
case $machine in
  *X86-64*) architecture=x86_64 ;;
  *AArch64*) architecture=arm64 ;;
  *) fail "$program is built for '$machine'; Lambda runs x86_64 and arm64" ;;
esac

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
"$strip_tool" --strip-all -o "$staging/bootstrap" "$program"
chmod 755 "$staging/bootstrap"
# A fixed time (zip keeps local DOS times: in UTC here), so the same program gives the same bytes.
TZ=UTC touch -d '2000-01-01 00:00:00' "$staging/bootstrap"

mkdir -p "$(dirname "$output")"
partial="$output.partial"
rm -f "$partial"
(cd "$staging" && TZ=UTC zip -X -9 -q "$partial" bootstrap) || fail "zip failed"
mv -f "$partial" "$output"

zip_bytes=$(stat -c %s "$output")
((zip_bytes <= max_zip_bytes)) ||
  fail "$output is $zip_bytes bytes; Lambda takes at most $max_zip_bytes"
printf 'package-lambda: %s: %s, %d bytes (%d unpacked)\n' \
  "$output" "$architecture" "$zip_bytes" "$(stat -c %s "$staging/bootstrap")"
