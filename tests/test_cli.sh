#!/usr/bin/env bash
# test_cli.sh GLIDER - the command line as a user meets it: help, listing,
# run summaries, and bad input (one-line error, exit 2, no crash).
set -u
G=${1:?usage: test_cli.sh path/to/glider}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
passes=0

ok() { passes=$((passes + 1)); echo "ok   $1"; }
bad() { fails=$((fails + 1)); echo "FAIL $1"; }

# expect_fail NAME CODE SUBSTRING -- ARGS...: exit status CODE, one stderr
# line containing SUBSTRING.
expect_fail() {
    local name=$1 code=$2 sub=$3
    shift 4
    "$G" "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    if [ "$rc" -ne "$code" ]; then
        bad "$name: exit $rc, want $code ($(head -c 300 "$T/err"))"
    elif ! grep -qF -- "$sub" "$T/err"; then
        bad "$name: stderr lacks '$sub': $(head -c 300 "$T/err")"
    elif [ "$(grep -vc '^glider: warning' "$T/err")" -ne 1 ]; then
        bad "$name: expected one error line, got: $(cat "$T/err")"
    else
        ok "$name"
    fi
}

# --help documents every long option the parser knows.
if "$G" --help >"$T/help" 2>&1; then
    missing=""
    for opt in backend threads generations size topology rule soup seed output \
               json stats quiet kernel task-cells gens-per-task max-live-threads ipc \
               coroutines sizes backends kernels runs vs-golly scale fps speed \
               fullscreen paused headless frames screenshot script version help; do
        grep -q -- "--$opt" "$T/help" || missing="$missing $opt"
    done
    [ -z "$missing" ] && ok "help documents every option" || bad "help lacks:$missing"
else
    bad "--help exits non-zero"
fi
"$G" run --help | grep -q "usage" && ok "run --help" || bad "run --help"
"$G" --version | grep -q "^glider [0-9]" && ok "version" || bad "version"

# backends: six, one line each, sequential first.
n=$("$G" backends | wc -l)
[ "$n" -eq 6 ] && ok "backends lists six" || bad "backends lists $n"
"$G" backends | head -1 | grep -q "^sequential" && ok "sequential is default" || bad "default"

# run --json: parseable, with the documented keys and a consistent population.
if "$G" run --soup 0.35 --seed 9 --size 67x45 -g 20 --json >"$T/run.json" 2>"$T/err"; then
    if python3 - "$T/run.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
need = ["backend", "width", "height", "topology", "rule", "generations",
        "population", "seconds", "cell_updates_per_second", "hash"]
missing = [k for k in need if k not in d]
assert not missing, missing
assert d["width"] == 67 and d["height"] == 45 and d["generations"] == 20, d
assert d["rule"] == "B3/S23" and d["topology"] == "torus", d
assert 0 < d["population"] < 67 * 45, d
PY
    then ok "run --json"; else bad "run --json: $(cat "$T/run.json")"; fi
else
    bad "run --json failed: $(cat "$T/err")"
fi

# The same seed gives the same soup and the same result; another seed differs.
h1=$("$G" run --soup 0.4 --seed 5 --size 80x50 -g 30 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["hash"])')
h2=$("$G" run --soup 0.4 --seed 5 --size 80x50 -g 30 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["hash"])')
h3=$("$G" run --soup 0.4 --seed 6 --size 80x50 -g 30 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["hash"])')
[ "$h1" = "$h2" ] && [ "$h1" != "$h3" ] && ok "soups are reproducible" || bad "soup hashes $h1 $h2 $h3"

# -o saves the final universe; running the saved file 0 generations gives
# back the same hash.
if "$G" run --soup 0.4 --seed 3 --size 90x33 --topology plane -g 12 -o "$T/final.rle" --json >"$T/a.json" 2>"$T/err"; then
    if "$G" run "$T/final.rle" -g 0 --json >"$T/b.json" 2>"$T/err2"; then
        ha=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hash"])' "$T/a.json")
        hb=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["hash"], d["topology"], d["width"], d["height"])' "$T/b.json")
        [ "$hb" = "$ha plane 90 33" ] && ok "-o round trip" || bad "-o round trip: $ha vs $hb"
    else
        bad "reloading -o output: $(cat "$T/err2")"
    fi
else
    bad "run -o: $(cat "$T/err")"
