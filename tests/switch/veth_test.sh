#!/usr/bin/env bash
# veth_test.sh - p4lab-switch on real interfaces: two hosts (namespaces) joined
# through a switch namespace by veth pairs; the switch runs basic.json over
# AF_PACKET ports.  Checks ping both ways, a TCP transfer (GSO super-packets
# through PACKET_VNET_HDR), the trace, and a clean exit 0 on SIGTERM.
# Needs root: exits 77 (skip) otherwise.  Cleans up even when it fails.
# usage: veth_test.sh P4LAB_SWITCH PROGS_DIR
set -u
[ "$(id -u)" -eq 0 ] || { echo "not root: skipped"; exit 77; }
command -v ip >/dev/null || { echo "no ip command: skipped"; exit 77; }
sw_bin=$1 progs=$2
tag="p4lsw$$"
A="$tag-a" B="$tag-b" S="$tag-s"
work=$(mktemp -d)
sw_pid=""

cleanup() {
  [ -n "$sw_pid" ] && kill "$sw_pid" 2>/dev/null && wait "$sw_pid" 2>/dev/null
  for ns in "$A" "$B" "$S"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$work/log" ] && tail -40 "$work/log"; exit 1; }

for ns in "$A" "$B" "$S"; do ip netns add "$ns" || fail "netns add $ns"; done
ip link add a0 netns "$A" type veth peer name s1 netns "$S" || fail "veth a"
ip link add b0 netns "$B" type veth peer name s2 netns "$S" || fail "veth b"
ip -n "$A" link set a0 address 08:00:00:00:01:11
ip -n "$B" link set b0 address 08:00:00:00:02:22
ip -n "$A" addr add 10.0.1.1/24 dev a0
ip -n "$B" addr add 10.0.2.2/24 dev b0
for ns in "$A" "$B" "$S"; do ip -n "$ns" link set lo up; done
ip -n "$A" link set a0 up; ip -n "$B" link set b0 up
ip -n "$S" link set s1 up; ip -n "$S" link set s2 up
ip -n "$A" route add 10.0.2.0/24 dev a0
ip -n "$B" route add 10.0.1.0/24 dev b0
# The switch rewrites destination MACs; the hosts only need some next hop MAC.
ip -n "$A" neigh add 10.0.2.2 lladdr 02:00:00:00:00:01 dev a0
ip -n "$B" neigh add 10.0.1.1 lladdr 02:00:00:00:00:02 dev b0

mkfifo "$work/ready"
"$sw_bin" --netns "$S" -i 1@s1 -i 2@s2 --entries "$progs/basic-entries.json" \
  --log-file "$work/log" --ready-fd 3 "$progs/basic.json" 3>"$work/ready" 2>"$work/err" &
sw_pid=$!
read -t 20 line <"$work/ready" || fail "no ready line: $(cat "$work/err")"
[ "$line" = ready ] || fail "ready fd said '$line'"

ip netns exec "$A" ping -c 3 -i 0.2 -W 2 10.0.2.2 >"$work/ping" || fail "ping a->b: $(cat "$work/ping")"
ip netns exec "$B" ping -c 2 -i 0.2 -W 2 10.0.1.1 >/dev/null || fail "ping b->a"
grep -q "table MyIngress.ipv4_lpm key {hdr.ipv4.dstAddr=0xa000202} -> hit" "$work/log" || fail "trace"

if command -v iperf3 >/dev/null; then
  ip netns exec "$B" iperf3 -s -1 -D -B 10.0.2.2 --logfile "$work/iperf-s" || fail "iperf3 -s"
  sleep 0.3
  # the trace would dominate a bulk transfer: this checks correctness, not speed
  ip netns exec "$A" iperf3 -c 10.0.2.2 -n 8M -J >"$work/iperf" 2>&1 || fail "iperf3: $(tail -5 "$work/iperf")"
  grep -q '"bytes":[[:space:]]*8388608' "$work/iperf" || grep -q 8388608 "$work/iperf" || fail "iperf3 moved no data"
fi

kill -TERM "$sw_pid"
wait "$sw_pid"; status=$?
sw_pid=""
[ $status -eq 0 ] || fail "exit status $status on SIGTERM"
echo "veth test passed"
