#!/usr/bin/env bash
# lab_scale.sh [BUILD_DIR] - how fast big labs come up and go down, and what
# an idle switch costs in memory.
#
# For each size in $SIZES (default "8 100": switches; each with 2 hosts, the
# switches in a line) it writes a lab file, runs it with `p4lab run` and prints:
#   start-up: what p4lab reports (compile, namespaces, links, switches ready,
#             pipelines pushed) and the wall clock until the shell is ready
#   teardown: from `exit` to p4lab's end
#   memory:   per idle switch, mean of RSS, PSS (/proc/PID/smaps_rollup:
#             shared pages divided among the processes that map them) and
#             private pages (USS: what one more switch costs)
# then the same once more with the program as a .json without P4Info (the
# switches run no P4Runtime server; entries none), to show what gRPC costs.
# Reference: the same namespaces and veth pairs made and removed with plain
# `ip netns add` / `ip link add` in a loop (what a naive tool does).
# Targets (developers' guide): 8 + 16 up in <= 0.3 s, 100 + 200 in <= 2 s,
# <= 5 MB per idle switch.  Figures, not a test.  Root only.  Build without
# sanitizers for meaningful figures (meson setup --buildtype=release).
set -euo pipefail

build=${1:-build}
sizes=${SIZES:-8 100}
root=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "lab_scale: needs root" >&2; exit 1; }
case $build in /*) ;; *) build=$root/$build ;; esac
lab_exe=
for c in "$build/src/cli/p4lab" "$build/tests/integration/p4lab-lab"; do
  [ -x "$c" ] && { lab_exe=$c; break; }
done
[ -n "$lab_exe" ] || { echo "lab_scale: no p4lab in $build (build it first)" >&2; exit 1; }
export P4LAB_SWITCH=${P4LAB_SWITCH:-$build/src/switch/p4lab-switch}
qs=$root/examples/quickstart

work=$(mktemp -d /tmp/p4lab-scale.XXXXXX)
lab_pid=
lab_name=
ref_n=0
cleanup() {
  exec 3>&- 2>/dev/null || true
  [ -n "$lab_pid" ] && { kill "$lab_pid" 2>/dev/null; wait "$lab_pid" 2>/dev/null || true; }
  [ -n "$lab_name" ] && { "$lab_exe" clean "$lab_name" >/dev/null 2>&1 || true; }
  ref_del "$ref_n" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

now() { date +%s.%N; }
secs() { python3 -c "print('%.2f' % ($2 - $1))"; }

# The quick-start program as BMv2 JSON alone (no P4Info beside it).
"$lab_exe" compile "$qs/quickstart.p4" -o "$work" > /dev/null
mkdir "$work/nop4info"
mv "$work/quickstart.json" "$work/nop4info/quickstart.json"

# Lab $1 with $2 switches running program $3: switch i has hosts on ports 1
# and 2 (10.<i/250>.<i%250>.1 and .2, a /24 each, so no host has more than
# one neighbour to seed), port 3 to switch i+1's port 4.
lab_file() {
  local name=$1 n=$2 prog=$3 i a b
  {
    echo "name: $name"
    echo "hosts:"
    for ((i = 1; i <= n; i++)); do
      a=$((i / 250)); b=$((i % 250))
      echo "  h${i}a: {ip: 10.$a.$b.1/24}"
      echo "  h${i}b: {ip: 10.$a.$b.2/24}"
    done
    echo "switches:"
    for ((i = 1; i <= n; i++)); do
      echo "  s$i: {program: $prog, log: none}"
    done
    echo "links:"
    for ((i = 1; i <= n; i++)); do
      echo "  - endpoints: [\"h${i}a\", \"s$i:1\"]"
      echo "  - endpoints: [\"h${i}b\", \"s$i:2\"]"
      [ "$i" -lt "$n" ] && echo "  - endpoints: [\"s$i:3\", \"s$((i + 1)):4\"]"
    done
  } > "$work/$name.yaml"
}

# Mean RSS, PSS and private (USS) in MB over the pids given; "n/a" if none.
mem_mean() {
  python3 - "$@" <<'PY'
import sys
rss = pss = uss = n = 0
for pid in sys.argv[1:]:
    try:
        for line in open("/proc/%s/smaps_rollup" % pid):
            k, v = line.split()[:2]
            if k == "Rss:":
                rss += int(v)
            elif k == "Pss:":
                pss += int(v)
            elif k in ("Private_Clean:", "Private_Dirty:"):
                uss += int(v)
        n += 1
    except (OSError, ValueError):
        pass
print("%.2f %.2f %.2f %d" % (rss / n / 1024, pss / n / 1024, uss / n / 1024, n)
      if n else "n/a n/a n/a 0")
PY
}

# Runs lab $1 ($2 switches, program $3); prints
# "p4lab_start wall_start teardown rss_mb pss_mb uss_mb switches".
run_lab() {
  local name=$1 n=$2 prog=$3 i t0 t1 t2 t3
  lab_file "$name" "$n" "$prog"
  rm -f "$work/in"
  mkfifo "$work/in"
  lab_name=$name
  t0=$(now)
  "$lab_exe" run "$work/$name.yaml" < "$work/in" > "$work/$name.out" 2>&1 &
  lab_pid=$!
  exec 3>"$work/in"
  for ((i = 0; i < 6000; i++)); do
    grep -q 'started in' "$work/$name.out" && break
    kill -0 "$lab_pid" 2>/dev/null || { cat "$work/$name.out" >&2; exit 1; }
    sleep 0.01
  done
  t1=$(now)
  grep -q 'started in' "$work/$name.out" || { cat "$work/$name.out" >&2; exit 1; }
  sleep 1  # idle: the switches' start-up allocations settle
  local pids
  pids=$(pgrep -P "$lab_pid" -x p4lab-switch || true)
  local mem
  mem=$(mem_mean $pids)
  t2=$(now)
  echo exit >&3
  exec 3>&-
  wait "$lab_pid" || true
  t3=$(now)
  lab_pid=
  lab_name=
  echo "$(sed -n 's/.*started in \([0-9.]*\) s.*/\1/p' "$work/$name.out")" \
       "$(secs "$t0" "$t1")" "$(secs "$t2" "$t3")" "$mem"
}

