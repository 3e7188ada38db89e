#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang-14 with ASan and UBSan) into build/fuzz and runs each
# for SECONDS (default 10: the smoke run CTest does), starting from the seeds in fuzz/corpus/<name>.
# What a run finds is kept in build/fuzz/corpus/<name>; an input that breaks a target is saved as
# build/fuzz/crash-* and the script fails, naming it. Usage: bash scripts/fuzz.sh [SECONDS] [NAME]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECONDS_EACH=${1:-10}
ONLY=${2:-}
OUT=build/fuzz

CXX=clang++-14 cmake -S fuzz -B "$OUT" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$OUT"

failed=()
for source in fuzz/targets/*_fuzz.cpp; do
  name=$(basename "$source" .cpp)
  [[ -z $ONLY || $name == "$ONLY" ]] || continue
  mkdir -p "$OUT/corpus/$name"
  cp -n fuzz/corpus/"$name"/* "$OUT/corpus/$name/" 2>/dev/null || true
  echo "fuzz: $name for ${SECONDS_EACH} s" >&2
  # One process, so a failure stops the run with its input saved; -max_len covers a full frame.
  if ! "$OUT/$name" -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 \
       -artifact_prefix="$OUT/$name-" -print_final_stats=1 "$OUT/corpus/$name" \
       > "$OUT/$name.log" 2>&1; then
    failed+=("$name")
    tail -n 30 "$OUT/$name.log" >&2
  else
    grep -E "stat::number_of_executed_units|cov:" "$OUT/$name.log" | tail -n 2 >&2 || true
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: FAILED: ${failed[*]} (inputs: $OUT/<name>-crash-*)" >&2
  exit 1
fi
echo "fuzz: every target held" >&2
