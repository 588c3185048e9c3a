#!/usr/bin/env bash
# test_limits.sh GLIDER - Glider's ceilings and the operating system's.
#
#  1. Every documented ceiling (doc/hardening.md, "Limits") is enforced with
#     exit status 2 and one line naming the limit: universe size (option,
#     RLE header, RLE :T suffix, JSON universe, Life 1.06 span), threads,
#     live threads, coroutines, generations, pattern file size (a file and an
#     endless stream), JSON nesting.
#  2. Under `ulimit -v` (address space) and `ulimit -u` (processes and
#     threads of the user) set low in a subshell, 'glider run' on every
#     back-end either succeeds or exits 1 with one line saying what the OS
#     refused: never a signal, never a hang.  (ulimit -u does not bind root:
#     as root the run switches to user 'nobody' with setpriv.)
# Sanitizer builds reserve terabytes of address space, so the ulimit -v part
# is skipped there (and ulimit -u under TSan, whose runtime needs threads).
set -u
G=${1:?usage: test_limits.sh path/to/glider}
T=$(mktemp -d)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
passes=0 fails=0 skips=0
ok() { passes=$((passes + 1)); echo "ok   $1"; }
bad() { fails=$((fails + 1)); echo "FAIL $1"; }
skip() { skips=$((skips + 1)); echo "SKIP $1"; }

sanitizer=""
if ldd "$G" 2>/dev/null | grep -q libtsan; then sanitizer=tsan
elif ldd "$G" 2>/dev/null | grep -q -E 'libasan|libubsan'; then sanitizer=asan; fi

# Lines of stderr that are not warnings.
error_lines() { grep -vc '^glider: warning' "$T/err"; }

# refuse NAME LIMIT -- ARGS...: exit 2 and one stderr line containing LIMIT.
refuse() {
    local name=$1 limit=$2
    shift 3
    timeout 60 "$G" "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    if [ "$rc" -ne 2 ]; then
        bad "$name: exit $rc, want 2: $(head -c 300 "$T/err")"
    elif [ "$(error_lines)" -ne 1 ]; then
        bad "$name: want one error line, got: $(cat "$T/err")"
    elif ! grep -qF -- "$limit" "$T/err"; then
        bad "$name: the message does not name the limit $limit: $(cat "$T/err")"
    else
        ok "$name: $(cat "$T/err")"
    fi
}

refuse "universe width" 65536 -- run --soup 0.5 --size 65537x16
refuse "universe height" 65536 -- run --soup 0.5 --size 16x100000
refuse "threads 0" 1024 -- run --soup 0.5 -j 0
refuse "threads 2000" 1024 -- run --soup 0.5 -j 2000
refuse "live threads" 30000 -- run --soup 0.5 -b thread-per-cell --max-live-threads 30001
refuse "coroutines" 16777216 -- run --soup 0.5 -b coroutine --coroutines 16777217
refuse "generations" 1000000000000 -- run --soup 0.5 -g 1000000000001

printf 'x = 70000, y = 3\n3o!\n' >"$T/wide.rle"
refuse "RLE header width" 65536 -- run "$T/wide.rle" -g 1
printf 'x = 3, y = 3, rule = B3/S23:T70000,10\n3o!\n' >"$T/torus.rle"
refuse "RLE :T suffix" 65536 -- run "$T/torus.rle" -g 1
printf '{"universe": {"width": 70000, "height": 5}, "rows": ["O"]}\n' >"$T/wide.json"
refuse "JSON universe" 65536 -- run "$T/wide.json" -g 1
printf '#Life 1.06\n0 0\n70000 0\n' >"$T/span.lif"
refuse "Life 1.06 span" 65536 -- run "$T/span.lif" -g 1
python3 -c "print('[' * 100 + ']' * 100)" >"$T/deep.json"
refuse "JSON nesting" 64 -- run "$T/deep.json" -g 1
truncate -s 300M "$T/huge.rle"
refuse "pattern file size" "256 MiB" -- run "$T/huge.rle" -g 1
refuse "endless pattern stream" "256 MiB" -- run /dev/zero -g 1
rm -f "$T/huge.rle"

