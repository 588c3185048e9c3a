#!/bin/sh
# test_install.sh MESON BUILD_DIR PREFIX BINDIR DATADIR MANDIR - installs into
# a scratch DESTDIR and checks the installed glider: it finds its pattern
# library under share/glider/patterns (also after the whole tree is moved),
# loads a pattern by name, and its man page is installed.
set -u
MESON=$1 BUILD=$2 PREFIX=$3 BINDIR=$4 DATADIR=$5 MANDIR=$6
TMP=$(mktemp -d /tmp/glider-install-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
unset GLIDER_PATTERNS
fails=0
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}
case $BINDIR in /*) ;; *) BINDIR=$PREFIX/$BINDIR ;; esac
case $DATADIR in /*) ;; *) DATADIR=$PREFIX/$DATADIR ;; esac
case $MANDIR in /*) ;; *) MANDIR=$PREFIX/$MANDIR ;; esac

"$MESON" install -C "$BUILD" --destdir "$TMP/dest" --no-rebuild --quiet \
    >"$TMP/log" 2>&1 || {
    cat "$TMP/log" >&2
    echo "FAIL: meson install" >&2
    exit 1
}
for root in "$TMP/dest" "$TMP/moved"; do
    if [ "$root" = "$TMP/moved" ]; then
        mv "$TMP/dest" "$TMP/moved" || fail "cannot move the installation"
    fi
    exe=$root$BINDIR/glider
    lib=$root$DATADIR/glider/patterns
    [ -x "$exe" ] || fail "$exe is not installed"
    [ -f "$lib/gosper-glider-gun.json" ] || fail "$lib lacks the library"
    [ -f "$root$MANDIR/man1/glider.1" ] || fail "the man page is not installed"
    real=$(cd "$lib" && pwd -P)
    "$exe" patterns >"$TMP/list" 2>&1 || fail "$exe patterns: $(cat "$TMP/list")"
    head -1 "$TMP/list" | grep -qF "patterns in $real " ||
        fail "$exe does not use its own library: $(head -1 "$TMP/list")"
    "$exe" run r-pentomino -g 1103 >"$TMP/run" 2>&1 || fail "$exe run r-pentomino"
    grep -q 'population: *116 ' "$TMP/run" || fail "r-pentomino: $(cat "$TMP/run")"
done
if [ "$fails" -ne 0 ]; then
    exit 1
fi
echo "install: the installed glider finds its library, also when moved"
