# One p4lab-switch between two hosts, running a hand-written BMv2 JSON program
# (port 1 <-> port 2, by a table filled from an entries file): pingall, the
# switch's log, a lab with a broken program failing cleanly with the
# switch's own message; no switch process or namespace left.
need_switch
uses itwire${R}
cat > lab.yaml <<Y
name: itwire${R}
hosts:
  h1: {ip: 10.0.0.1/24}
  h2: {ip: 10.0.0.2/24}
switches:
  s1: {program: $FIXTURES/fwd.json, entries: $FIXTURES/fwd-entries.json}
links:
  - endpoints: ["h1", "s1:1"]
  - endpoints: ["h2", "s1:2"]
Y
out=$("$LAB_EXE" run lab.yaml -c pingall -c 'h2 ping -c2 -i0.2 -W2 h1' -c 's1 log 12' -c nodes 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "run exited $status"
grep -q 'Results: 0% dropped (2/2 received)' <<<"$out" || fail "pingall through s1 lost packets"
grep -q 'out port [12]' <<<"$out" || fail "s1 log shows no packet sent out"
expect_clean itwire${R}

# A switch that dies while the lab runs is reported at the next command.
mkfifo in
"$LAB_EXE" run lab.yaml < in > bg.out 2>&1 &
PIDS+=($!)
exec 3>in
wait_for bg.out "lab itwire${R} started" 60 || fail "lab did not start: $(cat bg.out)"
swpid=$(awk '$1 == "switch" && $2 == "s1" { print $3 }' /run/p4lab/itwire${R}/state)
[ -n "$swpid" ] || fail "no switch pid in the state file"
kill -9 "$swpid"
echo pingall >&3
echo exit >&3
exec 3>&-
wait "${PIDS[-1]}"
cat bg.out
grep -q "warning: switch 's1' stopped (killed by signal 9)" bg.out || fail "no warning for the dead switch"
grep -q 'Results: 100% dropped (0/2 received)' bg.out || fail "pingall through a dead switch succeeded?"
expect_clean itwire${R}

# Entries naming a table the program does not have: the switch refuses to
# start, and run reports its message and leaves nothing.
sed 's/Wire.ports/Wire.nope/' "$FIXTURES/fwd-entries.json" > bad-entries.json
sed -i "s|entries: .*}|entries: $PWD/bad-entries.json}|" lab.yaml
out=$("$LAB_EXE" run lab.yaml -c pingall 2>&1)
status=$?
echo "$out"
[ $status -eq 1 ] || fail "a switch that cannot start must make run exit 1 (got $status)"
grep -q "lab.yaml:6: switch 's1' failed to start: exited before it was ready (exit status 1): .*Wire.nope" <<<"$out" ||
  fail "no clear message for the switch that failed"
expect_clean itwire${R}
echo PASS
