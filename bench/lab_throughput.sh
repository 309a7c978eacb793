#!/usr/bin/env bash
# lab_throughput.sh [BUILD_DIR] - how fast a p4lab lab carries traffic.
#
# From h1 to h2 through one p4lab switch running the quick-start program
# (examples/quickstart, trace off), then through a Linux bridge between the
# same kind of namespaces and veth pairs (offloads on, as p4lab leaves them):
#   TCP: iperf3, one stream, $SECONDS_PER_RUN s (default 5)
#   UDP: iperf3 -u -l 64 at $UDP_RATE (default 2G) offered: packets/s received, loss
# and the lab's start-up time.  Prints figures; it is not a test.  Root only.
# For meaningful figures build without sanitizers (meson setup -Dbuildtype=release).
set -euo pipefail

build=${1:-build}
secs=${SECONDS_PER_RUN:-5}
udp_rate=${UDP_RATE:-2G}
root=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "lab_throughput: needs root" >&2; exit 1; }
command -v iperf3 >/dev/null || { echo "lab_throughput: needs iperf3" >&2; exit 1; }
case $build in /*) ;; *) build=$root/$build ;; esac
lab_exe=
for c in "$build/src/cli/p4lab" "$build/tests/integration/p4lab-lab"; do
  [ -x "$c" ] && { lab_exe=$c; break; }
done
[ -n "$lab_exe" ] || { echo "lab_throughput: no p4lab in $build (build it first)" >&2; exit 1; }
export P4LAB_SWITCH=${P4LAB_SWITCH:-$build/src/switch/p4lab-switch}

work=$(mktemp -d /tmp/p4lab-bench.XXXXXX)
lab_pid=
br_ns=(p4lbench-br p4lbench-h1 p4lbench-h2)
cleanup() {
  exec 3>&- 2>/dev/null || true
  [ -n "$lab_pid" ] && { kill "$lab_pid" 2>/dev/null; wait "$lab_pid" 2>/dev/null || true; }
  "$lab_exe" clean labbench >/dev/null 2>&1 || true
  for ns in "${br_ns[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# iperf3 from namespace $1 to $2 (an address) with server in namespace $3;
# prints "tcp Gbit/s" or "udp pps loss%".
measure() {
  local src=$1 dst=$2 srv=$3 kind=$4 i
  ip netns exec "$srv" iperf3 -s -1 >/dev/null 2>&1 &
  local spid=$!
  for ((i = 0; i < 100; i++)); do
    ip netns exec "$srv" ss -ltn 2>/dev/null | grep -q ':5201 ' && break
    sleep 0.05
  done
  if [ "$kind" = tcp ]; then
    ip netns exec "$src" iperf3 -c "$dst" -t "$secs" -J > "$work/out.json" || true
  else
    ip netns exec "$src" iperf3 -c "$dst" -u -l 64 -b "$udp_rate" -t "$secs" -J \
      > "$work/out.json" || true
  fi
  wait "$spid" 2>/dev/null || true
  python3 - "$work/out.json" "$kind" <<'PY'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except Exception as e:
    print("error: no iperf3 result (%s)" % e); sys.exit(0)
if "error" in r:
    print("error: " + r["error"]); sys.exit(0)
end = r["end"]
if sys.argv[2] == "tcp":
    print("%.2f" % (end["sum_received"]["bits_per_second"] / 1e9))
else:
    s = end["sum"]
    secs = s["seconds"] or 1
    got = s["packets"] - s["lost_packets"]
    print("%.0f %.1f %.0f" % (got / secs, s["lost_percent"], s["packets"] / secs))
PY
}

echo "=== p4lab lab: h1 -- s1 (quickstart.p4, log off) -- h2"
sed -e 's/^name: quickstart/name: labbench/' -e 's/log: trace .*/log: none/' \
    -e "s|program: quickstart.p4|program: $root/examples/quickstart/quickstart.p4|" \
    -e "s|entries: s1-entries.json|entries: $root/examples/quickstart/s1-entries.json|" \
    "$root/examples/quickstart/lab.yaml" > "$work/lab.yaml"