mapfile -t built < <("$G" backends | awk '!/not built yet/ {print $1}')

# survive NAME -- CMD...: exit 0, or 1 with one line; never a signal.
# Sets 'rc'.
survive() {
    local name=$1
    shift 2
    timeout 120 "$@" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" -eq 124 ]; then
        bad "$name: still running after 120 s"
    elif [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
        bad "$name: exit $rc (a signal or bad usage): $(head -c 400 "$T/err")"
    elif [ "$rc" -eq 1 ] && [ "$(error_lines)" -ne 1 ]; then
        bad "$name: want one error line, got: $(head -c 600 "$T/err")"
    elif [ "$rc" -eq 1 ]; then
        ok "$name: exit 1: $(cat "$T/err")"
    else
        ok "$name: ran within the limit"
    fi
}

if [ -n "$sanitizer" ]; then
    skip "ulimit -v: $sanitizer reserves more address space than any useful limit"
else
    # Two grids of 65536x65536 need 1 GiB: more than 400 MB of address space.
    survive "ulimit -v 400 MB, 65536x65536 universe" -- \
        bash -c 'ulimit -v 400000; exec "$0" "$@"' "$G" run --soup 0.5 --size 65536x65536 -g 1
    if [ "$rc" -ne 1 ] || ! grep -q -i "memory\|map" "$T/err"; then
        bad "ulimit -v 400 MB: the huge universe was not refused for memory"
    fi
    # 200 threads or processes in 400 MB: default 8 MiB stacks do not fit.
    for b in "${built[@]}"; do
        size=512x512
        case $b in thread-per-cell | coroutine) size=64x64 ;; esac
        survive "ulimit -v 400 MB, $b -j 200" -- \
            bash -c 'ulimit -v 400000; exec "$0" "$@"' "$G" run -b "$b" -j 200 \
            --max-live-threads 200 --soup 0.3 --size "$size" -g 3 -q
    done
fi

if [ "$sanitizer" = tsan ]; then
    skip "ulimit -u: the TSan runtime itself needs threads"
elif [ "$(id -u)" -eq 0 ] && ! command -v setpriv >/dev/null; then
    skip "ulimit -u: running as root without setpriv (util-linux), the limit would not bind"
else
    # The binary where user 'nobody' can run it.
    cp "$G" "$T/glider" && chmod 755 "$T/glider"
    as_user=()
    if [ "$(id -u)" -eq 0 ]; then
        as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    fi
    # One process of the user (glider itself) and nothing more: every thread
    # start and fork is refused with EAGAIN.
    nproc_now=$("${as_user[@]}" bash -c 'ps -u "$(id -u)" -L --no-headers | wc -l')
    limit=$((nproc_now > 1 ? nproc_now - 1 : 1))
    refused=0
    for b in "${built[@]}"; do
        size=256x256
        case $b in thread-per-cell | coroutine) size=32x32 ;; esac
        survive "ulimit -u $limit, $b -j 4" -- env ASAN_OPTIONS=detect_leaks=0 \
            "${as_user[@]}" bash -c 'ulimit -u "$1"; shift; exec "$@"' ulimit "$limit" \
            "$T/glider" run -b "$b" -j 4 --soup 0.3 --size "$size" -g 3 -q
        [ "$rc" -eq 1 ] && refused=$((refused + 1))
    done
    case " ${built[*]} " in
    *" thread-pool "* | *" worker-queue "* | *" process-pool "*)
        if [ "$refused" -eq 0 ]; then
            bad "ulimit -u: no back-end was refused a thread or process: the limit did not bind"
        fi ;;
    esac
fi

echo "$passes passed, $fails failed, $skips skipped"
[ "$fails" -eq 0 ] || exit 1
exit 0