# The reference for $1 switches: the lab's namespaces (one per host, one for
# the switch ports) and veth pairs, made with ip(8), one object at a time.
ref_add() {
  local n=$1 i a b
  ip netns add p4lscale-sw
  for ((i = 1; i <= n; i++)); do
    a=$((i / 250)); b=$((i % 250))
    for h in a b; do
      ip netns add "p4lscale-h$i$h"
      ip -n "p4lscale-h$i$h" link set lo up
      ip link add eth0 netns "p4lscale-h$i$h" type veth peer name "s$i-$h" netns p4lscale-sw
      ip -n "p4lscale-h$i$h" addr add "10.$a.$b.$([ $h = a ] && echo 1 || echo 2)/24" dev eth0
      ip -n "p4lscale-h$i$h" link set eth0 up
      ip -n p4lscale-sw link set "s$i-$h" up
    done
    if [ "$i" -lt "$n" ]; then
      ip -n p4lscale-sw link add "s$i-3" type veth peer name "s$((i + 1))-4"
      ip -n p4lscale-sw link set "s$i-3" up
      ip -n p4lscale-sw link set "s$((i + 1))-4" up
    fi
  done
}
ref_del() {
  local n=$1 i
  [ "$n" -gt 0 ] || return 0
  for ((i = 1; i <= n; i++)); do
    ip netns del "p4lscale-h${i}a" 2>/dev/null || true
    ip netns del "p4lscale-h${i}b" 2>/dev/null || true
  done
  ip netns del p4lscale-sw 2>/dev/null || true
}

declare -A res
for n in $sizes; do
  echo "=== $n switches + $((2 * n)) hosts in a line ($(nproc) cores)"
  r=$(run_lab "scale$n" "$n" "$qs/quickstart.p4")
  res[p4rt$n]=$r
  set -- $r
  echo "p4lab (quickstart.p4, P4Runtime): start-up $1 s reported, $2 s wall; teardown $3 s;" \
       "idle switch RSS $4 MB, PSS $5 MB, private $6 MB (mean of $7)"
  r=$(run_lab "scalej$n" "$n" "$work/nop4info/quickstart.json")
  res[json$n]=$r
  set -- $r
  echo "p4lab (quickstart.json, no P4Runtime): start-up $1 s reported, $2 s wall; teardown $3 s;" \
       "idle switch RSS $4 MB, PSS $5 MB, private $6 MB (mean of $7)"
  t0=$(now); ref_n=$n; ref_add "$n"; t1=$(now); ref_del "$n"; ref_n=0; t2=$(now)
  res[ref$n]="$(secs "$t0" "$t1") $(secs "$t1" "$t2")"
  echo "reference, ip(8) in a loop: make $(secs "$t0" "$t1") s, remove $(secs "$t1" "$t2") s"
done

echo "=== summary (s, MB per switch)"
printf "%-24s %8s %8s %8s %8s %8s %8s\n" "" "start" "wall" "down" "RSS" "PSS" "private"
for n in $sizes; do
  for k in p4rt json; do
    set -- ${res[$k$n]}
    printf "%-24s %8s %8s %8s %8s %8s %8s\n" "$n sw, $k" "$1" "$2" "$3" "$4" "$5" "$6"
  done
  set -- ${res[ref$n]}
  printf "%-24s %8s %8s %8s\n" "$n sw, ip(8) loop" "$1" "$1" "$2"
done
echo "targets: 8 + 16 up in <= 0.3 s, 100 + 200 in <= 2 s; <= 5 MB per idle switch"
