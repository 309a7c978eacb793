#!/usr/bin/env bash
# Builds p4lab (release build in build/) and runs the quick-start lab: two
# hosts pinging each other through one p4lab switch running
# examples/quickstart/quickstart.p4. Extra arguments go to `p4lab run`;
# without any, the lab runs `pingall` and exits.  `--shell` opens the shell.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh

if [ ! -f build/build.ninja ]; then
  meson setup build --buildtype=release >/dev/null
fi
if ! meson compile -C build >build.log 2>&1; then
  cat build.log >&2
  echo "demo: the build failed (log above, also in build.log)" >&2
  exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "demo: a lab creates network namespaces and needs root; run: sudo $0 $*" >&2
  exit 1
fi

lab=examples/quickstart/lab.yaml
case "${1:-}" in
  "")      exec build/src/cli/p4lab run "$lab" -c pingall ;;
  --shell) exec build/src/cli/p4lab run "$lab" ;;
  *)       exec build/src/cli/p4lab run "$lab" "$@" ;;
esac
