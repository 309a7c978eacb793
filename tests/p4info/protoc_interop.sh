#!/bin/sh
# protoc_interop.sh - holds p4lab's protobuf text printer and parser against
# Debian's protoc, on sample P4Info and P4Runtime messages:
#   1. p4lab's text of a binary message is byte for byte what protoc --decode prints;
#   2. p4lab parses protoc's text back to the identical binary;
#   3. protoc --encode reads p4lab's text back to the identical binary;
#   4. a hand-written text using the syntax extras (comments, <>, lists, ...)
#      encodes the same through p4lab and through protoc.
# Usage: protoc_interop.sh CONV PROTOC PROTO_DIR WKT_DIR FIXTURE_DIR
set -eu
conv=$1 protoc=$2 proto=$3 wkt=$4 fixtures=$5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

pc() { "$protoc" -I"$proto" -I"$wkt" "$@" p4/v1/p4runtime.proto; }

check() {  # check SAMPLE TYPE
  "$conv" sample "$1" > "$tmp/$1.bin"
  "$conv" print "$2" < "$tmp/$1.bin" > "$tmp/$1.mine.txt"
  pc --decode="$2" < "$tmp/$1.bin" > "$tmp/$1.protoc.txt"
  if ! cmp -s "$tmp/$1.mine.txt" "$tmp/$1.protoc.txt"; then
    echo "FAIL $1: p4lab's text differs from protoc --decode:"; diff -u "$tmp/$1.protoc.txt" "$tmp/$1.mine.txt" || true
    fail=1
  fi
  "$conv" parse "$2" < "$tmp/$1.protoc.txt" > "$tmp/$1.back.bin"
  if ! cmp -s "$tmp/$1.bin" "$tmp/$1.back.bin"; then
    echo "FAIL $1: protoc's text parsed by p4lab does not give the same binary"; fail=1
  fi
  pc --encode="$2" < "$tmp/$1.mine.txt" > "$tmp/$1.enc.bin"
  if ! cmp -s "$tmp/$1.bin" "$tmp/$1.enc.bin"; then
    echo "FAIL $1: p4lab's text encoded by protoc does not give the same binary"; fail=1
  fi
  [ $fail -ne 0 ] || echo "ok $1 ($2, $(wc -c < "$tmp/$1.bin") bytes)"
}

check p4info p4.config.v1.P4Info
check write p4.v1.WriteRequest
check stream p4.v1.StreamMessageResponse
check digest p4.v1.StreamMessageResponse

# Map entries: protoc prints them sorted by key whatever their order on the
# wire, so only the texts are compared (map serialization order is free).
"$conv" sample maps > "$tmp/maps.bin"
"$conv" print p4.config.v1.P4Info < "$tmp/maps.bin" > "$tmp/maps.mine.txt"
pc --decode=p4.config.v1.P4Info < "$tmp/maps.bin" > "$tmp/maps.protoc.txt"
"$conv" parse p4.config.v1.P4Info < "$tmp/maps.mine.txt" | pc --decode=p4.config.v1.P4Info > "$tmp/maps.again.txt"
if cmp -s "$tmp/maps.mine.txt" "$tmp/maps.protoc.txt" && cmp -s "$tmp/maps.mine.txt" "$tmp/maps.again.txt"; then
  echo "ok maps (map entries sorted by key)"
else
  echo "FAIL maps:"; diff -u "$tmp/maps.protoc.txt" "$tmp/maps.mine.txt" || true; fail=1
fi

for f in "$fixtures"/*.txtpb; do
  type=$(sed -n 's/^# type: //p' "$f" | head -n1)
  "$conv" parse "$type" < "$f" > "$tmp/fx.mine.bin"
  pc --encode="$type" < "$f" > "$tmp/fx.protoc.bin"
  if cmp -s "$tmp/fx.mine.bin" "$tmp/fx.protoc.bin"; then
    echo "ok $(basename "$f") ($type)"
  else
    echo "FAIL $(basename "$f"): p4lab and protoc encode it differently"; fail=1
  fi
done
exit $fail
