# kill -9 of a running lab leaves its namespaces (and switches); `clean LAB`
# removes all of it, and only it.
uses itkill${R} itkeep${R}
cat > lab.yaml <<Y
hosts:
  h1: {ip: 10.0.0.1/24}
  h2: {ip: 10.0.0.2/24}
links:
  - endpoints: ["h1", "h2"]
Y
sw=$(switch_exe)
if [ -n "$sw" ] && [ -f "$FIXTURES/fwd.json" ]; then
  # With a switch: its process must be stopped too.
  cat > lab.yaml <<Y
hosts:
  h1: {ip: 10.0.0.1/24}
  h2: {ip: 10.0.0.2/24}
switches:
  s1: {program: $FIXTURES/fwd.json, entries: $FIXTURES/fwd-entries.json, log: none}
links:
  - endpoints: ["h1", "s1:1"]
  - endpoints: ["h2", "s1:2"]
Y
fi
mkfifo in1 in2
"$LAB_EXE" run lab.yaml --name itkill${R} <in1 >kill.out 2>&1 &
PIDS+=($!)
exec 3>in1
"$LAB_EXE" run lab.yaml --name itkeep${R} <in2 >keep.out 2>&1 &
PIDS+=($!)
exec 4>in2
wait_for kill.out "lab itkill${R} started" 60 || fail "lab itkill${R} did not start: $(cat kill.out)"
wait_for keep.out "lab itkeep${R} started" 60 || fail "lab itkeep${R} did not start: $(cat keep.out)"
echo "h1 sleep 655${R} &" >&3
for ((i = 0; i < 100; i++)); do pgrep -fx "sleep 655${R}" >/dev/null && break; sleep 0.05; done
kill -9 "${PIDS[0]}"
wait "${PIDS[0]}" 2>/dev/null
[ -n "$(leftovers itkill${R})" ] || fail "kill -9 left nothing: the test proves nothing"
if [ -n "$sw" ]; then
  [ -n "$(pgrep -f -- "--netns p4lab-itkill${R}( |\$)")" ] || fail "no switch left running to clean"
fi
echo "left after kill -9:"; leftovers itkill${R}
"$LAB_EXE" clean itkill${R} || fail "clean failed"
expect_clean itkill${R}
pgrep -fx "sleep 655${R}" && fail "clean left a process running in a host"
[ -e /run/netns/p4lab-itkeep${R}.h1 ] || fail "clean itkill${R} removed lab itkeep${R}'s host"
echo pingall >&4
echo exit >&4
exec 4>&- 3>&-
wait "${PIDS[1]}" || fail "lab itkeep${R} exited $?: $(cat keep.out)"
grep -q '0% dropped (2/2' keep.out || fail "lab itkeep${R} pingall after the clean: $(cat keep.out)"
expect_clean itkeep${R}
out=$("$LAB_EXE" clean itkill${R})
grep -q 'nothing to clean' <<<"$out" || fail "second clean found something: $out"
echo PASS
