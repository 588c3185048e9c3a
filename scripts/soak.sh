#!/usr/bin/env bash
# soak.sh [MINUTES] [soak options...] - the long run (not part of meson test):
# every back-end in turn on a 1024x1024 soup, switching every few
# generations, for MINUTES (default 10), each turn checked against
# 'sequential' and the final hash against a fresh sequential run.
# Builds tests/soak in ./build (the README's build directory) if needed.
# Extra options go to the program: see 'build/tests/soak --help'.
# Exit 0 when it passed.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
shift || true
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build tests/soak >/dev/null
exec build/tests/soak --minutes "$minutes" "$@"
