#!/usr/bin/env bash
# Regenerates lambdas/package/startup-order.txt, the order in which the Lambda function's link
# lays out its code and data (lld's --symbol-ordering-file): the order the function first uses
# them from exec through init and its first invocations, traced under Valgrind in an empty root
# like Lambda's (startup_trace.py says how and why; docs/aws.md, "The cold start", what it gains).
#
# Usage (root, x86_64, valgrind installed): bash lambdas/package/startup-order.sh [BINARY]
# BINARY defaults to build/native/lambdas/videochat-lambda. Takes about two minutes and 1 GB of
# /tmp for the trace. Run it after changes to what init or the routes call; the
# lambda_startup_order test says when the list has gone stale.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

binary=$(realpath "${1:-build/native/lambdas/videochat-lambda}")
out=$PWD/lambdas/package/startup-order.txt
[[ $(id -u) -eq 0 ]] || { echo "startup-order: needs root (chroot, mount, mknod)" >&2; exit 1; }
valgrind_bin=$(command -v valgrind.bin || true)
[[ -n $valgrind_bin ]] || { echo "startup-order: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
[[ -x $binary ]] || { echo "startup-order: $binary is not built" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT  # the proc mount ends with its namespace
root=$work/root
mkdir -p "$root"/{var/task,dev,tmp,proc,usr/bin,usr/libexec/valgrind,etc/pki/tls/certs}
cp "$binary" "$root/var/task/bootstrap"
# Valgrind and the C library its launcher links (the function itself needs nothing from the root).
cp "$valgrind_bin" "$root/usr/bin/valgrind"
cp /usr/libexec/valgrind/{lackey-amd64-linux,default.supp} "$root/usr/libexec/valgrind/"
for library in $(ldd "$valgrind_bin" | grep -o '/[^ ]*'); do
  mkdir -p "$root$(dirname "$library")"
  cp -L "$library" "$root$library"
done
for node in null:1:3 zero:1:5 random:1:8 urandom:1:9; do
  IFS=: read -r name major minor <<<"$node"
  mknod -m 666 "$root/dev/$name" c "$major" "$minor"
done
# A DynamoDB stand-in over TLS, trusted through Amazon Linux's bundle path, named in /etc/hosts.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -subj /CN=dynamodb.test -addext subjectAltName=DNS:dynamodb.test \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
cp "$work/cert.pem" "$root/etc/pki/tls/certs/ca-bundle.crt"
echo '127.0.0.1 localhost dynamodb.test' >"$root/etc/hosts"

# Loopback only: nothing the function does can leave the machine.
unshare -mn bash -c 'ip link set lo up && mount -t proc proc "$1/proc" && exec python3 "$2" "$1" "${@:3}"' \
  _ "$root" lambdas/package/startup_trace.py "$binary" "$work/cert.pem" "$work/key.pem" "$out"
