# The interactive shell on a terminal (a pty made by script(1)): readline
# prompt, typed-ahead commands run in order, exit takes the lab down.
command -v script >/dev/null || { echo "SKIP: no script(1) to make a terminal"; exit 77; }
uses ittty${R}
cat > lab.yaml <<Y
name: ittty${R}
hosts:
  h1: {ip: 10.0.0.1/24}
  h2: {ip: 10.0.0.2/24}
links:
  - endpoints: ["h1", "h2"]
Y
printf 'nodes\nh1 ping -c1 -W2 h2\nbogus\nexit\n' |
  script -qfec "'$LAB_EXE' run lab.yaml" /dev/null > tty.out
status=$?
tr -d '\r' < tty.out
[ $status -eq 0 ] || fail "interactive run exited $status"
grep -q 'p4lab> nodes' tty.out || fail "no readline prompt"
grep -q "netns p4lab-ittty${R}.h2" tty.out || fail "nodes output missing"
grep -q '1 packets transmitted, 1 received' tty.out || fail "h1 ping h2 failed"
grep -q "unknown command 'bogus'" tty.out || fail "no message for a bad command"
grep -q "stopping lab ittty${R}" tty.out || fail "the lab did not stop"
expect_clean ittty${R}
echo PASS
