#!/bin/sh
# test_cli_convert.sh GLIDER DATA_DIR PATTERNS_DIR - 'glider convert' and
# 'glider patterns' from the outside: conversions keep the universe (same
# hash), bad input exits 2 with exactly one line on stderr and writes nothing,
# patterns larger than any universe convert but do not run, and the library
# lists and loads by name.
set -u
GLIDER=$1
DATA=$2
PATTERNS=$3
TMP=$(mktemp -d /tmp/glider-convert-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
unset GLIDER_PATTERNS
fails=0

fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

# hash FILE: the universe's hash as 'glider run -g 0' prints it.
hash_of() {
    "$GLIDER" run "$1" -g 0 --json 2>/dev/null |
        sed -n 's/.*"hash": *"\([0-9a-f]*\)".*/\1/p'
}

# bad EXPECTED-SUBSTRING ARGS...: exit status 2, one line on stderr that
# contains the substring, nothing on stdout.
bad() {
    want=$1
    shift
    "$GLIDER" "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    [ "$rc" -eq 2 ] || fail "glider $*: exit $rc, expected 2"
    [ "$(wc -l <"$TMP/err")" -eq 1 ] ||
        fail "glider $*: expected one line on stderr, got: $(cat "$TMP/err")"
    grep -qF -- "$want" "$TMP/err" ||
        fail "glider $*: stderr '$(cat "$TMP/err")' lacks '$want'"
    [ ! -s "$TMP/out" ] || fail "glider $*: wrote to stdout"
}

# ---- Conversions keep the universe ----------------------------------------
for name in glider gosper-glider-gun r-pentomino breeder; do
    src="$PATTERNS/$name.json"
    h0=$(hash_of "$src")
    [ -n "$h0" ] || fail "no hash for $src"
    "$GLIDER" convert "$src" "$TMP/$name.rle" || fail "convert $name to RLE"
    "$GLIDER" convert "$TMP/$name.rle" "$TMP/$name.json" ||
        fail "convert $name back to JSON"
    "$GLIDER" convert "$TMP/$name.json" "$TMP/$name.cells" ||
        fail "convert $name to .cells"
    for f in "$TMP/$name.rle" "$TMP/$name.json"; do
        h=$(hash_of "$f")
        [ "$h" = "$h0" ] || fail "$f: hash $h, expected $h0 as for $src"
    done
    # .cells keeps the cells but not the universe or origin: compare the
    # centred patterns in a fixed universe.
    if [ "$name" = r-pentomino ]; then
        a=$("$GLIDER" run "$src" -g 0 --size 300x200 --json |
            sed -n 's/.*"hash": *"\([0-9a-f]*\)".*/\1/p')
        b=$("$GLIDER" run "$TMP/$name.cells" -g 0 --size 300x200 --json |
            sed -n 's/.*"hash": *"\([0-9a-f]*\)".*/\1/p')
        [ -n "$a" ] && [ "$a" = "$b" ] || fail "$name.cells: hash $b, expected $a"
    fi
done

# A library name works as IN, and a JSON file saved by glider loads again.
"$GLIDER" convert pulsar "$TMP/p.json" || fail "convert pulsar (library name)"
grep -q '"name": "Pulsar"' "$TMP/p.json" || fail "p.json lacks the name"
grep -q '"rows": \[' "$TMP/p.json" || fail "p.json lacks rows"
"$GLIDER" convert breeder "$TMP/b.json" || fail "convert breeder"
grep -q '"rle": \[' "$TMP/b.json" || fail "a large pattern is not saved as rle"

# "-" is standard input, its format told by the content (no warning).
printf '#N from stdin\nx = 3, y = 3\nbo$2bo$3o!\n' |
    "$GLIDER" convert - "$TMP/stdin.json" 2>"$TMP/err" || fail "convert - : $(cat "$TMP/err")"
[ ! -s "$TMP/err" ] || fail "convert - warned: $(cat "$TMP/err")"
grep -q '"name": "from stdin"' "$TMP/stdin.json" || fail "convert - lost the name"
"$GLIDER" run - -g 4 <"$TMP/stdin.json" | grep -q "^population: *5" || fail "run - < file"
printf 'x = 3, y = 1\nbok!\n' | "$GLIDER" convert - "$TMP/x.rle" 2>"$TMP/err"
[ $? = 2 ] && grep -q '^glider: <stdin>:2:3: unexpected' "$TMP/err" || fail "bad stdin: $(cat "$TMP/err")"

# Content sniffing: RLE in a .txt file converts with a warning.
printf 'x = 3, y = 3\nbo$2bo$3o!\n' >"$TMP/g.txt"
"$GLIDER" convert "$TMP/g.txt" "$TMP/g.json" 2>"$TMP/err" ||
    fail "convert g.txt"
grep -q 'warning: .*g.txt looks like RLE' "$TMP/err" ||
    fail "no sniffing warning: $(cat "$TMP/err")"
# The content overrules the extension only when it is sure: a .cells file
# under .rle (its '!' comment first) reads as .cells; random bytes named
# .cells are reported as a bad .cells file, not "read as RLE"; a .lif of a
# version Glider lacks is named so by the Life reader.
printf '!Name: g\n.O\nOO\n' >"$TMP/c.rle"
"$GLIDER" convert "$TMP/c.rle" "$TMP/c.json" 2>"$TMP/err" || fail "convert c.rle: $(cat "$TMP/err")"
grep -q 'c.rle looks like plaintext .cells' "$TMP/err" || fail "c.rle: $(cat "$TMP/err")"
grep -q '"OO"' "$TMP/c.json" || fail "c.rle was not read as .cells"
head -c 3000 /dev/zero | tr '\0' '\255' >"$TMP/garbage.cells"
bad "garbage.cells:1:1: unexpected" convert "$TMP/garbage.cells" "$TMP/x.rle"
grep -q 'looks like' "$TMP/err" && fail "garbage.cells: $(cat "$TMP/err")"
printf '#Life 1.07\n0 0\n' >"$TMP/v7.lif"
bad "v7.lif:1:1: expected the header '#Life 1.06' (or '#Life 1.05')" convert "$TMP/v7.lif" "$TMP/x.rle"

# ---- Bad input: exit 2, one line, nothing written -------------------------
bad "missing-comma.json:3:3: expected ',' or '}', got '\"'" \
    convert "$DATA/json/bad/missing-comma.json" "$TMP/x.rle"
[ ! -e "$TMP/x.rle" ] || fail "a failed convert left $TMP/x.rle"
ls "$TMP" | grep -q '\.tmp\.' && fail "a failed convert left a temporary file"
bad "cannot tell the format to write" convert glider "$TMP/x.png"
# run -o: a name it cannot write is refused before the run, not after it
# (2e9 generations of 4096x4096 would take hours).
mkdir "$TMP/d.rle"
for out in "$TMP/x.png" "$TMP/no-dir/x.rle" "$TMP/d.rle"; do
    timeout 60 "$GLIDER" run --soup 0.5 --size 4096x4096 -g 2000000000 -o "$out" \
        >"$TMP/out" 2>"$TMP/err"
    rc=$?
    [ "$rc" -eq 2 ] || fail "run -o $out: exit $rc, expected 2 at once: $(cat "$TMP/err")"
    grep -qE "cannot tell the format to write|cannot create a file in directory '$TMP/no-dir'|d.rle: is a directory, not a file" "$TMP/err" ||
        fail "run -o $out: $(cat "$TMP/err")"
done
ls "$TMP" | grep -q '\.tmp\.' && fail "run -o left a temporary file"
rmdir "$TMP/d.rle"
# A write that fails after that check (here the file size limit; a full disk
# alike) is a runtime failure: exit 1, the reason named, the old file intact
# and no temporary file left.
for ext in rle cells json; do
    echo old >"$TMP/big.$ext"
    (trap '' XFSZ; ulimit -f 4; exec "$GLIDER" run --soup 0.5 --size 256x256 -g 1 \
        -o "$TMP/big.$ext" -q) >"$TMP/out" 2>"$TMP/err"
    rc=$?
    [ "$rc" -eq 1 ] || fail "run -o big.$ext past the size limit: exit $rc, want 1"
    grep -qF "big.$ext: cannot write" "$TMP/err" && grep -qF ": File too large" "$TMP/err" ||
        fail "run -o big.$ext past the size limit: '$(cat "$TMP/err")'"
    [ "$(cat "$TMP/big.$ext")" = old ] || fail "a failed -o big.$ext changed the old file"
    "$GLIDER" run --soup 0.5 --size 256x256 -o "$TMP/src.$ext" -q -g 0
    (trap '' XFSZ; ulimit -f 4; exec "$GLIDER" convert "$TMP/src.$ext" "$TMP/big.$ext") \
        >"$TMP/out" 2>"$TMP/err"
    rc=$?
    [ "$rc" -eq 1 ] && grep -qF ": File too large" "$TMP/err" ||
        fail "convert to big.$ext past the size limit: exit $rc, '$(cat "$TMP/err")'"
    rm -f "$TMP/src.$ext" "$TMP/big.$ext"
done
ls "$TMP" | grep -q '\.tmp\.' && fail "a failed write left a temporary file"
bad "no-such-file.json: cannot open: No such file or directory" \
    convert "$TMP/no-such-file.json" "$TMP/x.rle"
mkdir "$TMP/dir.json"
bad "dir.json: is a directory" convert "$TMP/dir.json" "$TMP/x.rle"
truncate -s 2G "$TMP/huge.json"
bad "huge.json: file is 2048.0 MiB, over the" convert "$TMP/huge.json" "$TMP/x.rle"
bad "did you mean 'pentadecathlon'?" convert pentadecathlonn "$TMP/x.rle"
bad "did you mean 'pentadecathlon'?" run pentadecathlonn
GLIDER_PATTERNS=/nonexistent bad "GLIDER_PATTERNS=/nonexistent is not a directory" patterns

# Every file of the malformed corpus, through the command line.
n=0
for f in "$DATA"/json/bad/*.json; do
    want=$(cat "${f%.json}.expect")
    bad "$want" convert "$f" "$TMP/x.rle"
    n=$((n + 1))
done
[ "$n" -ge 40 ] || fail "only $n malformed files"

# ---- Patterns larger than any universe -------------------------------------
# Two gliders 200000 cells apart (no universe is over 65536 a side): convert
# reads and writes them, and RLE, JSON and .cells all come back to the very
# same RLE; run refuses them in one line, naming the file.
printf '#N Two gliders\nx = 200003, y = 200003, rule = B3/S23\nbo$2bo$3o199998$200001bo$200002bo$200000b3o!\n' >"$TMP/far.rle"
"$GLIDER" convert "$TMP/far.rle" "$TMP/far-copy.rle" || fail "convert far.rle to RLE"
cmp -s "$TMP/far.rle" "$TMP/far-copy.rle" ||
    fail "far.rle changed going through RLE: $(cat "$TMP/far-copy.rle")"
for ext in json cells; do
    "$GLIDER" convert "$TMP/far.rle" "$TMP/far.$ext" || fail "convert far.rle to .$ext"
    "$GLIDER" convert "$TMP/far.$ext" "$TMP/far-$ext.rle" || fail "convert far.$ext to RLE"
    cmp -s "$TMP/far.rle" "$TMP/far-$ext.rle" ||
        fail "far.rle changed going through .$ext: $(cat "$TMP/far-$ext.rle")"
done
grep -qF '"rle": [' "$TMP/far.json" || fail "far.json is not saved as rle"
too_large="pattern is 200003x200003 cells, larger than the largest universe (65536x65536); 'glider convert' can still read and write it"
bad "$TMP/far.rle: $too_large" run "$TMP/far.rle" -g 1
bad "$TMP/far.json: $too_large" run "$TMP/far.json" -g 1
bad "$TMP/far.cells: $too_large" run "$TMP/far.cells" -g 1
# .cells spends a byte a cell: a file Glider could not read back (over
# 256 MiB) is refused before anything is written.
printf 'x = 1000000001, y = 2\no$1000000000bo!\n' >"$TMP/wide.rle"
bad "$TMP/wide.cells: the .cells text of this 1000000001x2 pattern would be 953.7 MiB, over the 256 MiB limit of pattern files; write .rle or .json instead" \
    convert "$TMP/wide.rle" "$TMP/wide.cells"
[ ! -e "$TMP/wide.cells" ] || fail "a refused .cells was written"
ls "$TMP" | grep -q '\.tmp\.' && fail "a refused .cells left a temporary file"
"$GLIDER" convert "$TMP/wide.rle" "$TMP/wide.json" || fail "convert wide.rle to JSON"
# Golly's own: switch-engine-ping-pong.rle (210515 x 183739), when installed.
ping=/usr/share/golly/Patterns/Life/Breeders/switch-engine-ping-pong.rle
if [ -r "$ping" ]; then
    "$GLIDER" convert "$ping" "$TMP/ping.json" || fail "convert $ping to JSON"
    "$GLIDER" convert "$TMP/ping.json" "$TMP/ping.rle" || fail "convert ping.json to RLE"
    # (Golly's file lacks the final newline Glider writes.)
    printf '%s\n' "$(cat "$ping")" >"$TMP/ping-golly.rle"
    cmp -s "$TMP/ping-golly.rle" "$TMP/ping.rle" || fail "$ping changed going through JSON"
    bad "$ping: pattern is 210515x183739 cells, larger than the largest universe" \
        run "$ping" -g 1
fi

# ---- glider patterns -------------------------------------------------------
"$GLIDER" patterns >"$TMP/list" 2>"$TMP/err" || fail "glider patterns: exit $?"
[ ! -s "$TMP/err" ] || fail "glider patterns wrote to stderr: $(cat "$TMP/err")"
count=$(grep -c '^[a-z0-9-]* ' "$TMP/list")
[ "$count" -ge 40 ] || fail "glider patterns lists $count patterns"
grep -q '^gosper-glider-gun  *The first known gun' "$TMP/list" ||
    fail "glider patterns lacks the Gosper gun"
grep -q '^highlife-replicator .*\[B36/S23\]$' "$TMP/list" ||
    fail "glider patterns does not show a non-Life rule"
"$GLIDER" patterns --json >"$TMP/list.json" || fail "glider patterns --json"
if command -v python3 >/dev/null; then
    python3 - "$TMP/list.json" <<'EOF' || fail "glider patterns --json is not the expected JSON"
import json, sys
j = json.load(open(sys.argv[1]))
names = [p["name"] for p in j["patterns"]]
assert len(names) >= 40, len(names)
assert names == sorted(names, key=str.lower), names
g = [p for p in j["patterns"] if p["name"] == "glider"][0]
assert g["population"] == 5 and g["rule"] == "B3/S23", g
assert all("description" in p and "error" not in p for p in j["patterns"])
EOF
fi
# .cells keeps only the cells: saying so names what was dropped, and only
# when something was.
"$GLIDER" convert highlife-replicator "$TMP/hl.cells" 2>"$TMP/err" || fail "convert to .cells failed"
grep -q 'note: .*hl.cells keeps only the cells: the rule B36/S23 and the 128x128 torus are not saved' "$TMP/err" ||
    fail "no note of the dropped rule and universe: $(cat "$TMP/err")"
printf 'x = 3, y = 1\n3o!\n' >"$TMP/plain.rle"
"$GLIDER" convert "$TMP/plain.rle" "$TMP/plain.cells" 2>"$TMP/err" || fail "convert plain.rle failed"
[ -s "$TMP/err" ] && fail "a Life pattern without a universe loses nothing: $(cat "$TMP/err")"
"$GLIDER" run "$TMP/plain.rle" -g 1 -o "$TMP/run.cells" >/dev/null 2>"$TMP/err" || fail "run -o .cells failed"
grep -q 'run.cells keeps only the cells: the 67x65 torus is not saved' "$TMP/err" ||
    fail "run -o .cells: no note of the universe: $(cat "$TMP/err")"
# -q keeps the note quiet, in convert as in run.
"$GLIDER" convert highlife-replicator "$TMP/hl2.cells" -q 2>"$TMP/err" || fail "convert -q failed"
[ -s "$TMP/err" ] && fail "convert -q printed: $(cat "$TMP/err")"
[ -s "$TMP/hl2.cells" ] || fail "convert -q wrote nothing"

# Every listed name loads through 'glider run NAME'.
for name in $(sed -n 's/^\([a-z0-9-]*\)  .*/\1/p' "$TMP/list"); do
    "$GLIDER" run "$name" -g 1 -q >/dev/null 2>"$TMP/err" ||
        fail "glider run $name: $(cat "$TMP/err")"
done

if [ "$fails" -ne 0 ]; then
    echo "$fails failures" >&2
    exit 1
fi
echo "convert and patterns: all checks passed ($n malformed files)"
