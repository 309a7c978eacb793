#!/bin/sh
# run_valid.sh - valid programs must parse without any diagnostic.
# Usage: run_valid.sh P4PARSE DIR [P4INCLUDE_DIR]
# Runs with -I DIR/inc and -e FROM_COMMAND_LINE=5 (preproc.p4 checks both).
# When DIR/NAME.dump exists, the dump of NAME.p4 (without the bundled
# declarations) must equal it.  The bundled include files themselves are
# parsed too when P4INCLUDE_DIR is given.
p4parse=$1
case $p4parse in /*) ;; *) p4parse=$(pwd)/$p4parse ;; esac
dir=$2
incdir=$3
fail=0
n=0
tmp=${TMPDIR:-/tmp}/p4lab-frontend-valid.$$
trap 'rm -f "$tmp.out" "$tmp.err"' EXIT
cd "$dir" || exit 1
files=$(ls *.p4)
if [ -n "$incdir" ]; then
	files="$files $incdir/core.p4 $incdir/v1model.p4"
fi
for f in $files; do
	n=$((n + 1))
	"$p4parse" -d -I inc -e FROM_COMMAND_LINE=5 "$f" >"$tmp.out" 2>"$tmp.err"
	rc=$?
	if [ $rc -ne 0 ] || [ -s "$tmp.err" ]; then
		echo "FAIL $f: exit status $rc"
		head -n 20 "$tmp.err"
		fail=$((fail + 1))
		continue
	fi
	want=${f%.p4}.dump
	if [ -f "$want" ] && ! diff -u "$want" "$tmp.out"; then
		echo "FAIL $f: dump differs from $want"
		fail=$((fail + 1))
	fi
done
echo "$((n - fail)) of $n valid programs passed"
[ $fail -eq 0 ]