fi

# -o through a symbolic link writes the file it names (the link stays a
# link, a dangling one is followed), and an existing file keeps its mode.
mkdir -p "$T/links/sub"
echo old >"$T/links/sub/target.rle"
ln -s sub/target.rle "$T/links/link.rle"
ln -s sub/new.rle "$T/links/dangling.rle"
printf 'x\n' >"$T/links/private.rle"
chmod 600 "$T/links/private.rle"
for f in link dangling private; do
    "$G" run --soup 0.4 --size 20x20 -g 1 -q -o "$T/links/$f.rle" 2>"$T/err" ||
        bad "-o $f.rle: $(cat "$T/err")"
done
if [ -L "$T/links/link.rle" ] && [ -L "$T/links/dangling.rle" ] &&
    grep -q '^x = 20, y = 20' "$T/links/sub/target.rle" "$T/links/sub/new.rle" &&
    [ "$(grep -c '^x = 20, y = 20' "$T/links/sub/target.rle" "$T/links/sub/new.rle" | grep -c ':1')" = 2 ] &&
    [ "$(stat -c %a "$T/links/private.rle")" = 600 ] &&
    [ -z "$(find "$T/links" -name '*.tmp*')" ]; then
    ok "-o through symbolic links and over a mode-600 file"
else
    bad "-o through links: $(ls -lR "$T/links" | tr '\n' ' ')"
fi

# A pattern without a universe runs in one Glider sizes to fit it: when it
# reaches that universe's edge (a glider, from the middle of a 67x67 torus,
# at generation 125 exactly: 31 cells at c/4) the run says so, as it then
# differs from Golly's unbounded plane.
printf 'x = 3, y = 3\nbo$2bo$3o!\n' >"$T/free.rle"
"$G" run "$T/free.rle" -g 400 >/dev/null 2>"$T/err"
"$G" run "$T/free.rle" -g 125 >/dev/null 2>>"$T/err"
[ "$(grep -c 'note: the pattern reached the edge of the 67x67 torus Glider chose for it at generation 125; .* wraps around' "$T/err")" = 2 ] &&
    ok "edge note for a pattern that outgrows its chosen universe, at the exact generation" ||
    bad "edge note: $(cat "$T/err")"
"$G" run "$T/free.rle" -g 124 >/dev/null 2>"$T/err"
"$G" run "$T/free.rle" -g 400 --size 50x50 >/dev/null 2>>"$T/err"
"$G" run "$T/free.rle" -g 400 -q 2>>"$T/err"
printf 'x = 3, y = 3, rule = B3/S23:T10,10\nbo$2bo$3o!\n' >"$T/bounded.rle"
"$G" run "$T/bounded.rle" -g 40 >/dev/null 2>>"$T/err"
[ -s "$T/err" ] && bad "edge note where none is due: $(cat "$T/err")" ||
    ok "no edge note before the edge, with --size, -q, or a universe the file fixed"

# A back-end option the chosen back-end has no use for is named, not refused.
"$G" run --soup 0.5 --size 8x8 -g 1 -b sequential --task-cells 5 --coroutines 3 >/dev/null 2>"$T/err"
"$G" run --soup 0.5 --size 8x8 -g 1 -b worker-queue --task-cells 5 --gens-per-task 2 -j 2 --kernel scalar >/dev/null 2>>"$T/err"
"$G" run --soup 0.5 --size 8x8 -g 1 -b thread-per-cell -j 2 --kernel scalar >/dev/null 2>>"$T/err"
"$G" run --soup 0.5 --size 8x8 -g 1 -b coroutine -j 2 >/dev/null 2>>"$T/err"
if grep -q 'note: --task-cells is for worker-queue, not sequential: ignored' "$T/err" &&
    grep -q 'note: --coroutines is for coroutine, not sequential' "$T/err" &&
    grep -q 'note: -j is for worker-queue, thread-pool, process-pool and coroutine, not thread-per-cell: ignored' "$T/err" &&
    grep -q 'note: --kernel is for the band back-ends, not thread-per-cell, which steps cell by cell: ignored' "$T/err" &&
    [ "$(wc -l <"$T/err")" = 4 ]; then
    ok "back-end options the back-end does not use are named"
else
    bad "unused back-end options: $(cat "$T/err")"
