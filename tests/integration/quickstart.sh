# The quick start as a user runs it: compile quickstart.p4, start s1 with its
# entries, pingall with no loss, a few pings, the switch's log; then nothing
# of the lab left (namespace, state folder or switch process).
need_switch
uses itquick${R}
# The real `p4lab` once every module links into it, else the emulator's driver.
exe=${P4LAB_EXE:-$LAB_EXE}
[ -x "$exe" ] || exe=$LAB_EXE
echo "running $exe"
out=$("$exe" run "$SOURCE_ROOT/examples/quickstart/lab.yaml" --name itquick${R} \
      -c pingall -c 'h1 ping -c3 -i0.2 -W2 h2' -c 's1 log 5' 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "run exited $status"
grep -q 'Results: 0% dropped (2/2 received)' <<<"$out" || fail "pingall lost packets"
grep -q '3 packets transmitted, 3 received' <<<"$out" || fail "h1 ping h2 lost packets"
expect_clean itquick${R}
# Nothing was ever made in this namespace; make sure it stays so.
links=$(ip -br link | grep -E '^(s1-eth|eth0@|p4lab)' || true)
[ -z "$links" ] || fail "interfaces left in the root namespace: $links"
echo PASS
