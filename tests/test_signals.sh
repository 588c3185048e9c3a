#!/usr/bin/env bash
# test_signals.sh GLIDER - what signals do to 'glider run', on every back-end.
#
#  - SIGINT and SIGTERM to the process, and SIGINT to its whole process group
#    (what Ctrl-C in a terminal does: the process-pool workers get it too),
#    in the middle of a long run: glider exits promptly with 128+signal and an
#    "interrupted" message, no worker process is left behind, and the --output
#    file is neither created nor half-written (an older file there is intact,
#    no temporary file remains).
#  - SIGINT inside one generation that takes many seconds (cell-granular
#    back-ends on a large universe): the generation is given up, glider
#    exits as promptly.
#  - SIGKILL of a process-pool worker mid-run: the run completes and its hash
#    equals sequential's.
#  - SIGKILL of glider itself: its process-pool workers die with it.
# Back-ends still placeholders ("not built yet") print a SKIP line.
set -u
G=${1:?usage: test_signals.sh path/to/glider}
T=$(mktemp -d)
pids_to_kill=()
cleanup() {
    for p in "${pids_to_kill[@]}"; do kill -9 "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT
passes=0 fails=0 skips=0
ok() { passes=$((passes + 1)); echo "ok   $1"; }
bad() { fails=$((fails + 1)); echo "FAIL $1"; }
skip() { skips=$((skips + 1)); echo "SKIP $1"; }

# Sanitizer builds run several times slower: give them more time.
slow=1
if ldd "$G" 2>/dev/null | grep -q -E 'libasan|libtsan|libubsan'; then slow=5; fi
prompt=$((3 * slow))   # seconds allowed between the signal and the exit

now_ms() { date +%s%3N; }

# Waits up to $2 seconds for process $1 to end; 0 if it did.
wait_gone() {
    local pid=$1 deadline=$(($(now_ms) + $2 * 1000))
    while [ -e "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
        [ "$(now_ms)" -ge "$deadline" ] && return 1
        sleep 0.02
    done
    return 0
}

# Whether process $1 has handlers for SIGINT (2) and SIGTERM (15): bits 1
# and 14 of the SigCgt mask in /proc/PID/status.
catches_int_term() {
    local mask
    mask=$(awk '/^SigCgt:/ {print $2}' "/proc/$1/status" 2>/dev/null) || return 1
    [ -n "$mask" ] && (( (16#$mask & 0x4002) == 0x4002 ))
}

# Sends SIG$2 to "$3..." (kill's targets) and waits up to $prompt seconds for
# glider ($pid) to end; sets rc and ms.  Returns 1, after a 'bad' line naming
# $1, when it did not end (then it is killed).
stop_and_wait() {
    local what=$1 sig=$2 t0
    shift 2
    t0=$(now_ms)
    kill -"$sig" "$@"
    if ! wait_gone "$pid" "$prompt"; then
        bad "$what: still running ${prompt}s after SIG$sig"
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        return 1
    fi
    wait "$pid"
    rc=$?
    ms=$(($(now_ms) - t0))
}

# The direct children of $1.
children_of() { pgrep -P "$1" 2>/dev/null | tr '\n' ' '; }

mapfile -t built < <("$G" backends | awk '!/not built yet/ {print $1}')
mapfile -t all < <("$G" backends | awk '{print $1}')
for b in "${all[@]}"; do
    case " ${built[*]} " in *" $b "*) ;; *) skip "$b: back-end not built yet" ;; esac
done

# Starts a long run of back-end $1 writing to $2, in its own session (so a
# signal to its process group reaches only it and its workers); sets 'pid'.
start_run() {
    local b=$1 out=$2 size=384x384
    case $b in thread-per-cell | coroutine) size=40x40 ;; esac
    setsid "$G" run -b "$b" -j 2 --soup 0.35 --seed 3 --size "$size" \
        -g 1000000000 -o "$out" -q 2>"$T/err" &
    pid=$!
    pids_to_kill+=("$pid")
    # Wait until glider catches SIGINT and SIGTERM (until then a SIGINT would
    # be lost: an asynchronous command of a non-interactive shell starts with
    # SIGINT ignored, and under a sanitizer on a busy machine glider can take
    # longer than any fixed pause to install its handlers) and, for
    # process-pool, has workers; then let it compute generations.
    local deadline=$(($(now_ms) + 10000 * slow))
    while [ "$(now_ms)" -lt "$deadline" ]; do
        if catches_int_term "$pid" &&
            { [ "$b" != process-pool ] || [ -n "$(children_of "$pid")" ]; }; then break; fi
        sleep 0.05
    done
    sleep 0.4
}

for b in "${built[@]}"; do
    for how in INT TERM group-INT; do
        sig=${how#group-}
        out="$T/out-$b-$how.rle"
        echo "precious" >"$out"
        start_run "$b" "$out"
        kids=$(children_of "$pid")
        if ! [ -e "/proc/$pid" ]; then
            bad "$b $how: glider was not running: $(head -c 300 "$T/err")"
            continue
        fi
        if [ "$how" = "group-$sig" ]; then target=(-- -"$pid"); else target=("$pid"); fi
        stop_and_wait "$b $how" "$sig" "${target[@]}" || continue
        want=$((128 + $(kill -l "$sig")))
        left=""
        for k in $kids; do wait_gone "$k" 2 || left="$left $k"; done
        tmps=$(find "$T" -maxdepth 1 -name "out-$b-$how.rle.tmp*" | wc -l)
        if [ "$rc" -ne "$want" ]; then
            bad "$b $how: exit $rc, want $want: $(head -c 300 "$T/err")"
        elif ! grep -q "interrupted" "$T/err"; then
            bad "$b $how: no 'interrupted' message: $(head -c 300 "$T/err")"
        elif [ -n "$left" ]; then
            bad "$b $how: worker process(es)$left still alive after exit"
        elif [ "$(cat "$out")" != "precious" ] || [ "$tmps" -ne 0 ]; then
            bad "$b $how: the output file was touched ($tmps temporary file(s) left)"
        else
            label="SIG$sig"
            [ "$how" = "group-$sig" ] && label="SIG$sig to the process group"
            ok "$b $label: exit $rc after ${ms} ms, $(echo $kids | wc -w) worker(s) gone, output untouched"
        fi
    done
done

# One generation that takes many seconds (a cell-granular back-end on a large
# universe; about 17 s for thread-per-cell at 1024x1024, 16 s for coroutine
# at 8192x8192, 19 s for worker-queue --task-cells 1 at 4096x4096): SIGINT
# must stop it inside that first generation, within the same few seconds.
for spec in "thread-per-cell 1024x1024" "coroutine 8192x8192" \
    "worker-queue 4096x4096 --task-cells 1"; do
    read -r b size extra <<<"$spec"
    case " ${built[*]} " in *" $b "*) ;; *) continue ;; esac
    # shellcheck disable=SC2086 # $extra is one option and its value, or none
    setsid "$G" run -b "$b" -j 2 $extra --soup 0.5 --seed 5 --size "$size" -g 3 \
        -q 2>"$T/err" &
    pid=$!
    pids_to_kill+=("$pid")
    deadline=$(($(now_ms) + 10000 * slow))
    until catches_int_term "$pid" || [ "$(now_ms)" -ge "$deadline" ]; do sleep 0.05; done
    sleep 0.5
    stop_and_wait "$b $size${extra:+ $extra}, inside a long generation" INT "$pid" || continue
    if [ "$rc" -ne 130 ]; then
        bad "$b $size: exit $rc, want 130: $(head -c 300 "$T/err")"
    elif ! grep -q "interrupted by signal 2 after 0 generations" "$T/err"; then
        bad "$b $size: not stopped inside the first generation: $(head -c 300 "$T/err")"
    else
        ok "$b $size${extra:+ $extra}: SIGINT inside a long generation, exit 130 after ${ms} ms"
    fi
done

case " ${built[*]} " in
*" process-pool "*)
    # A worker killed mid-run: the generation is redone, the result exact.
    args=(--soup 0.4 --seed 11 --size 1024x1024 -g $((40000 / slow)) --json)
    want=$("$G" run -b sequential "${args[@]}" | sed 's/.*"hash": "\([0-9a-f]*\)".*/\1/')
    "$G" run -b process-pool -j 2 "${args[@]}" >"$T/pp.json" 2>"$T/pp.err" &
    pid=$!
    pids_to_kill+=("$pid")
    killed=0
    for _ in $(seq 1 200); do
        [ "$killed" -ge 3 ] || ! [ -e "/proc/$pid" ] && break
        sleep 0.05
        w=$(children_of "$pid" | awk '{print $1}')
        [ -n "$w" ] && kill -9 "$w" 2>/dev/null && killed=$((killed + 1)) && sleep 0.1
    done
    wait "$pid"
    rc=$?
    got=$(sed 's/.*"hash": "\([0-9a-f]*\)".*/\1/' "$T/pp.json")
    if [ "$rc" -ne 0 ]; then
        bad "process-pool worker SIGKILL: exit $rc: $(head -c 300 "$T/pp.err")"
    elif [ "$got" != "$want" ]; then
        bad "process-pool worker SIGKILL: hash $got, sequential says $want"
    elif [ "$killed" -eq 0 ]; then
        bad "process-pool worker SIGKILL: no worker was found to kill"
    else
        ok "process-pool: $killed worker(s) SIGKILLed mid-run, result equals sequential ($got)"
    fi

    # glider itself killed: the workers must not outlive it.
    start_run process-pool "$T/unused.rle"
    kids=$(children_of "$pid")
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    left=""
    for k in $kids; do wait_gone "$k" $((2 * slow)) || left="$left $k"; done
    if [ -z "$kids" ]; then
        bad "process-pool parent SIGKILL: no worker seen"
    elif [ -n "$left" ]; then
        bad "process-pool parent SIGKILL: worker(s)$left outlived glider"
        kill -9 $left 2>/dev/null
    else
        ok "process-pool: glider SIGKILLed, its $(echo $kids | wc -w) worker(s) died with it"
    fi
    ;;
esac

echo "$passes passed, $fails failed, $skips skipped"
[ "$fails" -eq 0 ] || exit 1
[ "$passes" -gt 0 ] || exit 77
exit 0
