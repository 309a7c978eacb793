# Start-up failures leave nothing behind: a switch that never says ready (the
# --timeout), a switch that exits with a message (reported with the lab file's
# line), Ctrl-C while switches load (exit 130), and a second run of a lab that
# is running (refused, the first unharmed).  The "switches" here are two-line
# scripts standing in for broken ones.
uses itfail${R}
printf "#!/bin/sh\\nexec sleep 987${R}\\n" > hang-switch
printf '#!/bin/sh\necho "p4lab-switch: cannot open port s1-eth1: No such device" >&2\nexit 1\n' > fail-switch
chmod +x hang-switch fail-switch
cat > lab.yaml <<Y
name: itfail${R}
hosts:
  h1: {ip: 10.0.0.1/24}
  h2: {ip: 10.0.0.2/24}
switches:
  s1: {program: prog.json}
links:
  - endpoints: ["h1", "s1:1"]
  - endpoints: ["h2", "s1:2"]
Y
echo '{}' > prog.json

out=$("$LAB_EXE" run lab.yaml --switch "$PWD/hang-switch" --timeout 0.5 -c pingall 2>&1)
[ $? -eq 1 ] || fail "a switch never ready: run must exit 1"
grep -q "lab.yaml:6: switch 's1' failed to start: not ready in time" <<<"$out" || fail "timeout message: $out"
pgrep -fx "sleep 987${R}" && fail "the hanging switch was left running"
expect_clean itfail${R}

out=$("$LAB_EXE" run lab.yaml --switch "$PWD/fail-switch" -c pingall 2>&1)
[ $? -eq 1 ] || fail "a failing switch: run must exit 1"
grep -q "lab.yaml:6: switch 's1' failed to start: exited before it was ready (exit status 1): p4lab-switch: cannot open port s1-eth1: No such device" <<<"$out" ||
  fail "failing switch message: $out"
expect_clean itfail${R}

"$LAB_EXE" run lab.yaml --switch "$PWD/hang-switch" -c pingall > int.out 2>&1 &
pid=$!
PIDS+=($pid)
wait_for int.out "starting lab itfail${R}" 30 || fail "no start: $(cat int.out)"
for ((i = 0; i < 200; i++)); do pgrep -fx "sleep 987${R}" >/dev/null && break; sleep 0.05; done
kill -INT $pid
wait $pid
status=$?
cat int.out
[ $status -eq 130 ] || fail "Ctrl-C during start-up: exit $status, not 130"
grep -q 'start-up interrupted' int.out || fail "no 'start-up interrupted'"
pgrep -fx "sleep 987${R}" && fail "the loading switch was left running"
expect_clean itfail${R}

# A lab that is running cannot be started twice; the refusal harms nothing.
cat > duo.yaml <<Y
name: itfail${R}
hosts:
  h1: {ip: 10.0.0.1/24}
  h2: {ip: 10.0.0.2/24}
links:
  - endpoints: ["h1", "h2"]
Y
mkfifo in
"$LAB_EXE" run duo.yaml < in > first.out 2>&1 &
PIDS+=($!)
exec 3>in
wait_for first.out "lab itfail${R} started" 30 || fail "first lab: $(cat first.out)"
out=$("$LAB_EXE" run duo.yaml -c pingall 2>&1)
[ $? -eq 1 ] || fail "second run of a running lab must fail"
grep -q "lab 'itfail${R}' is already running, or was killed ('p4lab clean itfail${R}' removes what it left)" <<<"$out" ||
  fail "second run message: $out"
echo pingall >&3
echo exit >&3
exec 3>&-
wait "${PIDS[-1]}" || fail "first lab exited $?: $(cat first.out)"
grep -q '0% dropped (2/2' first.out || fail "first lab harmed: $(cat first.out)"
expect_clean itfail${R}
echo PASS
