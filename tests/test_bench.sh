#!/bin/sh
# test_bench.sh - smoke test of 'glider bench': a row per back-end, every
# back-end that ran ends on sequential's grid, the JSON parses with the keys
# documented in doc/bench.md, bad options exit 2, and --vs-golly agrees with
# bgolly (and notices when it does not, through a fake bgolly).  Timings are
# never asserted: they are benchmarks, not tests.
# Usage: test_bench.sh PATH/TO/glider
set -u
glider=${1:?usage: test_bench.sh GLIDER}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

backends=$("$glider" backends | awk '{print $1}')
[ -n "$backends" ] || fail "'glider backends' listed nothing"

# 1. The table: one row per registered back-end (64x64 lets the cell-granular
#    ones in), each "same" or "unavailable: <why>"; none DIFFERENT.
"$glider" bench --sizes 64 --runs 1 -g 5 >"$tmp/table.txt" 2>"$tmp/err.txt"
rc=$?
cat "$tmp/table.txt"
[ $rc -eq 0 ] || { cat "$tmp/err.txt" >&2; fail "bench exited $rc"; }
for name in $backends; do
    n=$(grep -c "^$name " "$tmp/table.txt")
    [ "$n" -eq 1 ] || fail "$n rows for $name, want 1"
    row=$(grep "^$name " "$tmp/table.txt")
    case "$row" in
    *" 64x64 "*" 5 "*" same"*) ;;
    *"unavailable: "*) echo "note: $name is unavailable" ;;
    *) fail "row for $name: $row" ;;
    esac
done
grep -q "^sequential .* same" "$tmp/table.txt" || fail "sequential did not run"
grep -q "^sequential .* same (short: under 10 ms timed, noisy; give more -g)$" "$tmp/table.txt" ||
    fail "5 generations of 64x64 were not marked short"

grep -q DIFFERENT "$tmp/table.txt" && fail "a back-end ended on a different grid"

# 2. --json, two thread counts, a size that is not square.
"$glider" bench --sizes 48x33 --runs 2 -g 4 -j 1,2 --json >"$tmp/t.json" ||
    fail "bench --json exited $?"
# shellcheck disable=SC2086
python3 - "$tmp/t.json" $backends <<'EOF' || fail "bench --json output"
import json, sys
d = json.load(open(sys.argv[1]))
names = sys.argv[2:]
for k in ("command", "soup_density", "seed", "rule", "topology", "runs",
          "cpus", "load", "all_same", "results"):
    assert k in d, k
assert d["all_same"] is True and d["runs"] == 2 and d["rule"] == "B3/S23"
rows = d["results"]
for r in rows:
    for k in ("backend", "threads", "kernel", "width", "height", "status"):
        assert k in r, (k, r)
    assert (r["width"], r["height"]) == (48, 33), r
    if r["status"] == "ok":
        for k in ("generations", "median_seconds", "min_seconds", "max_seconds",
                  "create_seconds", "cell_updates_per_second",
                  "ratio_to_sequential", "population", "hash",
                  "same_as_sequential"):
            assert k in r, (k, r)
        assert r["generations"] == 4 and r["same_as_sequential"] is True, r
        # 4 generations of 48x33 take microseconds (thread-per-cell
        # aside): a time within the machine's noise, and said so.
        assert r["short_timing"] == (r["median_seconds"] < 0.01), r
        if r["backend"] == "sequential":
            assert r["short_timing"] is True, r
    else:
        assert r["status"] == "unavailable" and r["reason"], r
for n in names:
    mine = [r for r in rows if r["backend"] == n]
    assert mine, "no row for " + n
    if n not in ("sequential", "thread-per-cell"):
        assert sorted(r["threads"] for r in mine) == [1, 2], (n, mine)
seq = [r for r in rows if r["backend"] == "sequential"]
assert len(seq) == 1 and seq[0]["status"] == "ok", seq
assert seq[0]["ratio_to_sequential"] == 1 and seq[0]["threads"] == 1, seq
EOF

# 3. --kernels, --backends and --stats.
"$glider" bench --sizes 32 --runs 1 -g 2 --backends sequential --kernels reference \
    --stats >"$tmp/k.txt" || fail "bench --kernels reference exited $?"
grep -q "^sequential .* reference .* same" "$tmp/k.txt" || fail "kernel row: $(cat "$tmp/k.txt")"
grep -q "^    generations" "$tmp/k.txt" || fail "--stats printed no statistics"
[ "$(grep -c ' 32x32 ' "$tmp/k.txt")" -eq 1 ] || fail "--backends sequential: $(cat "$tmp/k.txt")"

# 4. Bad options are usage errors (exit 2).
for args in "--sizes 0" "--sizes 64x" "--sizes 64,,x" "--kernels nosuch" \
    "--backends nosuch" "-j 1,0" "-j 1,x" "--runs 0"; do
    # shellcheck disable=SC2086
    "$glider" bench $args >/dev/null 2>&1
    rc=$?
    [ $rc -eq 2 ] || fail "bench $args: exit $rc, want 2"
done