fi
# ... and so is a universe the file fixes but the options change; -q
# silences every note.
printf 'x = 3, y = 3, rule = B3/S23:T60,36\nbo$2bo$3o!\n' >"$T/t60.rle"
"$G" run "$T/t60.rle" -g 1 --topology plane >/dev/null 2>"$T/err"
"$G" run "$T/t60.rle" -g 1 --rule B3/S23:T70,36 >/dev/null 2>>"$T/err"
if grep -q 'note: the pattern names a 60x36 torus; --size/--topology make it a 60x36 plane' "$T/err" &&
    grep -q "note: the pattern names a 60x36 torus; --rule's suffix makes it a 70x36 torus" "$T/err" &&
    [ "$(wc -l <"$T/err")" = 2 ]; then
    ok "a file's universe changed by the options is named"
else
    bad "a file's universe changed by the options: $(cat "$T/err")"
fi
"$G" run "$T/t60.rle" -g 1 --size 70x36 -b sequential -j 2 --task-cells 3 -q >"$T/out" 2>"$T/err"
[ ! -s "$T/err" ] && [ ! -s "$T/out" ] && ok "-q silences the notes" ||
    bad "-q printed: $(cat "$T/out" "$T/err")"
"$G" run "$T/t60.rle" -g 1 --size 60x36 --topology torus >/dev/null 2>"$T/err"
[ ! -s "$T/err" ] && ok "the same universe, no note" || bad "the same universe noted: $(cat "$T/err")"
# The summary names the threads (or processes) a back-end ran; --size N is NxN.
for c in "sequential:(kernel [a-z0-9]*)" "thread-per-cell:(cell by cell, no kernel, a thread per cell)" \
         "worker-queue:(kernel [a-z0-9]*, 2 threads)" "thread-pool:(kernel [a-z0-9]*, 1 thread)" \
         "process-pool:(kernel [a-z0-9]*, 2 worker processes)" \
         "coroutine:(cell by cell, no kernel, 2 scheduler threads)"; do
    b=${c%%:*}
    j=2; [ "$b" = thread-pool ] && j=1
    "$G" run --soup 0.3 --size 40 -g 1 -b "$b" -j $j >"$T/out" 2>&1
    grep -q "^back-end: *$b ${c#*:}\$" "$T/out" && grep -q '^universe: *40x40 torus$' "$T/out" &&
        ok "summary of $b" || bad "summary of $b: $(cat "$T/out")"
done
# Environment variables with a value that means nothing are named, then
# ignored: the run goes on as without them.
want=$("$G" run --soup 0.4 --size 64 -g 9 -b thread-pool -q --json 2>/dev/null | sed -n 's/.*"hash": "\([0-9a-f]*\)".*/\1/p')
for e in GLIDER_KERNEL=avx9 GLIDER_BAND_GENS=abc GLIDER_BAND_GENS=0 GLIDER_BAND_GRAIN=-3 \
         GLIDER_BAND_TILES=no GLIDER_BAND_CALL_MS=1e3; do
    got=$(env "$e" "$G" run --soup 0.4 --size 64 -g 9 -b thread-pool --json 2>"$T/err" |
        sed -n 's/.*"hash": "\([0-9a-f]*\)".*/\1/p')
    if [ -n "$want" ] && [ "$got" = "$want" ] && grep -q "^glider: ${e%%=*}: .*'${e#*=}'\|^glider: ${e%%=*}: .*${e#*=}" "$T/err"; then
        ok "$e is named and ignored"
    else
        bad "$e: hash '$got' (want '$want'), stderr: $(cat "$T/err")"
    fi
done
# A soup with a pattern replaces the pattern's cells (the file gives the
# universe and rule): the summary names the soup, not the pattern.
if "$G" run glider --soup 0 -g 0 --json 2>"$T/err" |
    grep -q '"pattern": "soup 0 seed 1 in the universe of Glider",.*"initial_population": 0,'; then
    ok "a soup replaces the pattern, and says so"
else
    bad "soup over a pattern: $("$G" run glider --soup 0 -g 0 --json 2>&1)"
fi

