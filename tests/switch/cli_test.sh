#!/usr/bin/env bash
# cli_test.sh - p4lab-switch's command line: start-up errors (one line on
# stderr, exit 1), --check, and the ready-fd / SIGTERM / SIGINT life cycle of a
# switch without ports (no root needed).
# usage: cli_test.sh P4LAB_SWITCH PROGS_DIR
set -u
sw=$1 progs=$2
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# expect_err WANT ARGS...: exit status 1 and exactly one line containing WANT
expect_err() {
  local want=$1; shift
  "$sw" "$@" >"$work/out" 2>"$work/err"; local st=$?
  [ $st -eq 1 ] || fail "'$*' exited $st"
  [ "$(wc -l <"$work/err")" -eq 1 ] || fail "'$*' printed: $(cat "$work/err")"
  grep -qF -- "$want" "$work/err" || fail "'$*': got '$(cat "$work/err")', want '$want'"
}

expect_err "p4lab-switch: nope.json: No such file or directory" nope.json
expect_err "p4lab-switch: -i '1s1': expected PORT@IFACE" -i 1s1 "$progs/basic.json"
expect_err "PORT must be a number from 0 to 510" -i 600@x "$progs/basic.json"
expect_err "p4lab-switch: port 1: no interface named 'p4lab-nosuchif'" -i 1@p4lab-nosuchif "$progs/basic.json"
expect_err "p4lab-switch: --netns p4lab-nosuchns:" --netns p4lab-nosuchns "$progs/basic.json"
printf '{"table_entries": [{"table": "x", "action_name": "y"}]}' >"$work/e.json"
expect_err "p4lab-switch: $work/e.json: entry 0: no table named 'x'" --entries "$work/e.json" "$progs/basic.json"
# a program with user extern instances: refused, naming the extern and its type
expect_err 'extern_instances[0]: extern "ingress.mystery" of type "my_extern_t": the switch runs no extern instances' \
  "$progs/../../stf/json/v1gaps-extern.json"
printf '{"header_types": 3}' >"$work/bad.json"
expect_err "p4lab-switch: $work/bad.json: (top): \"header_types\" must be an array" "$work/bad.json"

"$sw" --check --entries "$progs/basic-entries.json" "$progs/basic.json" >"$work/out" || fail "--check"
grep -q "table MyIngress.ipv4_lpm (lpm, 1 keys, 3 actions, 2 entries, max 1024)" "$work/out" || fail "--check summary: $(cat "$work/out")"

for sig in TERM INT; do
  mkfifo "$work/ready-$sig"
  "$sw" --device-id 3 --ready-fd 3 "$progs/basic.json" 3>"$work/ready-$sig" &
  pid=$!
  read -t 20 line <"$work/ready-$sig" || fail "no ready line"
  [ "$line" = ready ] || fail "ready fd said '$line'"
  kill -s "$sig" "$pid"
  wait "$pid"; st=$?
  pid=""
  [ $st -eq 0 ] || fail "exit $st on SIG$sig"
done
echo "cli test passed"
