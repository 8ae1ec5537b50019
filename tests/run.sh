#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs dependencies, builds with warnings as
# errors, runs every test (unit and integration, with real agents on loopback), then builds
# and runs the unit tests under AddressSanitizer + UBSan, and checks formatting.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh

echo "== format check"
git ls-files '*.cc' '*.h' | xargs clang-format --dry-run --Werror

echo "== dev build and all tests"
cmake --preset dev >/dev/null
cmake --build --preset dev
ctest --preset dev --timeout 300

echo "== asan/ubsan build and unit tests"
cmake --preset asan >/dev/null
cmake --build --preset asan
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --preset asan --timeout 300
