#!/bin/sh
# test_cli_convert.sh GLIDER DATA_DIR PATTERNS_DIR - 'glider convert' and
# 'glider patterns' from the outside: conversions keep the universe (same
# hash), bad input exits 2 with exactly one line on stderr and writes nothing,
# and the library lists and loads by name.
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

# Content sniffing: RLE in a .txt file converts with a warning.
printf 'x = 3, y = 3\nbo$2bo$3o!\n' >"$TMP/g.txt"
"$GLIDER" convert "$TMP/g.txt" "$TMP/g.json" 2>"$TMP/err" ||
    fail "convert g.txt"
grep -q 'warning: .*g.txt looks like RLE' "$TMP/err" ||
    fail "no sniffing warning: $(cat "$TMP/err")"

# ---- Bad input: exit 2, one line, nothing written -------------------------
bad "missing-comma.json:3:3: expected ',' or '}', got '\"'" \
    convert "$DATA/json/bad/missing-comma.json" "$TMP/x.rle"
[ ! -e "$TMP/x.rle" ] || fail "a failed convert left $TMP/x.rle"
ls "$TMP" | grep -q '\.tmp\.' && fail "a failed convert left a temporary file"
bad "cannot tell the format to write" convert glider "$TMP/x.png"
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