# 4b. Lists with a hole or a repeated case, and -g 0, are refused with a
#     message naming the option: '64,,64' and '-j 1,,2' ran with the hole
#     skipped, '64,64' timed one case twice, and -g 0 ran up to 1,000,000
#     generations (doc/bench.md: "with -g every case runs exactly N").
refused() { # WANT ARGS...: 'glider bench ARGS' exits 2 saying WANT
    want=$1
    shift
    "$glider" bench --runs 1 "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc -eq 2 ] || fail "bench $*: exit $rc, want 2 ($(cat "$tmp/err"))"
    grep -qF -- "$want" "$tmp/err" || fail "bench $*: stderr lacks '$want': $(cat "$tmp/err")"
}
refused "-g 0: nothing to time" --sizes 64 --backends sequential -g 0
refused "-g 0: nothing to time" --sizes 32 --backends sequential --generations 0 --vs-golly
refused "--sizes: empty item in '64,,64'" --sizes 64,,64 --backends sequential -g 1
refused "--sizes: empty item in '64,'" --sizes 64, --backends sequential -g 1
refused "--sizes: '64' is listed twice" --sizes 64,64 --backends sequential -g 1
refused "--sizes: '64x64' is listed twice (as '64' and '64x64')" --sizes 64,32,64x64 \
    --backends sequential -g 1
refused "--threads: empty item in '1,,2'" --sizes 32 --backends thread-pool -j 1,,2 -g 1
refused "--threads: empty item in ',2'" --sizes 32 --backends thread-pool -j ,2 -g 1
refused "--threads: '01' is listed twice (as '1' and '01')" --sizes 32 \
    --backends thread-pool -j 1,2,01 -g 1
refused "--backends: empty item in 'sequential,'" --sizes 32 --backends sequential, -g 1
refused "--backends: 'thread-pool' is listed twice" --sizes 32 \
    --backends thread-pool,sequential,thread-pool -j 1 -g 1
refused "--backend: 'sequential' is listed twice" --sizes 32 -b sequential,sequential -g 1
refused "--kernels: empty item in 'reference,,scalar'" --sizes 32 --backends sequential \
    --kernels reference,,scalar -g 1
refused "--kernels: 'reference' is listed twice" --sizes 32 --backends sequential \
    --kernels reference,scalar,reference -g 1
# ... while distinct items still run, one row each.
"$glider" bench --sizes 32,32x16 --backends sequential --kernels reference,scalar \
    --runs 1 -g 1 >"$tmp/l.txt" || fail "bench with distinct list items exited $?"
[ "$(grep -c "^sequential " "$tmp/l.txt")" -eq 4 ] || fail "distinct items: $(cat "$tmp/l.txt")"

# 5. --vs-golly without bgolly: a clear note, not a failure.
out=$(GLIDER_BGOLLY=/nonexistent/bgolly "$glider" bench --vs-golly --sizes 32 -g 2 --runs 1) ||
    fail "--vs-golly without bgolly exited $?"
case "$out" in *"bgolly not found"*) ;; *) fail "no note without bgolly: $out" ;; esac

# 6. A fake bgolly that ends on one cell: both cases must be flagged, exit 1.
cat >"$tmp/fakegolly" <<'EOF'
#!/bin/sh
out=
while [ $# -gt 0 ]; do
    case "$1" in -o) out=$2; shift ;; -m) gens=$2; shift ;; esac
    shift
done
printf 'x = 1, y = 1, rule = B3/S23\no!\n' >"$out"
printf '0.01 0\n0.02 %s\n' "$gens"
EOF
chmod +x "$tmp/fakegolly"
GLIDER_BGOLLY=$tmp/fakegolly "$glider" bench --vs-golly --sizes 32 -g 3 --runs 1 \
    --backends sequential >"$tmp/fake.txt"
rc=$?
[ $rc -eq 1 ] || fail "a disagreeing bgolly gave exit $rc, want 1"
[ "$(grep -c DIFFERENT "$tmp/fake.txt")" -eq 2 ] || fail "fake bgolly not flagged: $(cat "$tmp/fake.txt")"

# 7. --vs-golly with the real bgolly, when installed: same cells in both cases.
bgolly=$(command -v bgolly || true)
[ -n "$bgolly" ] || [ ! -x /usr/bin/bgolly ] || bgolly=/usr/bin/bgolly
if [ -z "$bgolly" ]; then
    echo "note: bgolly not installed, --vs-golly against Golly not tested"
    exit 0
fi
"$glider" bench --vs-golly --sizes 40x36 -g 12 --runs 1 --backends sequential \
    >"$tmp/g.txt" || { cat "$tmp/g.txt"; fail "--vs-golly exited $?"; }
cat "$tmp/g.txt"
[ "$(grep -c 'same (population' "$tmp/g.txt")" -eq 2 ] || fail "--vs-golly rows"
"$glider" bench --vs-golly --sizes 35x33 -g 7 --runs 1 --backends sequential --json \
    >"$tmp/g.json" || fail "--vs-golly --json exited $?"
python3 - "$tmp/g.json" <<'EOF' || fail "--vs-golly --json output"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["bgolly"] and d["algorithm"] == "QuickLife", d
rows = d["results"]
assert sorted(r["case"] for r in rows) == ["pulsars", "soup"], rows
for r in rows:
    for k in ("width", "height", "generations", "backend", "glider_median_seconds",
              "glider_cell_updates_per_second", "bgolly_seconds",
              "bgolly_wall_seconds", "bgolly_zero_generation_seconds",
              "bgolly_own_seconds", "bgolly_cell_updates_per_second", "ratio",
              "glider_population", "bgolly_population"):
        assert k in r, (k, r)
    assert r["same_population"] is True and r["same_cells"] is True, r
    assert r["generations"] == 7, r
soup = [r for r in rows if r["case"] == "soup"][0]
assert (soup["width"], soup["height"]) == (35, 33), soup
pul = [r for r in rows if r["case"] == "pulsars"][0]
assert (pul["width"], pul["height"]) == (32, 32), pul
assert d["all_same"] is True
EOF
echo "test_bench: ok"