# Bad input: one line, exit 2.
expect_fail "unknown back-end" 2 "no-such" -- run --soup 0.5 -b no-such
expect_fail "absurd size" 2 "65536" -- run --soup 0.5 --size 70000x10
expect_fail "size syntax" 2 "WxH" -- run --soup 0.5 --size 10by10
expect_fail "zero size" 2 "--size 0x5: width and height must be 1..65536" -- run --soup 0.5 --size 0x5
if "$G" run acorn -b sequential -j 7 --json -g 1 | grep -q '"threads": 1,'; then
    ok "sequential reports one thread whatever -j says"
else
    bad "sequential reports one thread whatever -j says"
fi
# --rule takes what files take: Golly's name "Life", and a bounded-grid
# suffix, which names the universe (and must agree with --size/--topology).
if "$G" run glider --rule 'Life:T100,80' -g 4 --json >"$T/r.json" 2>"$T/err" &&
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not (d["width"], d["height"], d["topology"], d["rule"]) == (100, 80, "torus", "B3/S23"))' "$T/r.json"; then
    ok "--rule Life:T100,80 names the universe"
else
    bad "--rule Life:T100,80 names the universe: $(cat "$T/r.json" "$T/err")"
fi
expect_fail "--rule suffix vs --size" 2 "--rule names a 30x30 plane, but --size/--topology say otherwise" -- run glider --rule B3/S23:P30 --size 20x20
expect_fail "--rule Klein bottle" 2 "the Klein bottle topology (':K') is not supported" -- run glider --rule B3/S23:K10,10
# An option the command has no use for is refused, naming the commands it
# is for, rather than ignored.
expect_fail "view -g" 2 "option '-g' is for glider run or bench, not glider view" -- view -g 10 --headless
expect_fail "run --speed" 2 "option '--speed' is for glider view, not glider run" -- run glider --speed=5
expect_fail "run --sizes" 2 "option '--sizes' is for glider bench, not glider run" -- run glider --sizes 64
expect_fail "convert -j" 2 "option '-j' is for glider view, run or bench, not glider convert" -- convert glider "$T/x.rle" -j 2
expect_fail "view -o" 2 "option '-o' is for glider run, not glider view" -- -o "$T/x.rle" --frames 2 --headless
expect_fail "bench -qo (a cluster)" 2 "option '-o' is for glider run, not glider bench" -- bench -qo "$T/x.rle"
expect_fail "view -qb (a cluster)" 2 "option '-q' is for glider run, bench, convert or patterns, not glider view" -- view -qb sequential
# run -o keeps the loaded pattern's name, author and comments.
if "$G" run gosper-glider-gun -g 30 -o "$T/gun.rle" -q 2>"$T/err" &&
    grep -qx "#N Gosper glider gun" "$T/gun.rle" && grep -qx "#O Bill Gosper" "$T/gun.rle"; then
    ok "run -o keeps the pattern's name and author"
else
    bad "run -o keeps the pattern's name and author: $(head -3 "$T/gun.rle" 2>&1) $(cat "$T/err")"
fi
# ... but not for a --soup, which replaces the pattern.
if "$G" run gosper-glider-gun --soup 0.3 -g 1 -o "$T/soup.rle" -q && ! grep -q "^#[NO]" "$T/soup.rle"; then
    ok "run --soup -o saves no pattern name"
else
    bad "run --soup -o saves no pattern name: $(head -3 "$T/soup.rle" 2>&1)"
fi
# --size smaller than the library pattern's own universe: a glider (origin
# (10, 10) in its 64x64 file) goes in the middle of a 5x5 torus, with a note,
# and is still a glider 20 generations later (5 cells, same shape).
if "$G" run glider --size 5x5 -g 20 --json >"$T/g.json" 2>"$T/err" &&
    grep -q "note: the pattern's origin (10, 10) is outside a 5x5 universe: centred" "$T/err" &&
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["population"] != 5)' "$T/g.json"; then
    ok "--size centres a pattern whose origin does not fit"
else
    bad "--size centres a pattern whose origin does not fit: $(cat "$T/err")"
fi
expect_fail "pattern larger than --size" 2 "outside the 2x2 universe (pattern is 3x3, its origin (10, 10))" -- run glider --size 2x2
expect_fail "threads 0" 2 "--threads" -- run --soup 0.5 -j 0
expect_fail "threads 2000" 2 "1024" -- run --soup 0.5 -j 2000
expect_fail "gens-per-task 0" 2 "--gens-per-task" -- run --soup 0.5 --gens-per-task 0

