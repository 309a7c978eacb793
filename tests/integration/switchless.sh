# Two hosts linked directly (no switch): pingall, a host command with a host
# name in it, a failing command; nothing left afterwards.
uses itduo${R}
cat > duo.yaml <<Y
name: itduo${R}
hosts:
  h1: {ip: 10.0.0.1/24}
  h2: {ip: 10.0.0.2/24, mac: "00:00:0a:00:00:02"}
links:
  - endpoints: ["h1", "h2"]
Y
out=$("$LAB_EXE" run duo.yaml -c pingall -c 'h1 ping -c1 -W2 h2' -c 'h2 ip -br link' 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "run exited $status"
grep -q '^h1 -> h2$' <<<"$out" || fail "no 'h1 -> h2' line"
grep -q '^h2 -> h1$' <<<"$out" || fail "no 'h2 -> h1' line"
grep -q 'Results: 0% dropped (2/2 received)' <<<"$out" || fail "pingall lost packets"
grep -q 'eth0@.*00:00:0a:00:00:02' <<<"$out" || fail "h2's eth0 does not carry its MAC"
expect_clean itduo${R}

# What a user leaves running in a host goes with the lab.
"$LAB_EXE" run duo.yaml -c "h1 sleep 654${R} &" -c "h2 sleep 654${R} &" >/dev/null 2>&1 ||
  fail "background commands"
pgrep -fx "sleep 654${R}" && fail "processes started in the hosts outlived the lab"
expect_clean itduo${R}

out=$("$LAB_EXE" run duo.yaml -c 'h1 false' -c nodes 2>&1)
[ $? -eq 1 ] || fail "a failing command must make run exit 1"
grep -q "p4lab-itduo${R}.h1" <<<"$out" || fail "nodes does not list h1's namespace"
# --batch: one command per line, comments and blank lines skipped, in order
# with -c; any failed command makes the exit status 1.
printf '# a batch\n\nh1 echo batch-one\n  h2 echo batch-two h1\n' > ok.batch
out=$("$LAB_EXE" run duo.yaml --batch ok.batch -c 'h1 echo after' 2>&1)
[ $? -eq 0 ] || fail "batch run failed: $out"
grep -q '^batch-one$' <<<"$out" && grep -q '^batch-two 10.0.0.1$' <<<"$out" || fail "batch output: $out"
[ "$(grep -E '^(batch-one|batch-two|after)' <<<"$out" | tr '\n' ' ')" = "batch-one batch-two 10.0.0.1 after " ] ||
  fail "batch and -c out of order: $out"
printf 'h1 true\nh2 exit 3\nh1 true\n' > bad.batch
"$LAB_EXE" run duo.yaml --batch bad.batch >/dev/null 2>&1
[ $? -eq 1 ] || fail "a failing batch command must make run exit 1"
out=$("$LAB_EXE" run duo.yaml --batch missing.batch 2>&1)
[ $? -eq 1 ] && grep -q 'missing.batch: No such file or directory' <<<"$out" || fail "missing batch: $out"

out=$("$LAB_EXE" run duo.yaml -c 'frobnicate' 2>&1)
[ $? -eq 1 ] || fail "an unknown command must make run exit 1"
grep -q "unknown command 'frobnicate'" <<<"$out" || fail "no message for an unknown command"
expect_clean itduo${R}
echo PASS
