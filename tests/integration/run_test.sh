#!/usr/bin/env bash
# run_test.sh TEST.sh - runs one integration test with the helpers below.
# Skips (77) when not root.  A test names its labs with `uses LAB`; whatever
# happens, they are cleaned on exit and the test fails if anything of them
# (namespace, state folder, switch process) is left.
set -uo pipefail
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root"; exit 77; }

TEST=$(readlink -f "$1")
LAB_EXE=${LAB_EXE:?}
FIXTURES=${FIXTURES:?}
WORK=$(mktemp -d /tmp/p4lab-it.XXXXXX)
LABS=()
# Lab names carry this run's pid: other build trees on the machine run these
# same tests at the same time.
R=$$
PIDS=()

uses() { LABS+=("$@"); }
fail() { echo "FAIL: $*" >&2; exit 1; }

# What is left of lab $1, one line per thing; empty when nothing.
leftovers() {
  local lab=$1
  ls /run/netns 2>/dev/null | grep -E "^p4lab-$lab(\.|$)" | sed 's/^/namespace /'
  [ -e "/run/p4lab/$lab" ] && echo "state folder /run/p4lab/$lab"
  pgrep -af -- "--netns p4lab-$lab( |$)" | sed 's/^/process /'
  true
}

expect_clean() {
  local lab out
  for lab in "$@"; do
    out=$(leftovers "$lab")
    [ -z "$out" ] || fail "lab $lab left: $out"
  done
}

# Waits up to $3 s (default 60) for a line matching $2 in file $1.
wait_for() {
  local i
  for ((i = 0; i < ${3:-60} * 20; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

# The p4lab-switch the emulator would run, or nothing.
switch_exe() {
  [ -n "${P4LAB_SWITCH:-}" ] && [ -x "$P4LAB_SWITCH" ] && { echo "$P4LAB_SWITCH"; return; }
  local b="$(dirname "$LAB_EXE")/../../src/switch/p4lab-switch"
  [ -x "$b" ] && readlink -f "$b"
}

# For tests that cannot run without a switch: sets $sw and P4LAB_SWITCH, or skips.
need_switch() {
  sw=$(switch_exe)
  [ -n "$sw" ] || { echo "SKIP: p4lab-switch is not built yet"; exit 77; }
  export P4LAB_SWITCH=$sw
}

cleanup() {
  local status=$? lab pid
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  for lab in "${LABS[@]}"; do
    if [ -n "$(leftovers "$lab")" ]; then
      echo "cleanup: lab $lab was left behind; cleaning" >&2
      "$LAB_EXE" clean "$lab" >&2
      [ $status -eq 0 ] && status=1
    fi
  done
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT
trap 'exit 1' INT TERM

cd "$WORK"
source "$TEST"