mkfifo "$work/in"
t0=$(date +%s.%N)
"$lab_exe" run "$work/lab.yaml" < "$work/in" > "$work/lab.out" 2>&1 &
lab_pid=$!
exec 3>"$work/in"
for ((i = 0; i < 1200; i++)); do
  grep -q 'started in' "$work/lab.out" && break
  kill -0 "$lab_pid" 2>/dev/null || { cat "$work/lab.out"; exit 1; }
  sleep 0.05
done
t1=$(date +%s.%N)
grep -q 'started in' "$work/lab.out" || { cat "$work/lab.out"; exit 1; }
startup=$(sed -n 's/.*started in \([0-9.]*\) s.*/\1/p' "$work/lab.out")
wall=$(python3 -c "print('%.2f' % ($t1 - $t0))")
echo "start-up: $startup s inside p4lab (compile, namespaces, links, switch ready); $wall s wall clock"
p4_tcp=$(measure p4lab-labbench.h1 10.0.0.2 p4lab-labbench.h2 tcp)
echo "TCP: $p4_tcp Gbit/s"
p4_udp=$(measure p4lab-labbench.h1 10.0.0.2 p4lab-labbench.h2 udp)
echo "UDP 64 B: received/s, loss %, sent/s: $p4_udp"
echo exit >&3
exec 3>&-
wait "$lab_pid" || true
lab_pid=

echo "=== Linux bridge: h1 -- br0 -- h2 (same namespaces and veth setup)"
for ns in "${br_ns[@]}"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip -n p4lbench-br link add br0 type bridge
ip -n p4lbench-br link set br0 up
for i in 1 2; do
  ip link add eth0 netns "p4lbench-h$i" type veth peer name "p$i" netns p4lbench-br
  ip -n "p4lbench-h$i" link set eth0 address "00:00:0a:00:00:0$i"
  ip -n "p4lbench-h$i" addr add "10.0.0.$i/24" dev eth0
  ip -n "p4lbench-h$i" link set eth0 up
  ip -n p4lbench-br link set "p$i" master br0 up
done
ip -n p4lbench-h1 neigh replace 10.0.0.2 lladdr 00:00:0a:00:00:02 dev eth0 nud permanent
ip -n p4lbench-h2 neigh replace 10.0.0.1 lladdr 00:00:0a:00:00:01 dev eth0 nud permanent
br_tcp=$(measure p4lbench-h1 10.0.0.2 p4lbench-h2 tcp)
echo "TCP: $br_tcp Gbit/s"
br_udp=$(measure p4lbench-h1 10.0.0.2 p4lbench-h2 udp)
echo "UDP 64 B: received/s, loss %, sent/s: $br_udp"

echo "=== summary ($(nproc) cores, $secs s per run, UDP offered at $udp_rate)"
python3 - "$p4_tcp" "$br_tcp" "$p4_udp" "$br_udp" "$startup" <<'PY'
import sys
def num(s, i=0):
    try:
        return float(s.split()[i])
    except (ValueError, IndexError):
        return None
p4t, brt, p4u, bru = num(sys.argv[1]), num(sys.argv[2]), num(sys.argv[3]), num(sys.argv[4])
def ratio(a, b):
    return "%.2f" % (a / b) if a is not None and b else "n/a"
print("%-22s %12s %12s %8s" % ("", "p4lab", "bridge", "ratio"))
print("%-22s %12s %12s %8s" % ("TCP Gbit/s", sys.argv[1], sys.argv[2], ratio(p4t, brt)))
print("%-22s %12s %12s %8s" % ("UDP 64 B received/s", sys.argv[3].split()[0] if p4u else sys.argv[3],
                               sys.argv[4].split()[0] if bru else sys.argv[4], ratio(p4u, bru)))
print("%-22s %12s %12s" % ("UDP 64 B loss %", sys.argv[3].split()[1] if p4u else "n/a",
                           sys.argv[4].split()[1] if bru else "n/a"))
print("%-22s %12s" % ("lab start-up s", sys.argv[5]))
PY
