#!/usr/bin/env bash
# lab_latency.sh [BUILD_DIR] - the round trip a p4lab switch adds.
#
# Pings h1 -> h2 ($PINGS pings, default 2000, every $INTERVAL s, default 0.002)
# through one p4lab switch (the quick-start program, log none), then through a
# chain of 4; and the same through 1 and 4 Linux bridges between the same kind
# of namespaces and veth pairs.  Prints RTT p50/p90/p99 of each and the added
# round trip per switch = (p4lab - bridge) / n, which the developers' guide
# wants at or under 60 us (p50).  Figures, not a test.  Root only.  For
# meaningful figures build without sanitizers (meson setup --buildtype=release).
set -euo pipefail

build=${1:-build}
pings=${PINGS:-2000}
interval=${INTERVAL:-0.002}
root=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "lab_latency: needs root" >&2; exit 1; }
case $build in /*) ;; *) build=$root/$build ;; esac
lab_exe=
for c in "$build/src/cli/p4lab" "$build/tests/integration/p4lab-lab"; do
  [ -x "$c" ] && { lab_exe=$c; break; }
done
[ -n "$lab_exe" ] || { echo "lab_latency: no p4lab in $build (build it first)" >&2; exit 1; }
export P4LAB_SWITCH=${P4LAB_SWITCH:-$build/src/switch/p4lab-switch}
qs=$root/examples/quickstart

work=$(mktemp -d /tmp/p4lab-latency.XXXXXX)
lab_pid=
lab_name=
br_ns=(p4llat-br p4llat-h1 p4llat-h2)
cleanup() {
  exec 3>&- 2>/dev/null || true
  [ -n "$lab_pid" ] && { kill "$lab_pid" 2>/dev/null; wait "$lab_pid" 2>/dev/null || true; }
  [ -n "$lab_name" ] && { "$lab_exe" clean "$lab_name" >/dev/null 2>&1 || true; }
  for ns in "${br_ns[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# A lab file: h1 -- s1 -- ... -- sN -- h2, every switch the quick-start
# router with the same routes (port 1 towards h1, port 2 towards h2).
lab_file() {
  local name=$1 n=$2 i
  {
    echo "name: $name"
    echo "hosts:"
    echo "  h1: {ip: 10.0.0.1/24, mac: \"00:00:0a:00:00:01\"}"
    echo "  h2: {ip: 10.0.0.2/24, mac: \"00:00:0a:00:00:02\"}"
    echo "switches:"
    for ((i = 1; i <= n; i++)); do
      echo "  s$i: {program: $qs/quickstart.p4, entries: $qs/s1-entries.json, log: none}"
    done
    echo "links:"
    echo "  - endpoints: [\"h1\", \"s1:1\"]"
    for ((i = 1; i < n; i++)); do
      echo "  - endpoints: [\"s$i:2\", \"s$((i + 1)):1\"]"
    done
    echo "  - endpoints: [\"h2\", \"s$n:2\"]"
  } > "$work/$name.yaml"
}

# RTTs in ms, one per line, of $pings pings from namespace $1 to 10.0.0.2,
# the first 10 dropped (warm-up).
ping_rtts() {
  ip netns exec "$1" ping -n -i "$interval" -c "$((pings + 10))" -W 1 10.0.0.2 \
    | sed -n 's/.*icmp_seq=\([0-9]*\).*time=\([0-9.]*\) ms.*/\1 \2/p' \
    | awk '$1 > 10 { print $2 }'
}

# p50 p90 p99 in us and the count of replies, of the RTTs in file $1.
pcts() {
  python3 - "$1" <<'PY'
import sys
v = sorted(float(x) * 1000 for x in open(sys.argv[1]) if x.strip())
if not v:
    print("n/a n/a n/a 0"); sys.exit(0)
def p(q):
    return v[min(len(v) - 1, int(q * len(v)))]
print("%.0f %.0f %.0f %d" % (p(0.50), p(0.90), p(0.99), len(v)))
PY
}

