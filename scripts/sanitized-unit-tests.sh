#!/usr/bin/env bash
# Builds the doctest unit tests with AddressSanitizer and UndefinedBehaviorSanitizer (the
# `sanitized` preset, into build/sanitized) and runs them: a use after free, an overflow, a leak or
# undefined behaviour anywhere the units reach fails the run. Arguments go to the test binary
# (e.g. -ts="frame pool").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cmake --preset sanitized > /dev/null
cmake --build --preset sanitized
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  build/sanitized/tests/unit_tests "$@"
