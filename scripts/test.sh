#!/usr/bin/env bash
# Builds p4lab with AddressSanitizer + UndefinedBehaviorSanitizer and runs every
# test (unit, STF, compiler errors, and - as root - the lab integration tests),
# then checks that the optimised build of the demo compiles too.
# Ends with the line "N passed, N failed, N skipped"; exits non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh || exit 1

build=build-test
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=debug -Dwerror=true \
    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null || exit 1
fi
if ! meson compile -C "$build" >"$build.log" 2>&1; then
  cat "$build.log"
  echo "0 passed, 1 failed"
  exit 1
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
meson test -C "$build" --print-errorlogs --num-processes 2 "$@"
status=$?

# The demo uses an optimised build, where gcc finds warnings (-Werror) that a
# debug build does not: building it counts as one more test.
release_ok=1
if [ ! -f build/build.ninja ]; then
  meson setup build --buildtype=release >/dev/null 2>&1 || release_ok=0
fi
if [ $release_ok = 1 ] && ! meson compile -C build >build.log 2>&1; then
  release_ok=0
fi
if [ $release_ok = 0 ]; then
  echo "release build: FAILED (build.log)"; cat build.log; status=1
else
  echo "release build: OK"
fi

python3 - "$build/meson-logs/testlog.json" "$release_ok" <<'PY'
import json, sys
passed = failed = skipped = 0
if sys.argv[2] == "1":
    passed += 1
else:
    failed += 1
try:
    lines = open(sys.argv[1]).read().splitlines()
except OSError:
    lines = []
for line in lines:
    r = json.loads(line).get("result")
    if r in ("OK", "EXPECTEDFAIL"):
        passed += 1
    elif r == "SKIP":
        skipped += 1
    else:
        failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
