#!/bin/sh
# run_errors.sh - invalid programs for the whole compiler.
# Usage: run_errors.sh P4C_DRIVE DIR
# Each DIR/*.p4 says on line 1 the first diagnostic it must produce, and
# optionally on line 2 a note that must follow:
#   // expect: LINE:COL: error: MESSAGE
#   // note: LINE:COL: note: MESSAGE
# The compiler must exit with status 1 and print nothing on stdout (no
# JSON), the first diagnostic exactly, its source line and a caret under
# column COL, and no sanitizer report.
drive=$1
case $drive in /*) ;; *) drive=$(pwd)/$drive ;; esac
dir=$2
fail=0
n=0
cd "$dir" || exit 1
for f in *.p4; do
	n=$((n + 1))
	first=$(sed -n 1p "$f")
	second=$(sed -n 2p "$f")
	case "$first" in
	"// expect: "*) want="$f:${first#// expect: }" ;;
	*) echo "FAIL $f: no '// expect:' line"; fail=$((fail + 1)); continue ;;
	esac
	out=$("$drive" -q "$f" 2>&1 >/dev/null)
	rc=$?
	stdout=$("$drive" -q "$f" 2>/dev/null)
	case "$out" in
	*Sanitizer*|*"runtime error:"*)
		echo "FAIL $f: sanitizer report"
		printf '%s\n' "$out" | head -n 30
		fail=$((fail + 1))
		continue ;;
	esac
	if [ $rc -ne 1 ] || [ -n "$stdout" ]; then
		echo "FAIL $f: exit status $rc (want 1), stdout: $(printf '%s' "$stdout" | head -c 80)"
		printf '%s\n' "$out" | head -n 10
		fail=$((fail + 1))
		continue
	fi
	got=$(printf '%s\n' "$out" | sed -n 1p)
	if [ "$got" != "$want" ]; then
		echo "FAIL $f:"
		echo "  want: $want"
		echo "  got:  $got"
		fail=$((fail + 1))
		continue
	fi
	col=$(printf '%s\n' "$want" | sed 's/^.*:[0-9][0-9]*:\([0-9][0-9]*\): error: .*$/\1/')
	pos=$(printf '%s\n' "$out" | sed -n 3p | awk '{ print index($0, "^") - 1 }')
	if [ "$pos" != "$col" ]; then
		echo "FAIL $f: caret at column $pos, want $col"
		printf '%s\n' "$out" | head -n 3
		fail=$((fail + 1))
		continue
	fi
	case "$second" in
	"// note: "*)
		note="$f:${second#// note: }"
		if ! printf '%s\n' "$out" | grep -qxF "$note"; then
			echo "FAIL $f: no note '$note'"
			printf '%s\n' "$out" | head -n 8
			fail=$((fail + 1))
			continue
		fi ;;
	esac
done
echo "$((n - fail)) of $n error programs passed"
[ $fail -eq 0 ]