# Band tasks of several generations end where sequential does, and the JSON
# summary names the thread count the back-end really used.
hash_of() { "$G" run --json "$@" | sed -n 's/.*"hash": "\([0-9a-f]*\)".*/\1/p'; }
want=$(hash_of --soup 0.4 --seed 5 --size 300x200 --topology plane -g 77)
for args in "-b thread-pool --gens-per-task 5" "-b worker-queue --gens-per-task 3" \
            "-b thread-pool -j 1" "-b worker-queue --gens-per-task 1"; do
    # shellcheck disable=SC2086
    got=$(GLIDER_BAND_GRAIN=1000 hash_of --soup 0.4 --seed 5 --size 300x200 --topology plane -g 77 $args)
    if [ -n "$want" ] && [ "$got" = "$want" ]; then
        ok "multi-generation tasks ($args) end on sequential's grid"
    else
        bad "multi-generation tasks ($args): hash $got, sequential $want"
    fi
done
if "$G" run --json --soup 0.3 --size 64x64 -g 2 -b thread-pool |
        grep -q '"threads": [1-9]'; then
    ok "run --json reports the default thread count"
else
    bad "run --json: no thread count for the default"
fi
expect_fail "bad rule" 2 "'9'" -- run --soup 0.5 --rule B9/S23
expect_fail "bad topology" 2 "klein" -- run --soup 0.5 --topology klein
expect_fail "bad density" 2 "--soup" -- run --soup 1.5
expect_fail "unknown option" 2 "--frobnicate" -- run --frobnicate
expect_fail "missing value" 2 "needs a value" -- run --size
expect_fail "missing file" 2 "$T/nope.rle" -- run "$T/nope.rle"
mkdir "$T/dir.rle"
expect_fail "directory" 2 "directory" -- run "$T/dir.rle"
: >"$T/empty.rle"
expect_fail "empty file" 2 "empty" -- run "$T/empty.rle"
printf 'x = 3, y = 3, rule = B3/S23\nbo$2bo$3%%!\n' >"$T/bad.rle"
expect_fail "malformed RLE located" 2 "$T/bad.rle:2:" -- run "$T/bad.rle"
expect_fail "run needs a pattern" 2 "PATTERN" -- run
expect_fail "bad kernel" 2 "kernel" -- run --soup 0.5 --kernel nonsense
expect_fail "convert needs two files" 2 "convert" -- convert a.rle

