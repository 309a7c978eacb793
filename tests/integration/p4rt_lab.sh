# Labs programmed over P4Runtime.  The quick start (pipeline and entries pushed
# by the lab's client) passes pingall; the shell dumps a table, deletes a
# route (the ping fails), adds it back (the ping works), and names what is
# wrong in bad commands; examples/p4runtime's counter, register and PacketIn
# through the shell; an outside controller (p4rt-peer, the C client library)
# becomes primary at the address `nodes` reports while the shell keeps
# writing beside it.
need_switch
[ -n "${PEER_EXE:-}" ] || { echo "SKIP: built without the P4Runtime client"; exit 77; }
uses itp4q${R} itp4w${R}
exe=${P4LAB_EXE:-$LAB_EXE}
[ -x "$exe" ] || exe=$LAB_EXE
QS=$SOURCE_ROOT/examples/quickstart/lab.yaml
WIRE=$SOURCE_ROOT/examples/p4runtime/lab.yaml

# -- a cpu_port that a link uses is refused with its line
sed 's/cpu_port: 255 /cpu_port: 2 /' "$WIRE" > cpu.yaml
out=$("$exe" run cpu.yaml --name itp4w${R} --check 2>&1)
[ $? -ne 0 ] || fail "a link on the cpu_port was accepted"
grep -q "cpu.yaml:20: switch 's1' port 2 is its cpu_port: no link can use it" <<<"$out" \
  || fail "cpu_port clash: $out"

# -- quick start over P4Runtime: routes through the shell
cat > batch1 <<'B'
nodes
pingall
s1 table dump ipv4_routes
s1 table del ipv4_routes match: dst=10.0.0.2/32
h1 ping -c1 -W1 h2
s1 table add ipv4_routes match: hdr.ipv4.dst=10.0.0.2/32 action: forward params: next_hop_mac=00:00:0a:00:00:02, port=2
h1 ping -c1 -W2 h2
s1 table add ipv4_routes match: dst=10.0.0.7/32 action: nosuch
s1 table add nosuch match: dst=1 action: drop
s1 table add ipv4_routes match: dst=10.0.0.300/32 action: drop
s1 table add ipv4_routes match: dst=10.0.0.2/32 action: forward params: next_hop_mac=00:00:0a:00:00:02, port=2
s1 table dump ipv4_routes
B
out=$("$exe" run "$QS" --name itp4q${R} --batch batch1 2>&1)
echo "$out"
grep -q 'P4Runtime at 127\.0\.0\.1:[0-9]*, device id 1' <<<"$out" || fail "nodes shows no P4Runtime address"
grep -q 'Results: 0% dropped (2/2 received)' <<<"$out" || fail "pingall lost packets"
grep -q 'QsIngress.ipv4_routes: 2 entries' <<<"$out" || fail "table dump did not show the two routes"
grep -q 'hdr.ipv4.dst=10.0.0.2/32 -> QsIngress.forward(next_hop_mac=00:00:0a:00:00:02, port=2)' <<<"$out" \
  || fail "table dump does not show the route to h2"
grep -q 'entry deleted' <<<"$out" || fail "del did not delete"
[ "$(grep -c '1 packets transmitted, 0 received' <<<"$out")" = 1 ] || fail "ping after del should fail"
[ "$(grep -c '1 packets transmitted, 1 received' <<<"$out")" = 1 ] || fail "ping after add should work"
grep -q "s1 table: the P4Info has no action named 'nosuch'" <<<"$out" || fail "unknown action: no clear error"
grep -q "s1 table: no table named 'nosuch'" <<<"$out" || fail "unknown table: no clear error"
grep -q "'10.0.0.300' is not a value" <<<"$out" || fail "bad value: no clear error"
grep -q "s1 table: .*ALREADY_EXISTS\|s1 table: .*exists" <<<"$out" || fail "duplicate entry: no clear error"
expect_clean itp4q${R}

