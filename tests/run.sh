#!/usr/bin/env bash
# The whole test suite, on a fresh machine (CI runs it as root through .ci/run): installs
# dependencies, checks formatting, builds with warnings as errors, runs every test (unit and
# integration in parallel, then the bureau lab one test at a time, with the AddressSanitizer +
# UBSan build and clang-tidy beside it), then runs the unit and integration tests again under
# the sanitizers.
# Any failed or skipped test fails the run: a skip would hide an agent or tool that did not
# start. Prints the time each step took.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
jobs=$(nproc)
step() { echo "== $* (at $((SECONDS - started)) s)"; }

deploy/install-deps.sh

step "format check"
git ls-files '*.cc' '*.h' | xargs clang-format --dry-run --Werror

step "dev build"
cmake --preset dev >/dev/null
cmake --build --preset dev

# ctest with the arguments given; fails when a test failed, or was skipped.
run_ctest() {
  local log rc=0
  log=$(mktemp /tmp/lanwatch-ctest-XXXXXX)
  ctest "$@" 2>&1 | tee "$log" || rc=$?
  if grep -q '\*\*\*Failed' "$log" && [ "$rc" -eq 0 ]; then
    echo "tests/run.sh: passed on a second try (load-sensitive, see above):" >&2
    grep -E '\*\*\*Failed' "$log" >&2 || true
  fi
  if grep -q '(Skipped)' "$log"; then
    echo "tests/run.sh: tests were skipped; here every test must run (skips are failures):" >&2
    grep '(Skipped)' "$log" >&2
    rc=1
  fi
  rm -f "$log"
  return "$rc"
}

# A failed test is run once more (--repeat until-pass:2), and the run names it: the tests that
# measure rates against snmpsimd over seconds drift by a few % when both cores are busy
# (snmpsimd answers a 48-port walk in 200+ ms then). A test that fails twice fails the run.
step "unit and integration tests, $jobs at a time"
run_ctest --preset dev -LE lab -j "$jobs" --timeout 300 --repeat until-pass:2

# The lab tests mostly wait for polls and faults: the ASan build, then clang-tidy, run beside
# them at the lowest priority, so that they take only the CPU the lab leaves (its traffic,
# agents and lanwatchd come first). A lab test that fails is run once more, as above, and named.
step "lab tests (root, namespaces, one at a time); the asan/ubsan build and clang-tidy beside them"
cmake --preset asan >/dev/null
asan_log=$(mktemp /tmp/lanwatch-asan-build-XXXXXX)
tidy_log=$(mktemp /tmp/lanwatch-tidy-run-XXXXXX)
nice -n 19 cmake --build --preset asan --target unit_tests integration_tests capture_tests \
  >"$asan_log" 2>&1 &
asan_build=$!
(
  wait_started=$SECONDS
  while kill -0 "$asan_build" 2>/dev/null; do sleep 2; done
  echo "clang-tidy began $((SECONDS - wait_started)) s after the lab tests"
  nice -n 19 tests/lint.sh build/dev
) >"$tidy_log" 2>&1 &
tidy=$!
lab_rc=0
run_ctest --preset dev -L lab --timeout 300 --repeat until-pass:2 || lab_rc=$?

step "asan/ubsan build (finishing)"
asan_rc=0
wait "$asan_build" || asan_rc=$?
if [ "$asan_rc" -ne 0 ]; then
  tail -60 "$asan_log" >&2
  echo "tests/run.sh: the asan/ubsan build failed" >&2
fi
rm -f "$asan_log"
step "clang-tidy (finishing)"
tidy_rc=0
wait "$tidy" || tidy_rc=$?
cat "$tidy_log"
rm -f "$tidy_log"
[ "$lab_rc" -eq 0 ] || exit "$lab_rc"
[ "$asan_rc" -eq 0 ] || exit "$asan_rc"
[ "$tidy_rc" -eq 0 ] || exit "$tidy_rc"

step "unit and integration tests under asan/ubsan, $jobs at a time"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  run_ctest --preset asan -j "$jobs" --timeout 300 --repeat until-pass:2

step "all passed"
