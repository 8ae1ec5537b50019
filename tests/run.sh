#!/usr/bin/env bash
# The whole test suite, on a fresh machine (CI runs it as root through .ci/run): installs
# dependencies, checks formatting, builds every target once, with warnings as errors and
# under AddressSanitizer + UBSan, then runs every test on that build: unit and integration
# tests, then the bureau lab's, each a few at a time, with clang-tidy beside them all.
# One build rather than a plain one and a sanitized one: every test runs sanitized (the lab's
# lanwatchd too), and the run fits in its half hour on two cores.
# Any failed or skipped test fails the run: a skip would hide an agent or tool that did not
# start. Prints the time each step took.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
jobs=$(nproc)
lab_jobs=3
step() { echo "== $* (at $((SECONDS - started)) s)"; }

deploy/install-deps.sh

step "format check"
git ls-files '*.cc' '*.h' | xargs clang-format --dry-run --Werror

step "build: asan/ubsan, warnings are errors, every target"
cmake --preset asan >/dev/null
cmake --build --preset asan

# ctest with the arguments given; fails when a test failed, or was skipped.
run_ctest() {
  local log rc=0
  log=$(mktemp /tmp/lanwatch-ctest-XXXXXX)
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest "$@" 2>&1 | tee "$log" ||
    rc=$?
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

# clang-tidy over every translation unit, at the lowest priority: it takes only the CPU the
# tests leave (they mostly wait for agents, polls and faults), and the tests theirs.
# A session of its own, so that a failed run stops all of it (run-clang-tidy's workers too).
tidy_log=$(mktemp /tmp/lanwatch-tidy-run-XXXXXX)
setsid bash -c 'nice -n 19 tests/lint.sh build/asan && echo "clang-tidy took $SECONDS s"' \
  >"$tidy_log" 2>&1 &
tidy=$!

# A failed test is run once more (--repeat until-pass:2), and the run names it: the tests that
# measure rates against snmpsimd over seconds drift by a few % when both cores are busy
# (snmpsimd answers a 48-port walk in 200+ ms then). A test that fails twice fails the run.
step "unit and integration tests, $jobs at a time; clang-tidy beside them"
tests_rc=0
run_ctest --preset asan -LE lab -j "$jobs" --timeout 300 --repeat until-pass:2 || tests_rc=$?

# Each lab test brings up a lab of its own (tests/lab/lab_names.sh), so they run side by
# side; ICMP's timing tests (RUN_SERIAL) one at a time after them.
if [ "$tests_rc" -eq 0 ]; then
  step "lab tests (root, namespaces), $lab_jobs at a time"
  run_ctest --preset asan -L lab -j "$lab_jobs" --timeout 300 --repeat until-pass:2 ||
    tests_rc=$?
fi

step "clang-tidy (finishing)"
tidy_rc=0
[ "$tests_rc" -eq 0 ] || kill -- "-$tidy" 2>/dev/null || true
wait "$tidy" || tidy_rc=$?
cat "$tidy_log"
rm -f "$tidy_log"
[ "$tests_rc" -eq 0 ] || exit "$tests_rc"
[ "$tidy_rc" -eq 0 ] || exit "$tidy_rc"

step "all passed"
