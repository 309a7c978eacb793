# A p4lang/tutorials-style exercise: topology.json with its s1-runtime.json
# (paths from the exercise folder), the program given with --program, hosts
# in two subnets reaching each other through their gateways (the ARP entry
# and default route taken from the hosts' "commands").
need_switch
uses ittut${R}
mkdir -p exercise && cp -r "$FIXTURES/tutorials" exercise/
cd exercise
out=$("$LAB_EXE" run tutorials/topology.json --name ittut${R} \
      --program "$SOURCE_ROOT/examples/quickstart/quickstart.p4" \
      -c pingall -c 'h1 ip route' -c 'h1 ping -c2 -i0.2 -W2 h2' 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "run exited $status"
grep -q 'Results: 0% dropped (2/2 received)' <<<"$out" || fail "pingall through the router lost packets"
grep -q 'default via 10.0.1.10 dev eth0' <<<"$out" || fail "h1 has no default route via its gateway"
grep -q 'ttl=63' <<<"$out" || fail "the switch did not route (TTL not decremented)"
expect_clean ittut${R}
echo PASS