# -- counters, registers, PacketIn on examples/p4runtime
cat > batch2 <<'B'
h1 ping -c2 -i0.2 -W2 h2
s1 counter rx 1
s1 register read last_len 1
s1 register write last_len 7 1234
s1 register read last_len 7
s1 register read last_len 9999
s1 counter nosuch
h1 python3 -c "import socket,time; s=socket.socket(socket.AF_PACKET,socket.SOCK_RAW); s.bind(('eth0',0)); time.sleep(0.5); s.send(bytes.fromhex('ffffffffffff02000a00000188b5') + b'hello p4lab')" &
s1 packet listen count=1 timeout=20
h1 python3 -c "import socket,time; s=socket.socket(socket.AF_PACKET,socket.SOCK_RAW); s.bind(('eth0',0)); time.sleep(0.5); s.send(bytes.fromhex('ffffffffffff02000a00000188b6') + b'digest me')" &
s1 digest listen count=1 timeout=20
h2 python3 -c "import socket; s=socket.socket(socket.AF_PACKET,socket.SOCK_RAW,socket.htons(0x88b7)); s.settimeout(15); open('got_out','w').write(s.recv(2000).hex())" &
h2 sleep 0.5
s1 packet send dddddddddddd02000a00000188b7abcd metadata: egress_port=2
B
out=$("$exe" run "$WIRE" --name itp4w${R} --batch batch2 2>&1)
echo "$out"
grep -q '2 packets transmitted, 2 received' <<<"$out" || fail "h1 ping h2 through wire.p4 lost packets"
grep -q 'WireIngress.rx\[1\]: 2 packets, 196 bytes' <<<"$out" || fail "counter rx[1] is not 2 packets"
grep -q 'WireIngress.last_len\[1\] = 98' <<<"$out" || fail "register last_len[1] is not 98"
[ "$(grep -c 'WireIngress.last_len\[7\] = 1234' <<<"$out")" = 2 ] || fail "register write/read"
grep -q 'register WireIngress.last_len has 512 cells: no index 9999' <<<"$out" || fail "register index: no clear error"
grep -q "no counter named 'nosuch'" <<<"$out" || fail "unknown counter: no clear error"
grep -q 'packet-in: 25 bytes, ingress_port=1' <<<"$out" || fail "no PacketIn from h1's port"
grep -q '^  ffffffffffff02000a00000188b568656c6c6f2070346c6162$' <<<"$out" || fail "PacketIn payload"
grep -q 'digest WireIngress.seen_t\|digest seen_t' <<<"$out" || fail "no digest list"
grep -q '^  {02:00:0a:00:00:01, 1}$' <<<"$out" || fail "the digest does not carry h1's MAC and port"
grep -q 'sent 16 bytes' <<<"$out" || fail "packet send"
wait_for got_out 'dddddddddddd' 10 || fail "h2 did not receive the PacketOut"
expect_clean itp4w${R}

# -- an outside controller beside the shell
mkfifo cmds
"$exe" run "$QS" --name itp4q${R} < cmds > out2 2>&1 &
PIDS+=($!)
exec 3>cmds
echo nodes >&3
wait_for out2 'P4Runtime at' 120 || { cat out2; fail "no P4Runtime address in nodes"; }
addr=$(sed -n 's/.*P4Runtime at \([0-9.]*:[0-9]*\),.*/\1/p' out2 | head -1)
"$PEER_EXE" "$addr" 1 ipv4_routes 'hdr.ipv4.dst=10.0.0.9/32' forward \
  'next_hop_mac=00:00:0a:00:00:09,port=2' > peer.out 2>&1
pst=$?
cat peer.out
[ $pst -eq 0 ] || fail "the outside controller failed"
grep -q 'peer: primary, 3 entries in ipv4_routes' peer.out || fail "the peer did not see 3 entries"
echo 's1 table add ipv4_routes match: dst=10.0.0.8/32 action: drop' >&3
echo 's1 table dump ipv4_routes' >&3
echo exit >&3
exec 3>&-
wait "${PIDS[0]}"
st=$?
PIDS=()
cat out2
[ $st -eq 0 ] || fail "the shell beside the controller exited $st"
grep -q 'QsIngress.ipv4_routes: 4 entries' out2 || fail "the shell could not write beside the controller"
grep -q 'hdr.ipv4.dst=10.0.0.9/32' out2 || fail "the controller's entry is not in the dump"
expect_clean itp4q${R}
echo PASS
