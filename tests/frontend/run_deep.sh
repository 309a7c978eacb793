#!/bin/sh
# run_deep.sh - deeply nested input must give a clean error, never a stack
# overflow; moderately nested input must parse.
# Usage: run_deep.sh P4PARSE
p4parse=$1
case $p4parse in /*) ;; *) p4parse=$(pwd)/$p4parse ;; esac
tmp=${TMPDIR:-/tmp}/p4lab-frontend-deep.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# repeat STRING COUNT
repeat() { awk -v s="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'; }

gen() {  # gen NAME DEPTH
	d=$2
	case $1 in
	paren) { printf 'const bit<8> X = '; repeat '(' $d; printf 1; repeat ')' $d; printf ';\n'; } ;;
	unary) { printf 'const bit<8> X = '; repeat '-' $d; printf '1;\n'; } ;;
	block) { printf 'action a() {\n'; repeat 'if (true) {\n' $d; repeat '}\n' $d; printf '}\n'; } ;;
	brace) { printf 'const bit<8> X = '; repeat '{' $d; printf 1; repeat '}' $d; printf ';\n'; } ;;
	type)  { printf 'typedef '; repeat 'tuple<' $d; printf 'bit<8>'; repeat '>' $d; printf ' t;\n'; } ;;
	cast)  { printf 'const bit<8> X = '; repeat '(bit<8>)' $d; printf '1;\n'; } ;;
	cond)  { printf 'const bit<8> X = '; repeat 'true ? 1 : ' $d; printf '1;\n'; } ;;
	stack) { printf 'typedef bit<8>'; repeat '[1]' $d; printf ' t;\n'; } ;;
	esac
}

for kind in paren unary block brace type cast cond; do
	gen $kind 100000 >"$tmp/deep_$kind.p4"
	out=$("$p4parse" "$tmp/deep_$kind.p4" 2>&1)
	rc=$?
	case "$out" in
	*Sanitizer*|*"runtime error:"*) echo "FAIL deep $kind: sanitizer report"; printf '%s\n' "$out" | head -n 30; fail=1 ;;
	*"error: nesting is too deep"*) ;;
	*) echo "FAIL deep $kind: no nesting error"; printf '%s\n' "$out" | head -c 300; echo; fail=1 ;;
	esac
	[ $rc -eq 1 ] || { echo "FAIL deep $kind: exit status $rc"; fail=1; }
	gen $kind 60 >"$tmp/ok_$kind.p4"
	if ! "$p4parse" "$tmp/ok_$kind.p4"; then
		echo "FAIL: 60 levels of $kind should parse"
		fail=1
	fi
done
# a chain of '<' makes the parser try type arguments at each one: what the
# failed tries allocate must be released (this once took gigabytes)
{ printf 'const bool X = a'; awk 'BEGIN { for (i = 0; i < 2000; i++) printf " < b%d", i }'; printf ';\n'; } >"$tmp/ltchain.p4"
"$p4parse" "$tmp/ltchain.p4" || { echo "FAIL: chain of '<'"; fail=1; }
# header stacks of stacks are not nested recursion: they must just parse
gen stack 10000 >"$tmp/stack.p4"
"$p4parse" "$tmp/stack.p4" || { echo "FAIL: long stack suffix"; fail=1; }
[ $fail -eq 0 ] && echo "deep nesting: ok"
exit $fail
