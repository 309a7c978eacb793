#!/bin/sh
# run.sh - bounded fuzz run of p4lab's compiler with clang's libFuzzer.
#   fuzz/run.sh [SECONDS]        (default 600)
# Builds the compiler's libraries with clang, ASan, UBSan and fuzzer coverage
# in build-fuzz/, links fuzz_compile.c, seeds the corpus with the project's
# own P4 programs and runs for SECONDS on one core.  Crashes land in
# build-fuzz/fuzz-findings/.  Installs clang from Debian when it is missing.
set -eu
secs=${1:-600}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
b="$root/build-fuzz"

if ! command -v clang >/dev/null 2>&1; then
	sudo apt-get install -y clang libclang-rt-14-dev
fi
if [ ! -d "$b" ]; then
	CC=clang meson setup "$b" "$root" --buildtype=debug -Dwerror=false \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fsanitize=fuzzer-no-link >/dev/null
fi
ninja -C "$b" src/compiler/libp4lab_compiler.a src/compiler/libp4lab_compiler_ir.a \
	src/compiler/frontend/libp4lab_frontend.a src/p4info/libp4lab_p4info.a \
	src/p4info/libp4lab_p4pb.a src/common/libp4lab_common.a >/dev/null
clang -g -O1 -fsanitize=fuzzer,address,undefined -I"$root/src/compiler" \
	"$here/fuzz_compile.c" -o "$b/fuzz_compile" \
	"$b/src/compiler/libp4lab_compiler.a" "$b/src/compiler/libp4lab_compiler_ir.a" \
	"$b/src/compiler/frontend/libp4lab_frontend.a" "$b/src/p4info/libp4lab_p4info.a" \
	"$b/src/p4info/libp4lab_p4pb.a" "$b/src/common/libp4lab_common.a" \
	-ljansson -lprotobuf-c

corpus="$b/fuzz-corpus"
findings="$b/fuzz-findings"
mkdir -p "$corpus" "$findings"
for f in "$root"/tests/frontend/valid/*.p4 "$root"/tests/compiler/programs/*.p4 \
	 "$root"/tests/frontend/errors/*.p4 "$root"/tests/compiler/errors/*.p4; do
	[ -f "$f" ] && cp -n "$f" "$corpus/" 2>/dev/null || true
done
cd "$findings"
exec "$b/fuzz_compile" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len=16384 -dict="$here/p4.dict" -print_final_stats=1 \
	-artifact_prefix="$findings/" "$corpus"
