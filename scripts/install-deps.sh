#!/usr/bin/env bash
# Installs the Debian 12 packages p4lab needs to build, test and run.
# Idempotent: when every package is present it prints nothing and exits 0.
# Called by README's two commands (and so by .ci/run); safe to run by hand.
set -euo pipefail

packages=(
  # build
  gcc meson ninja-build pkg-config
  # libraries
  libjansson-dev libyaml-dev libmnl-dev liburcu-dev libreadline-dev
  # P4Info / P4Runtime: protobuf-c messages over the gRPC core library
  libprotobuf-c-dev protobuf-c-compiler libprotobuf-dev libgrpc-dev
  # tests: protoc interop of the text format, Python gRPC stubs against the server
  protobuf-compiler protobuf-compiler-grpc python3-grpcio python3-protobuf
  # the emulator's hosts and the tests' tools
  iproute2 iputils-ping procps
  # benchmarks
  iperf3
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
