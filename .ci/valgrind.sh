#!/usr/bin/env bash
# valgrind.sh - memcheck of 'glider run' on every built back-end: no invalid
# access, no uninitialised use, no leak (definite, indirect or possible), no
# file descriptor left open.  Process-pool runs with --trace-children=yes, so
# the forked workers are checked too.
# usage: .ci/valgrind.sh path/to/glider
set -euo pipefail
glider=${1:?usage: valgrind.sh path/to/glider}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
# Back-ends still placeholders say "(not built yet)" in their summary.
mapfile -t backends < <("$glider" backends | awk '!/not built yet/ {print $1}')
# Each back-end with its defaults, plus the variants with other code paths.
runs=("${backends[@]}")
for b in "${backends[@]}"; do
  case $b in
  process-pool) runs+=("process-pool:--ipc:copy") ;;
  worker-queue) runs+=("worker-queue:--task-cells:1") ;;
  esac
done
for run in "${runs[@]}"; do
  IFS=: read -r -a words <<<"$run"
  b=${words[0]} opts=("${words[@]:1}")
  size=192x192 gens=30 extra=()
  case $b in
  thread-per-cell) size=32x32 gens=4 ;;  # a thread per cell: slow under valgrind
  coroutine) size=64x64 gens=6 ;;
  process-pool) extra=(--trace-children=yes) ;;
  esac
  [ "$b" = worker-queue ] && [ ${#opts[@]} -gt 0 ] && size=48x48 gens=4
  b=$(IFS=_; echo "${words[*]}")   # the log name: back-end and options
  log="$out/$b.%p.log"
  t0=$SECONDS
  rc=0
  valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
    --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible \
    --track-fds=yes --child-silent-after-fork=no "${extra[@]}" \
    --log-file="$log" \
    "$glider" run -b "${words[0]}" "${opts[@]}" -j 2 --soup 0.35 --seed 7 \
      --size "$size" -g "$gens" -o "$out/$b.rle" -q || rc=$?
  # Descriptors open at exit that were not inherited (0-2 and valgrind's log
  # are inherited), and memcheck errors; the workers of process-pool are
  # killed at the end, so their logs have no summary: count their error lines.
  fds=$(cat "$out/$b".*.log | awk '
    /Open file descriptor [0-9]+:/ { pending = 1; next }
    pending { if ($0 !~ /inherited from parent/) n++; pending = 0 }
    END { print n + 0 }')
  errs=$(cat "$out/$b".*.log | grep -c -E "^==[0-9]+== (Invalid (read|write|free)|Conditional jump|Use of uninitialised|Syscall param|Mismatched free|Source and destination overlap|Process terminating|Argument .* of function)" || true)
  leaks=$(grep -h -E "(definitely|indirectly|possibly) lost: [1-9]" "$out/$b".*.log | wc -l || true)
  errs=$((errs + leaks))
  printf '   %-28s exit %d, %d error(s), %d extra open fd(s), %ds (%d process log(s))\n' \
    "$b" "$rc" "$errs" "$fds" $((SECONDS - t0)) "$(ls "$out/$b".*.log | wc -l || true)"
  if [ "$rc" -ne 0 ] || [ "$errs" -ne 0 ] || [ "$fds" -ne 0 ]; then
    status=1
    for f in "$out/$b".*.log; do
      echo "---- $f"
      grep -v "^==[0-9]*== *$" "$f" | head -80
    done
  fi
done
[ ${#backends[@]} -gt 0 ] || { echo "valgrind.sh: no back-end listed" >&2; exit 1; }
exit $status