# Starts lab $1 with $2 switches, pings through it; prints "p50 p90 p99 n".
p4lab_rtt() {
  local name=$1 n=$2 i
  lab_file "$name" "$n"
  rm -f "$work/in"
  mkfifo "$work/in"
  lab_name=$name
  "$lab_exe" run "$work/$name.yaml" < "$work/in" > "$work/$name.out" 2>&1 &
  lab_pid=$!
  exec 3>"$work/in"
  for ((i = 0; i < 1200; i++)); do
    grep -q 'started in' "$work/$name.out" && break
    kill -0 "$lab_pid" 2>/dev/null || { cat "$work/$name.out" >&2; exit 1; }
    sleep 0.05
  done
  grep -q 'started in' "$work/$name.out" || { cat "$work/$name.out" >&2; exit 1; }
  ping_rtts "p4lab-$name.h1" > "$work/$name.rtt" || true
  echo exit >&3
  exec 3>&-
  wait "$lab_pid" || true
  lab_pid=
  lab_name=
  pcts "$work/$name.rtt"
}

# The reference: h1 -- br1 -- ... -- brN -- h2, the bridges in one namespace
# (as a lab's switch ports are), linked by veth pairs.
bridge_rtt() {
  local n=$1 i ns
  for ns in "${br_ns[@]}"; do
    ip netns del "$ns" 2>/dev/null || true
    ip netns add "$ns"
    ip -n "$ns" link set lo up
  done
  for ((i = 1; i <= n; i++)); do
    ip -n p4llat-br link add "br$i" type bridge
    ip -n p4llat-br link set "br$i" up
  done
  for ((i = 1; i < n; i++)); do
    ip -n p4llat-br link add "b$i-2" type veth peer name "b$((i + 1))-1"
    ip -n p4llat-br link set "b$i-2" master "br$i" up
    ip -n p4llat-br link set "b$((i + 1))-1" master "br$((i + 1))" up
  done
  for i in 1 2; do
    local br=1 port=b1-1
    [ "$i" = 2 ] && { br=$n; port=b$n-2; }
    ip link add eth0 netns "p4llat-h$i" type veth peer name "$port" netns p4llat-br
    ip -n "p4llat-h$i" link set eth0 address "00:00:0a:00:00:0$i"
    ip -n "p4llat-h$i" addr add "10.0.0.$i/24" dev eth0
    ip -n "p4llat-h$i" link set eth0 up
    ip -n p4llat-br link set "$port" master "br$br" up
  done
  ip -n p4llat-h1 neigh replace 10.0.0.2 lladdr 00:00:0a:00:00:02 dev eth0 nud permanent
  ip -n p4llat-h2 neigh replace 10.0.0.1 lladdr 00:00:0a:00:00:01 dev eth0 nud permanent
  ping_rtts p4llat-h1 > "$work/br$n.rtt" || true
  for ns in "${br_ns[@]}"; do ip netns del "$ns"; done
  pcts "$work/br$n.rtt"
}

echo "=== $pings pings h1 -> h2 every $interval s ($(nproc) cores); RTT in us: p50 p90 p99 replies"
p1=$(p4lab_rtt latbench1 1); echo "p4lab, 1 switch:    $p1"
b1=$(bridge_rtt 1);          echo "bridge, 1:          $b1"
p4=$(p4lab_rtt latbench4 4); echo "p4lab, 4 switches:  $p4"
b4=$(bridge_rtt 4);          echo "bridges, 4:         $b4"

echo "=== added round trip per switch, us (target: p50 <= 60)"
python3 - "$p1" "$b1" "$p4" "$b4" <<'PY'
import sys
rows = [s.split() for s in sys.argv[1:]]
def added(p, b, n, i):
    try:
        return "%.0f" % ((float(p[i]) - float(b[i])) / n)
    except ValueError:
        return "n/a"
print("%-22s %6s %6s %6s" % ("", "p50", "p90", "p99"))
print("%-22s %6s %6s %6s" % ("1 switch vs 1 bridge", *(added(rows[0], rows[1], 1, i) for i in range(3))))
print("%-22s %6s %6s %6s" % ("4 switches vs 4", *(added(rows[2], rows[3], 4, i) for i in range(3))))
print("replies: p4lab 1: %s, bridge 1: %s, p4lab 4: %s, bridges 4: %s" %
      (rows[0][3], rows[1][3], rows[2][3], rows[3][3]))
PY
