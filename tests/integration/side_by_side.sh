# Two labs with the same host names and addresses at the same time, from the
# same file under two names; both work, and stopping one leaves the other.
uses itsbsa${R} itsbsb${R}
cat > lab.yaml <<Y
hosts:
  h1: {ip: 10.0.0.1/24}
  h2: {ip: 10.0.0.2/24}
links:
  - endpoints: ["h1", "h2"]
Y
mkfifo in
"$LAB_EXE" run lab.yaml --name itsbsa${R} <in >a.out 2>&1 &
PIDS+=($!)
exec 3>in
wait_for a.out "lab itsbsa${R} started" 30 || fail "lab itsbsa${R} did not start: $(cat a.out)"
out=$("$LAB_EXE" run lab.yaml --name itsbsb${R} -c pingall 2>&1)
[ $? -eq 0 ] || fail "second lab: $out"
grep -q '0% dropped (2/2' <<<"$out" || fail "second lab pingall: $out"
expect_clean itsbsb${R}
[ -e /run/netns/p4lab-itsbsa${R}.h1 ] || fail "stopping the second lab removed the first's host"
# The hosts are ordinary named namespaces: iproute2 sees and enters them.
ip netns list | grep -q "^p4lab-itsbsa${R}.h2" || fail "ip netns list does not show the lab's hosts"
ip netns exec p4lab-itsbsa${R}.h1 ping -c1 -W2 10.0.0.2 >/dev/null || fail "ip netns exec ... ping failed"
echo pingall >&3
echo exit >&3
exec 3>&-
wait "${PIDS[0]}" || fail "first lab exited $?: $(cat a.out)"
cat a.out
grep -q '0% dropped (2/2' a.out || fail "first lab pingall"
expect_clean itsbsa${R}
echo PASS
