#!/bin/sh
# run_errors.sh - syntax-error tests of the front end.
# Usage: run_errors.sh P4PARSE DIR
# Each DIR/*.p4 carries its expected first diagnostic on line 1:
#   // expect: LINE:COL: error: MESSAGE        (in this file)
#   // expect-full: FILE:LINE:COL: error: MESSAGE   (e.g. in an included file)
# The parser must exit with status 1 (not crash), print exactly that line
# first, then the source line and a caret under column COL.
p4parse=$1
case $p4parse in /*) ;; *) p4parse=$(pwd)/$p4parse ;; esac
dir=$2
fail=0
n=0
cd "$dir" || exit 1
for f in *.p4; do
	n=$((n + 1))
	first=$(head -n 1 "$f")
	case "$first" in
	"// expect: "*) want="$f:${first#// expect: }" ;;
	"// expect-full: "*) want="${first#// expect-full: }" ;;
	*) echo "FAIL $f: no '// expect:' line"; fail=$((fail + 1)); continue ;;
	esac
	out=$("$p4parse" "$f" 2>&1)
	rc=$?
	got=$(printf '%s\n' "$out" | sed -n 1p)
	# sanitizers exit with status 1 too: look for their reports
	case "$out" in
	*Sanitizer*|*"runtime error:"*)
		echo "FAIL $f: sanitizer report"
		printf '%s\n' "$out" | head -n 30
		fail=$((fail + 1))
		continue ;;
	esac
	if [ $rc -ne 1 ]; then
		echo "FAIL $f: exit status $rc (want 1)"
		printf '%s\n' "$out" | head -n 20
		fail=$((fail + 1))
		continue
	fi
	if [ "$got" != "$want" ]; then
		echo "FAIL $f:"
		echo "  want: $want"
		echo "  got:  $got"
		fail=$((fail + 1))
		continue
	fi
	# the caret line: one space, then (COL - 1) columns, then '^'
	col=$(printf '%s\n' "$want" | sed 's/^.*:[0-9][0-9]*:\([0-9][0-9]*\): error: .*$/\1/')
	caret=$(printf '%s\n' "$out" | sed -n 3p)
	pos=$(printf '%s\n' "$caret" | awk '{ print index($0, "^") - 1 }')
	if [ "$pos" != "$col" ]; then
		echo "FAIL $f: caret at column $pos, want $col"
		printf '%s\n' "$out" | head -n 3
		fail=$((fail + 1))
		continue
	fi
done
echo "$((n - fail)) of $n error tests passed"
[ $fail -eq 0 ]
