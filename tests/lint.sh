#!/usr/bin/env bash
# clang-tidy (checks in .clang-tidy, all errors) over every translation unit of a build:
#   tests/lint.sh [BUILD_DIR]        default build/dev; needs its compile_commands.json
# Debian 12's clang-tidy 14 cannot parse libstdc++ 12's <expected> (it rejects -std=c++23,
# and its destructor needs P0848, which clang has from 16), so this uses clang-tidy-16, also a
# Debian 12 package, with -std=c++2b and __cpp_concepts raised to what <expected> tests for
# (clang still reports 201907L); -U first, so that the -D is not a macro redefinition.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
[ -f "$build/compile_commands.json" ] || {
  echo "lint: no $build/compile_commands.json (configure that build first)" >&2
  exit 1
}
command -v run-clang-tidy-16 >/dev/null || {
  echo "lint: run-clang-tidy-16 not found (deploy/install-deps.sh installs clang-tidy-16)" >&2
  exit 1
}
log=$(mktemp /tmp/lanwatch-tidy-XXXXXX)
trap 'rm -f "$log"' EXIT
if ! run-clang-tidy-16 -p "$build" -j "$(nproc)" -quiet \
  -extra-arg=-std=c++2b -extra-arg=-U__cpp_concepts -extra-arg=-D__cpp_concepts=202002L \
  "$PWD/(config|probes|daemon|exporters|bench|tests)/" >"$log" 2>&1; then
  # Only the findings, not clang-tidy's progress lines.
  grep -E -A3 '(error|warning):' "$log" | grep -v '^Suppressed\|^Use -header-filter' >&2 || cat "$log" >&2
  echo "lint: clang-tidy found problems (above)" >&2
  exit 1
fi
echo "lint: clang-tidy clean"
