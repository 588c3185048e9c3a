#!/usr/bin/env bash
# run.sh - builds the libFuzzer targets with clang and runs each for a bounded
# time.  Any crash, leak, timeout or out-of-memory input found is copied into
# tests/fuzz/regressions/<target>/ (commit it: the 'fuzz-replay-<target>' Meson
# test replays it from then on) and the script exits 1.
#
# usage: tests/fuzz/run.sh [-t SECONDS] [-b BUILDDIR] [TARGET...]
#   -t SECONDS   time per target (default 60); the targets run one after another
#   -b BUILDDIR  clang build directory (default build-fuzz in the source tree)
#   TARGET       rle json cells life106 macrocell rule cli (default: all)
# Environment: FUZZ_JOBS=N runs N fuzzing processes per target (default 1).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
secs=60
build="$src/build-fuzz"
while getopts "t:b:" opt; do
  case $opt in
  t) secs=$OPTARG ;;
  b) build=$OPTARG ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(rle json cells life106 macrocell rule cli)

command -v clang >/dev/null || { echo "run.sh: clang is not installed (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$src" -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$build" $(printf 'tests/fuzz/fuzz_%s ' "${targets[@]}") >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
status=0
for t in "${targets[@]}"; do
  work="$build/fuzz-work/$t"         # the growing corpus (not committed)
  art="$build/fuzz-artifacts/$t/"    # crash-*, leak-*, timeout-*, oom-*
  mkdir -p "$work" "$art" "$here/regressions/$t"
  rm -f "$art"/*
  dict=()
  [ -f "$here/dict/$t.dict" ] && dict=(-dict="$here/dict/$t.dict")
  echo "== fuzz $t for ${secs}s"
  log="$build/fuzz-$t.log"
  rc=0
  "$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=20 \
    -rss_limit_mb=3072 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$art" "${dict[@]}" \
    ${FUZZ_JOBS:+-jobs=$FUZZ_JOBS -workers=$FUZZ_JOBS} \
    "$work" "$here/seeds/$t" "$here/regressions/$t" >"$log" 2>&1 || rc=$?
  grep -E '^(stat::number_of_executed_units|stat::new_units_added|stat::peak_rss_mb|Done)' "$log" | tr '\n' ' ' || true
  echo
  # slow-unit-* files are inputs over 10 s: reported, not failures.
  slow=$(find "$art" -maxdepth 1 -type f -name 'slow-unit-*' | wc -l)
  [ "$slow" -eq 0 ] || echo "   ($slow slow input(s) over 10 s kept in $art)"
  found=$(find "$art" -maxdepth 1 -type f ! -name 'slow-unit-*' | wc -l)
  if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
    status=1
    echo "!! fuzz $t: exit $rc, $found input(s) found; log: $log" >&2
    grep -E -A30 'ERROR: |fuzz check failed|runtime error|deadly signal' "$log" | head -60 >&2 || tail -40 "$log" >&2
    for f in "$art"/*; do
      [ -f "$f" ] || continue
      case $(basename "$f") in slow-unit-*) continue ;; esac
      cp "$f" "$here/regressions/$t/"
      echo "!! kept as tests/fuzz/regressions/$t/$(basename "$f")" >&2
    done
  fi
done
exit $status
