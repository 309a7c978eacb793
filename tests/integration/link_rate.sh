# A link with a rate: both ends get a token bucket (tbf) of that rate, and
# TCP through it does not go faster (an upper bound only: a slow machine can
# not make this fail).  With a switch, its port is shaped too.
command -v iperf3 >/dev/null || { echo "SKIP: no iperf3"; exit 77; }
uses itrate${R}
sw=$(switch_exe)
cat > lab.yaml <<Y
name: itrate${R}
hosts:
  h1: {ip: 10.0.0.1/24}
  h2: {ip: 10.0.0.2/24}
Y
if [ -n "$sw" ]; then
  export P4LAB_SWITCH=$sw
  cat >> lab.yaml <<Y
switches:
  s1: {program: $FIXTURES/fwd.json, entries: $FIXTURES/fwd-entries.json, log: none}
links:
  - endpoints: [h1, "s1:1"]
    rate: 20mbit
  - endpoints: [h2, "s1:2"]
Y
else
  cat >> lab.yaml <<Y
links:
  - endpoints: [h1, h2]
    rate: 20mbit
Y
fi
mkfifo in
"$LAB_EXE" run lab.yaml < in > lab.out 2>&1 &
PIDS+=($!)
exec 3>in
wait_for lab.out "lab itrate${R} started" 60 || fail "lab did not start: $(cat lab.out)"
h1=p4lab-itrate${R}.h1 h2=p4lab-itrate${R}.h2
tc -n "$h1" qdisc show dev eth0 | tee tc.out
grep -q 'qdisc tbf .* rate 20Mbit' tc.out || fail "h1's eth0 is not shaped at 20Mbit"
if [ -n "$sw" ]; then
  tc -n "p4lab-itrate${R}" qdisc show dev s1-eth1 | tee tc.out
  grep -q 'qdisc tbf .* rate 20Mbit' tc.out || fail "s1's port 1 is not shaped"
  tc -n "$h2" qdisc show dev eth0 | grep -q tbf && fail "h2's unshaped link has a tbf"
else
  tc -n "$h2" qdisc show dev eth0 | grep -q 'qdisc tbf .* rate 20Mbit' || fail "h2's end is not shaped"
fi
ip netns exec "$h2" iperf3 -s -1 >/dev/null 2>&1 &
PIDS+=($!)
for ((i = 0; i < 100; i++)); do ip netns exec "$h2" ss -ltn | grep -q ':5201 ' && break; sleep 0.05; done
ip netns exec "$h1" iperf3 -c 10.0.0.2 -t 2 -J > iperf.json || fail "iperf3 failed"
mbps=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e6))' iperf.json)
echo "TCP through a 20mbit link: $mbps Mbit/s"
[ "$mbps" -gt 0 ] && [ "$mbps" -le 24 ] || fail "TCP at $mbps Mbit/s through a 20mbit link"
echo exit >&3
exec 3>&-
wait "${PIDS[0]}" || fail "lab exited $?: $(cat lab.out)"
expect_clean itrate${R}
echo PASS