# A rule giving only B or only S is read as Golly reads it: B234 is B234/S,
# S23 is B/S23 (it was refused: "unexpected end, expected '/S...'"), in any
# case, from --rule and from every kind of file, and printed canonically.
rule_of() { "$G" run "$@" -g 0 --json 2>"$T/err" | sed -n 's/.*"rule": "\([^"]*\)".*/\1/p'; }
printf 'x = 2, y = 2, rule = b234\n2o$2o!\n' >"$T/b.rle"
printf '#r S23\nx = 2, y = 2\n2o$2o!\n' >"$T/r.rle"
printf '{"rule": "s23", "rows": ["OO", "OO"]}\n' >"$T/s.json"
printf '#Life 1.05\n#R B234\n#P\n**\n**\n' >"$T/rug.lif"
printf '#Life 1.06\n#R S23\n0 0\n1 0\n' >"$T/s.lif"
printf '[M2] (golly 3.3)\n#R B234\n$$$$$$*$.*$\n' >"$T/b.mc"
for c in "B234/S --soup 0.3 --rule B234" "B234/S --soup 0.3 --rule b234:T64,64" \
         "B/S23 --soup 0.3 --rule S23" "B/S23 --soup 0.3 --rule s23:P40,30" \
         "B/S23 --soup 0.3 --rule /S23" "B3/S --soup 0.3 --rule /b3:T9,9" \
         "B234/S $T/b.rle" "B/S23 $T/r.rle" "B/S23 $T/s.json" "B234/S $T/rug.lif" \
         "B/S23 $T/s.lif" "B234/S $T/b.mc"; do
    want=${c%% *}
    # shellcheck disable=SC2086
    got=$(rule_of ${c#* })
    [ "$got" = "$want" ] && ok "rule of ${c#* } is $want" ||
        bad "rule of ${c#* }: '$got', want $want ($(cat "$T/err"))"
done
# ... and it evolves as bgolly evolves it (the bounded suffix makes both the
# same 64x64 torus): the RLE bodies, without glider's #CXRLE position, agree.
bgolly=$(command -v bgolly || true)
if [ -n "$bgolly" ]; then
    for rule in b234 S23 /S23; do
        printf 'x = 6, y = 4, rule = %s:T64,64\nb2o2bo$2o$4bo$bo2b2o!\n' "$rule" >"$T/in.rle"
        rm -f "$T/glider.rle" "$T/golly.rle"
        "$G" run "$T/in.rle" -g 25 -o "$T/glider.rle" -q 2>"$T/err" &&
            "$bgolly" -m 25 -o "$T/golly.rle" "$T/in.rle" >/dev/null 2>&1 &&
            grep -v '^#' "$T/glider.rle" >"$T/glider.body" &&
            grep -v '^#' "$T/golly.rle" >"$T/golly.body" &&
            grep -q "rule = $(echo "$rule" | sed 's/^\///; s/b234/B234\/S/; s/S23/B\/S23/'):T64,64" "$T/golly.body" &&
            cmp -s "$T/glider.body" "$T/golly.body" &&
            ok "rule $rule evolves as in bgolly" ||
            bad "rule $rule: glider and bgolly differ after 25 generations: $(cat "$T/err" "$T/glider.rle" "$T/golly.rle" 2>&1 | head -c 600)"
    done
else
    echo "note: bgolly not installed, B-only/S-only rules not compared with Golly"
fi
# XLife's '#R x y' does not move a pattern on a bounded grid, as in Golly: a
# glider meets the plane's edge at the same generation in both (the bodies
# differed at generation 30 when Glider placed it by '#R').
if [ -n "$bgolly" ]; then
    printf '#R 3 -7\nx = 3, y = 3, rule = B3/S23:P21,17\nbob$2bo$3o!\n' >"$T/xr.rle"
    same=1
    for n in 10 30 60; do
        "$G" run "$T/xr.rle" -g "$n" -o "$T/glider.rle" -q 2>"$T/err" &&
            "$bgolly" -m "$n" -o "$T/golly.rle" "$T/xr.rle" >/dev/null 2>&1 &&
            [ "$(grep -v '^#' "$T/glider.rle")" = "$(grep -v '^#' "$T/golly.rle")" ] || same=0
    done
    [ "$same" = 1 ] && ok "'#R x y' ignored for placement, as in bgolly" ||
        bad "'#R 3 -7' on :P21,17: glider and bgolly differ: $(cat "$T/err" "$T/glider.rle" "$T/golly.rle" | head -c 400)"
fi
p=/usr/share/golly/Patterns/Life-Like/persian-rugs.lif
if [ -r "$p" ]; then
    [ "$(rule_of "$p")" = "B234/S" ] && ok "Golly's persian-rugs.lif loads" ||
        bad "Golly's persian-rugs.lif: $(cat "$T/err")"
fi
# A bounded-grid size over the limit is quoted as typed, not as a number cut
# short (it said 999999999 and 123456789).
expect_fail "--rule huge width as typed" 2 "bounded grid size 99999999999 is over the limit of 65536" -- run --soup .3 --rule 'B3/S23:T99999999999,5'
expect_fail "--rule huge size as typed" 2 "bounded grid size 123456789012345 is over" -- run --soup .3 --rule 'B3/S23:T123456789012345'

# --help's -j default is true of every back-end: coroutine runs 1 scheduler.
"$G" --help | grep -q "default: online CPUs" && "$G" --help | grep -q "(coroutine: 1;" &&
    ok "--help: -j's default names coroutine's" || bad "--help: -j's default omits coroutine's 1"
"$G" run --soup 0.3 --size 32x32 -g 1 -b coroutine --json | grep -q '"threads": 1,' &&
    ok "coroutine runs 1 scheduler by default" || bad "coroutine's default thread count"

# A file in no format read names every format read (it left out macrocell
# and Life 1.05), e.g. Golly's Lua scripts among its patterns.
printf -- '-- a Golly script\nlocal g = golly()\n' >"$T/loop.lua"
expect_fail "not a pattern names every format" 2 "$T/loop.lua: not a pattern file: expected RLE, JSON, .cells, Life 1.06, Life 1.05 or macrocell (.mc), gzipped or not" -- run "$T/loop.lua"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
