#!/usr/bin/env bash
# bench_figures.sh [OUTDIR] - every benchmark the README quotes, in one
# session, each output kept (OUTDIR, default ./bench-figures, one file per
# topic, each command written before its output).  About 15 minutes on 2
# cores; run it on an otherwise idle machine.  Builds ./build if needed.
# The medians and ranges in README.md and doc/bench.md are taken over the
# invocations of each command.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build glider >/dev/null
G=$(pwd)/build/glider
out=${1:-bench-figures}
mkdir -p "$out"
cd "$out"
rm -f ./*.txt

# run FILE ARGS...: appends "$ glider ARGS" and its output to FILE.txt.
run() {
  local name=$1
  shift
  echo "\$ ${PREFIX:-}glider $*" >>"$name.txt"
  "$G" "$@" >>"$name.txt" 2>&1 || echo "(exit $?)" >>"$name.txt"
}

for _ in 1 2 3 4 5; do
  run kernels bench --sizes 2048 --backends sequential --kernels scalar,avx2,avx512 --runs 7
done
for _ in 1 2 3; do
  run b4096 bench --sizes 4096 --kernels avx512,scalar \
    --backends sequential,worker-queue,thread-pool,process-pool -j 1,2 --runs 5
done
for _ in 1 2 3; do
  run b2048_8192 bench --sizes 2048,8192 --kernels avx512 \
    --backends sequential,thread-pool -j 1,2 --runs 5
done
for _ in 1 2 3; do
  run b64 bench --sizes 64 --backends sequential,thread-pool -j 1,2 --runs 5
done
for _ in 1 2 3; do
  run golly bench --vs-golly --sizes 2048 -g 500 --runs 3
done
for _ in 1 2; do
  run gpt1 bench --sizes 4096 --backends sequential,worker-queue,thread-pool,process-pool \
    -j 1,2 --gens-per-task 1 --runs 3
done
for _ in 1 2; do
  GLIDER_BAND_TILES=0 PREFIX="GLIDER_BAND_TILES=0 " run tiles0 bench --sizes 4096,2048 \
    --backends sequential,worker-queue,thread-pool -j 1,2 --runs 5
done
run wq1 bench --sizes 512 --backends worker-queue --task-cells 1 --runs 3
run ppcopy bench --sizes 4096 --backends process-pool,thread-pool --ipc copy --runs 3
run tpc bench --sizes 64,256 --backends sequential,thread-per-cell --runs 3 -g 4 --stats
run coro bench --sizes 256,1024 --backends coroutine -j 1,2 --stats --runs 3
echo "bench_figures: outputs in $(pwd)"
