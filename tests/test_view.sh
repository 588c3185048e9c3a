#!/usr/bin/env bash
# test_view.sh - the viewer under Xvfb and in a pseudo-terminal.
#
#   test_view.sh CASE GLIDER BMP_CHECK
#
# CASE is one of: render backends backend-fail slow-step clicks drop help
# terminal nodisplay.  Window cases run the real SDL window under xvfb-run
# (skipped, exit 77, when xvfb-run is missing) with SDL's software renderer,
# drive it with a --script, and check what it reports, what its HUD says
# (print-hud) and what its screenshots show.
set -u
case_name=$1
GLIDER=$(realpath "$2")
BMP_CHECK=$(realpath "$3")
GLIDER_FAULT=$(realpath "${4:-$2}")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }

# SDL and X11 keep some allocations until exit; they are not Glider's leaks.
cat > lsan.supp <<'EOF'
leak:libX11
leak:libSDL2
leak:libxcb
leak:libdbus
leak:_XlcDefaultLoader
EOF
export LSAN_OPTIONS="suppressions=$tmp/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# Mesa's threads are not instrumented; the tests keep Mesa out anyway (below).
printf 'called_from_lib:swrast_dri.so\ncalled_from_lib:libGLX_mesa.so.0\n' > tsan.supp
export TSAN_OPTIONS="${TSAN_OPTIONS:+$TSAN_OPTIONS:}suppressions=$tmp/tsan.supp"

# Runs glider in a window on a fresh Xvfb server.
xglider() {
    command -v xvfb-run >/dev/null || skip "xvfb-run is not installed (apt install xvfb xauth)"
    # SDL's software renderer on a plain X11 surface: no OpenGL, so the
    # pixels are exact and no Mesa threads run.
    SDL_RENDER_DRIVER=software SDL_FRAMEBUFFER_ACCELERATION=0 timeout 300 xvfb-run -a -s "-screen 0 1280x1024x24" \
        "$GLIDER" "$@"
}

# A glider, and a blinker that asks for a 20x20 torus.
printf 'x = 3, y = 3, rule = B3/S23\nbo$2bo$3o!\n' > glider.rle
printf '#N Blinker\nx = 3, y = 1, rule = B3/S23:T20,20\n3o!\n' > blinker.rle
# Two cells in opposite corners of a 100x50 plane: their box is the universe.
printf 'x = 100, y = 50, rule = B3/S23:P100,50\no49$99bo!\n' > corners.rle

# The numbers of the "hud shown, panel WxH at scale S, window WxH" line.
hud_box() {
    sed -n 's/^hud [a-z]*, panel \([0-9]*\)x\([0-9]*\) at scale \([0-9]*\), window \([0-9]*\)x\([0-9]*\)$/\1 \2 \3 \4 \5/p' "$1" | head -n 1
}
# The pixel of cell X Y from a "cell X Y at pixel PX PY" line.
view_of() {
    sed -n "s/^cell $2 $3 at pixel \([0-9-]*\) \([0-9-]*\)$/\1 \2/p" "$1" | head -n 1
}
# Block N (from 1) of print-hud output: from its Nth "hud shown" line to the
# next one.
hud_block() {
    awk -v n="$2" '/^hud (shown|hidden),/ { k++ } k == n && /^(hud|help)/' "$1"
}

case $case_name in
render)
    # A known pattern at a known zoom: every cell centre in the screenshot is
    # lit exactly when the universe has that cell alive.
    cat > s.txt <<'EOF'
key i
wait 2
print-view 0 0
dump cells.txt
screenshot shot.bmp
wait 1
quit
EOF
    xglider glider.rle --size 32x32 --scale 8 --paused --script s.txt > out.txt ||
        fail "glider exited with $?: $(cat out.txt)"
    cat out.txt
    read -r _ _ _ _ _ px py < <(grep '^cell 0 0 at pixel' out.txt) || fail "no print-view output"
    # The universe holds exactly the glider (5 cells, the glider's shape).
    [ "$(grep -vc '^#' cells.txt)" = 5 ] || fail "expected 5 live cells: $(cat cells.txt)"
    shape=$(grep -v '^#' cells.txt | awk 'NR==1{x0=$1;y0=$2} {if($1<x0)x0=$1; if($2<y0)y0=$2; c[NR]=$0}
        END{for(i=1;i<=NR;i++){split(c[i],a," "); printf "%d,%d ", a[1]-x0, a[2]-y0}}')
    [ "$shape" = "1,0 2,1 0,2 1,2 2,2 " ] || fail "not a glider: $shape"
    "$BMP_CHECK" shot.bmp cells "$px" "$py" 8 32 32 cells.txt || fail "screenshot does not match the cells"
    # Outside the universe is dark too.
    [ "$("$BMP_CHECK" shot.bmp count 0 0 $((px - 8)) 100 e6edf3)" = 0 ] || fail "lit pixels left of the universe"

    # --scale centres on the live cells, below the HUD panel: the library's
    # glider sits at 10..12 in a 64x64 universe, which does not fit at 20:1.
    printf 'wait 2\nprint-hud\nprint-view 10 10\nprint-view 12 12\nquit\n' > s.txt
    xglider glider --scale 20 --paused --script s.txt > out.txt ||
        fail "glider exited with $?: $(cat out.txt)"
    cat out.txt
    read -r _ ph _ ww wh < <(hud_box out.txt) || fail "no print-hud output"
    read -r ax ay < <(view_of out.txt 10 10) || fail "no print-view output"
    read -r bx by < <(view_of out.txt 12 12) || fail "no print-view output"
    # Cell centres: 10 pixels from each edge of the cell at 20:1.
    [ $((ay - 10)) -ge "$ph" ] && [ $((by + 10)) -le "$wh" ] && [ $((ax - 10)) -ge 0 ] &&
        [ $((bx + 10)) -le "$ww" ] || fail "--scale 20: the glider is not whole below the HUD"
    [ $(((ax + bx) / 2 - ww / 2)) -le 20 ] && [ $((ww / 2 - (ax + bx) / 2)) -le 20 ] ||
        fail "--scale 20: the glider is not centred across"

    # F fits the live cells below the HUD panel, as the start-up fit does.
    printf 'key ]\nkey ]\nkey f\nwait 2\nprint-hud\nprint-view 0 0\nprint-view 99 49\nquit\n' > s.txt
    xglider corners.rle --paused --script s.txt > out.txt ||
        fail "glider exited with $?: $(cat out.txt)"
    cat out.txt
    read -r _ ph _ ww wh < <(hud_box out.txt) || fail "no print-hud output"
    read -r ax ay < <(view_of out.txt 0 0) || fail "no print-view output"
    read -r bx by < <(view_of out.txt 99 49) || fail "no print-view output"
    [ "$ay" -gt "$ph" ] && [ "$by" -lt "$wh" ] && [ "$ax" -ge 0 ] && [ "$bx" -lt "$ww" ] ||
        fail "after F the HUD panel (height $ph) covers the pattern (cell 0 0 at $ax $ay)"

    # --screenshot: a name that is not .bmp, or a directory that cannot be
    # written, is refused before the first frame, with a reason.
    start=$(date +%s)
    xglider glider.rle --frames 3000 --screenshot shot.png > out.txt 2>&1 &&
        fail "--screenshot shot.png accepted: $(cat out.txt)"
    grep -q 'shot.png: .*\.bmp' out.txt || fail "--screenshot shot.png: no reason: $(cat out.txt)"
    [ ! -e shot.png ] || fail "BMP data written as shot.png"
    xglider glider.rle --frames 3000 --screenshot /nonexistent/x.bmp > out.txt 2>&1 &&
        fail "--screenshot /nonexistent/x.bmp accepted"
    grep -q 'cannot write in /nonexistent' out.txt ||
        fail "--screenshot /nonexistent/x.bmp: no reason: $(cat out.txt)"
    [ $(( $(date +%s) - start )) -le 20 ] || fail "--screenshot checked only after the frames ran"
    cat out.txt
    ;;

backends)
    # Keys 1..6 switch back-ends while the soup runs at full speed; back-ends
    # that cannot start leave the previous one active.  The final universe
    # must equal what 'glider run' computes on sequential for as many
    # generations.
    # Each back-end that starts computes at least 3 generations while running
    # (wait-steps); the soup is still far from settled when the run ends.
    args=(--soup 0.35 --seed 7 --size 96x72)
    {
        echo "key space"
        echo "wait-steps 3"
        for k in 2 3 4 5 6 1 4; do
            echo "key $k"; echo "print"; echo "wait-steps 3"
        done
        echo "key t"; echo "print"; echo "wait-steps 3"
        echo "key shift+t"; echo "print"; echo "wait-steps 3"
        echo "key space"
        echo "print"
        echo "quit"
    } > s.txt
    xglider "${args[@]}" --paused --speed 60 --script s.txt > out.txt ||
        fail "glider exited with $?: $(cat out.txt)"
    cat out.txt
    names=(x sequential thread-per-cell worker-queue thread-pool process-pool coroutine)
    prev=sequential
    i=0
    for k in 2 3 4 5 6 1 4; do
        i=$((i + 1))
        line=$(sed -n "${i}p" out.txt)
        be=$(sed 's/.* backend=\([^ ]*\).*/\1/' <<< "$line")
        want=${names[$k]}
        if [ "$be" = "$want" ]; then
            prev=$want
        elif [ "$be" = "$prev" ] && grep -q "msg=$want failed: " <<< "$line"; then
            echo "($want could not start; stayed on $prev, as it should)"
        else
            fail "key $k: expected back-end $want (or $prev with an error), got: $line"
        fi
    done
    last=$(tail -n 1 out.txt)
    grep -q 'running=0' <<< "$last" || fail "not paused at the end: $last"
    gen=$(sed 's/^gen=\([0-9]*\) .*/\1/' <<< "$last")
    hash=$(sed 's/.* hash=\([0-9a-f]*\) .*/\1/' <<< "$last")
    [ "$gen" -gt 0 ] || fail "the soup did not run"
    ref=$("$GLIDER" run "${args[@]}" -b sequential -g "$gen" --json) || fail "glider run failed"
    grep -q "\"hash\": \"$hash\"" <<< "$ref" ||
        fail "after $gen generations the viewer has $hash, sequential: $ref"
    echo "generation $gen: $hash equals sequential"

    # The HUD names no kernel for the cell-by-cell back-ends (as 'glider run'
    # says), and counts process-pool's workers as processes.
    printf 'key 5\nprint\nprint-hud\nkey 2\nprint-hud\nkey 6\nprint-hud\nkey 4\nprint-hud\nquit\n' > s.txt
    xglider "${args[@]}" -j 3 --paused --script s.txt > out.txt ||
        fail "glider exited with $?: $(cat out.txt)"
    cat out.txt
    if grep -q '^gen=.* backend=process-pool ' out.txt; then
        hud_block out.txt 1 | grep -q '^hud: process-pool, 3 processes  kernel ' ||
            fail "process-pool's workers: $(hud_block out.txt 1)"
    fi
    hud_block out.txt 2 | grep -q '^hud: thread-per-cell  cell by cell$' ||
        fail "thread-per-cell: $(hud_block out.txt 2)"
    hud_block out.txt 3 | grep -q '^hud: coroutine, 3 threads  cell by cell$' ||
        fail "coroutine: $(hud_block out.txt 3)"
    hud_block out.txt 4 | grep -q '^hud: thread-pool, 3 threads  kernel ' ||
        fail "thread-pool: $(hud_block out.txt 4)"
    ;;

backend-fail)
    # Back-ends that cannot start threads: the HUD says why, the previous
    # back-end stays (or comes back when a step fails), no cell is lost.
    args=(--soup 0.35 --seed 11 --size 80x60)
    cat > s.txt <<'EOF'
key space
wait-steps 2
fault thread
key 4
print
expect-backend sequential
expect-msg thread-pool failed
wait-steps 2
key 2
wait-steps 3
print
expect-backend sequential
fault off
key 4
wait-steps 3
expect-backend thread-pool
key space
print
quit
EOF
    GLIDER=$GLIDER_FAULT xglider "${args[@]}" --paused --speed 60 --script s.txt > out.txt ||
        fail "glider_fault exited with $?: $(cat out.txt)"
    cat out.txt
    grep -q 'msg=thread-pool failed: .*; still on sequential' <<< "$(sed -n 1p out.txt)" ||
        fail "no reason shown for thread-pool"
    grep -q 'thread-per-cell' <<< "$(sed -n 2p out.txt)" || fail "no reason shown for thread-per-cell"
    last=$(tail -n 1 out.txt)
    gen=$(sed 's/^gen=\([0-9]*\) .*/\1/' <<< "$last")
    hash=$(sed 's/.* hash=\([0-9a-f]*\) .*/\1/' <<< "$last")
    ref=$("$GLIDER" run "${args[@]}" -b sequential -g "$gen" --json) || fail "glider run failed"
    grep -q "\"hash\": \"$hash\"" <<< "$ref" ||
        fail "after $gen generations the viewer has $hash, sequential: $ref"
    echo "generation $gen: $hash equals sequential"
    ;;

slow-step)
    # A generation that takes a long time (thread-per-cell starts one thread
    # per cell) must not stop the window: 60 frames are drawn while the first
    # generations are computed, then quitting mid-step exits cleanly (the
    # step is given up, every thread is joined).
    cat > s.txt <<'EOF'
key space
wait 60
print
quit
EOF
    start=$(date +%s)
    GLIDER_FPS=1 xglider --soup 0.4 --size 240x240 -b thread-per-cell --speed 0 --paused --fps 30 \
        --script s.txt > out.txt 2> err.txt || fail "glider exited with $?: $(cat out.txt err.txt)"
    cat out.txt err.txt
    frames=$(sed -n 's/.*glider: \([0-9]*\) frames in .*/\1/p' err.txt)
    gen=$(sed -n 's/^gen=\([0-9]*\) .*/\1/p' out.txt)
    [ "${frames:-0}" -ge 60 ] || fail "expected at least 60 frames"
    grep -q 'running=1' out.txt || fail "not running"
    echo "$frames frames drawn while thread-per-cell computed $gen generations; exit after $(( $(date +%s) - start )) s"

    # Quitting inside one generation that takes far longer (about 17 s at
    # 1024x1024 here, more under a sanitizer) gives that generation up: the
    # window closes within seconds, at generation 0.
    printf 'key space\nwait 20\nprint\nquit\n' > q.txt
    start=$(date +%s)
    GLIDER_FPS=1 xglider --soup 0.5 --size 1024x1024 -b thread-per-cell --speed 0 --paused --fps 30 \
        --script q.txt > out.txt 2> err.txt || fail "glider exited with $?: $(cat out.txt err.txt)"
    secs=$(( $(date +%s) - start ))
    grep -q '^gen=0 ' out.txt || fail "expected to quit inside generation 1: $(cat out.txt)"
    [ "$secs" -le 10 ] || fail "quitting inside a long generation took $secs s"
    echo "quit inside a long thread-per-cell generation: exit after $secs s"

    # Space, a drag and a back-end key pressed during a long generation: the
    # HUD says at once what waits for it; the UI counts as paused, so the
    # drag draws (it does not pan); when the generation ends, the pause, the
    # cells and the switch all take effect.
    cat > s.txt <<'EOF'
key ]
key ]
key ]
key space
wait 10
async
key space
wait 30
expect-hud pausing after this generation
print-view 0 0
drag 320 320 324 320
wait 2
print-view 0 0
key 3
wait 30
expect-hud switching to worker-queue after this generation; cell edits wait for it too
print-hud
sync
expect-gen 1
expect-backend worker-queue
expect-cell 320 320 1
expect-cell 324 320 1
expect-pop 5
print
quit
EOF
    xglider --soup 0 --size 640x640 -b thread-per-cell --paused --script s.txt > out.txt 2>&1 ||
        fail "glider exited with $?: $(cat out.txt)"
    cat out.txt
    [ "$(grep -c '^cell 0 0 at pixel' out.txt)" = 2 ] || fail "no print-view output"
    [ "$(grep '^cell 0 0 at pixel' out.txt | sort -u | wc -l)" = 1 ] ||
        fail "the drag right after Space panned instead of drawing"
    grep -q 'running=0' out.txt || fail "not paused after the generation"

    # gen/s and cell updates/s fall to 0 once paused, and a new back-end does
    # not inherit the old one's rate (thread-per-cell takes seconds a
    # generation here; sequential hundreds a second).
    cat > s.txt <<'EOF'
key space
wait-steps 100
wait 30
print-hud
key space
wait 40
print-hud
key space
wait-steps 20
key 2
wait 30
async
print-hud
quit
EOF
    xglider --soup 0.35 --size 640x640 --speed 0 --paused --script s.txt > out.txt 2>&1 ||
        fail "glider exited with $?: $(cat out.txt)"
    cat out.txt
    hud_block out.txt 1 | grep -Eq '^hud: [1-9][0-9.]*( [kMG])? gen/s' ||
        fail "no rate while running: $(hud_block out.txt 1)"
    hud_block out.txt 2 | grep -q '^hud: 0 gen/s  0 cell updates/s' ||
        fail "the rate did not fall to 0 when paused: $(hud_block out.txt 2)"
    hud_block out.txt 3 | grep -q '^hud: thread-per-cell  cell by cell$' ||
        fail "not on thread-per-cell: $(hud_block out.txt 3)"
    hud_block out.txt 3 | grep -Eq '^hud: 0(\.[0-9]+)? gen/s' ||
        fail "thread-per-cell shows sequential's rate: $(hud_block out.txt 3)"

    # A stall on the same back-end (this glider's process-pool workers are
    # stopped, by pid) while running: no new generation is published, and
    # the rate falls by itself.
    cat > s.txt <<'EOF'
key space
wait-steps 50
wait 30
print-hud
print
wait 200
async
print-hud
print-view 0 0
quit
EOF
    xglider --soup 0.35 --size 256x256 -b process-pool -j 2 --speed 0 --paused \
        --script s.txt > out.txt 2>&1 &
    bg=$!
    # The pids under 'bg' down to glider's own workers, deepest last.
    tree() { local c; for c in $(ps -o pid= --ppid "$1"); do echo "$c"; tree "$c"; done; }
    for _ in $(seq 600); do grep -q '^gen=' out.txt && break; sleep 0.1; done
    gpid=$(for p in $(tree "$bg"); do [ "$(ps -o comm= -p "$p")" = glider ] && echo "$p"; done | head -n 1)
    workers=$(ps -o pid= --ppid "${gpid:-0}")
    [ -n "$workers" ] && kill -STOP $workers
    for _ in $(seq 600); do grep -q '^cell 0 0 at pixel' out.txt && break; sleep 0.1; done
    [ -n "$workers" ] && kill -CONT $workers
    wait "$bg" || fail "glider exited with $?: $(cat out.txt)"
    cat out.txt
    grep -q '^gen=.* backend=process-pool ' out.txt || skip "process-pool could not start here"
    [ -n "$workers" ] || fail "no process-pool workers found under glider ($gpid)"
    # gen/s as a number: "4.97 k" is 4970.
    rate() { hud_block out.txt "$1" | sed -n 's/^hud: \([0-9.]*\)\( [kMG]\)\{0,1\} gen\/s.*/\1\2/p' |
        awk '{ m = $2 == "k" ? 1e3 : $2 == "M" ? 1e6 : $2 == "G" ? 1e9 : 1; print $1 * m }'; }
    r1=$(rate 1) r2=$(rate 2)
    echo "running: $r1 gen/s; after a stall of about 3 s: $r2 gen/s"
    awk -v a="$r1" -v b="$r2" 'BEGIN { exit !(a > 0 && b < a / 20) }' ||
        fail "the rate stayed at $r2 gen/s (from $r1) with no new generation"
    ;;

clicks)
    # Scripted clicks and drags set exactly the clicked cells (a click on a
    # live cell erases it, as in Golly); the wheel zooms around the pointer.
    cat > s.txt <<'EOF'
click 3 4
click 10 10
click 39 29
drag 5 20 9 20
click 10 10
wheel 1 3 4
click 4 5
click 0 0
wheel -1 3 4
click 0 0
dump cells.txt
key i
wait 2
print-view 0 0
screenshot shot.bmp
wait 1
quit
EOF
    xglider --soup 0 --size 40x30 --scale 8 --paused --script s.txt > out.txt ||
        fail "glider exited with $?: $(cat out.txt)"
    cat out.txt
    got=$(grep -v '^#' cells.txt | sort -n | tr '\n' ' ')
    want=$(printf '%s\n' "3 4" "39 29" "5 20" "6 20" "7 20" "8 20" "9 20" "4 5" | sort -n | tr '\n' ' ')
    [ "$got" = "$want" ] || fail "cells after the clicks: '$got', expected '$want'"
    read -r _ _ _ _ _ px py < <(grep '^cell 0 0 at pixel' out.txt) || fail "no print-view output"
    "$BMP_CHECK" shot.bmp cells "$px" "$py" 8 40 30 cells.txt || fail "screenshot does not match the clicks"
    ;;

drop)
    # A file dropped on the window replaces the universe (size from the file);
    # a file that cannot be loaded leaves everything as it was.
    cat > s.txt <<'EOF'
step 3
drop blinker.rle
expect-gen 0
expect-pop 3
print
step 2
drop does-not-exist.rle
expect-msg cannot load
expect-gen 2
expect-pop 3
print
key o
expect-gen 0
expect-msg loaded Blinker
print
quit
EOF
    xglider glider.rle --size 32x32 --paused --script s.txt > out.txt ||
        fail "glider exited with $?: $(cat out.txt)"
    cat out.txt
    grep -q 'size=20x20' <<< "$(sed -n 1p out.txt)" || fail "the dropped file's 20x20 torus was not used"
    # S saves a timestamped JSON file holding the universe.
    printf 'step 2\nkey s\nexpect-msg saved glider-\nprint\nquit\n' > s.txt
    xglider glider.rle --size 32x32 --paused --script s.txt > out.txt ||
        fail "glider exited with $?: $(cat out.txt)"
    cat out.txt
    saved=$(ls glider-*.json) || fail "no glider-*.json saved"
    hash=$(sed 's/.* hash=\([0-9a-f]*\) .*/\1/' out.txt)
    "$GLIDER" run "$saved" -g 0 --json | grep -q "\"hash\": \"$hash\"" ||
        fail "$saved does not hold the universe: $(cat "$saved")"
    # S never overwrites: the names of the next seconds are taken already,
    # so two saves get "-2" (or "-3") names and the old files stay.
    rm -f glider-*.json
    for i in 0 1 2 3 4 5 6 7 8 9; do
        echo keep > "glider-$(date -d "+$i seconds" +%Y%m%d-%H%M%S).json"
    done
    printf 'key s\nkey s\nexpect-msg saved glider-\nprint\nquit\n' > s.txt
    xglider glider.rle --size 32x32 --paused --script s.txt > out.txt ||
        fail "glider exited with $?: $(cat out.txt)"
    cat out.txt
    [ "$(grep -lx keep glider-*.json | wc -l)" = 10 ] || fail "S overwrote a file"
    [ "$(ls glider-*-[23].json | wc -l)" = 2 ] || fail "two saves, expected two new files: $(ls glider-*)"
    rm -f glider-*.json
    # R and C are new contents: generation 0, and a message of their own;
    # O without a file says so.
    cat > s.txt <<'EOF'
step 3
key r
expect-gen 0
expect-msg random soup
step 2
key c
expect-gen 0
expect-pop 0
expect-msg universe cleared
key o
expect-msg no file to reload
expect-hud no file to reload
quit
EOF
    xglider --soup 0.3 --size 32x32 --paused --script s.txt > out.txt ||
        fail "glider exited with $?: $(cat out.txt)"
    # ... under the loaded pattern's name; after a soup, under none.
    for act in keep soup; do
        rm -f glider-*.json
        if [ $act = keep ]; then
            printf 'key s\nexpect-msg saved glider-\nquit\n' > s.txt
        else
            printf 'key r\nwait 1\nkey s\nexpect-msg saved glider-\nquit\n' > s.txt
        fi
        xglider gosper-glider-gun --paused --script s.txt > out.txt ||
            fail "glider exited with $?: $(cat out.txt)"
        saved=$(ls glider-*.json) || fail "$act: no glider-*.json saved"
        if [ $act = keep ]; then
            grep -q '"name": "Gosper glider gun"' "$saved" ||
                fail "$saved lost the pattern's name: $(head -5 "$saved")"
        elif grep -q '"name"' "$saved"; then
            fail "a soup saved under the gun's name: $(head -5 "$saved")"
        fi
    done
    ;;

help)
    # H shows the help overlay (title in the heading colour, centred); H again
    # hides it.
    cat > s.txt <<'EOF'
key i
wait 2
screenshot plain.bmp
key h
wait 2
screenshot help.bmp
key h
wait 2
screenshot again.bmp
quit
EOF
    xglider --soup 0 --size 32x32 --paused --script s.txt > out.txt ||
        fail "glider exited with $?: $(cat out.txt)"
    read -r w h < <("$BMP_CHECK" help.bmp size)
    box=(0 $((h / 4)) "$w" $((h / 2)))
    n_help=$("$BMP_CHECK" help.bmp count "${box[@]}" c9d1d9)
    n_title=$("$BMP_CHECK" help.bmp count 0 0 "$w" "$h" ffd866)
    n_plain=$("$BMP_CHECK" plain.bmp count 0 0 "$w" "$h" c9d1d9)
    n_again=$("$BMP_CHECK" again.bmp count 0 0 "$w" "$h" c9d1d9)
    echo "help text pixels: $n_help (title $n_title); without help: $n_plain, after: $n_again"
    [ "$n_help" -gt 1000 ] && [ "$n_title" -gt 50 ] || fail "no help overlay in the middle of the window"
    [ "$n_plain" = 0 ] && [ "$n_again" = 0 ] || fail "help text shown when it should not be"

    # Esc closes the overlay first and quits only without one.  Every help
    # line's description starts in the same column.
    cat > s.txt <<'EOF'
key h
print-hud
key escape
wait 2
expect-hud hud shown
print-view 1 1
key escape
wait 30
print-view 2 2
EOF
    xglider --soup 0 --size 32x32 --paused --script s.txt > out.txt ||
        fail "glider exited with $?: $(cat out.txt)"
    cat out.txt
    grep -q '^help: Glider - keys and mouse' out.txt || fail "no help lines in print-hud"
    grep -q '^cell 1 1 at pixel' out.txt || fail "Esc quit with the help overlay open"
    grep -q '^cell 2 2 at pixel' out.txt && fail "Esc without the help overlay did not quit"
    cols=$(sed -n 's/^help: //p' out.txt | tail -n +3 | awk '
        match($0, /^ +[^ ]/) { print RLENGTH - 1; next }
        match($0, /^[^ ]+( [^ ]+)*  +/) { print RLENGTH; next }
        { print "none: " $0 }' | sort -u)
    [ "$(wc -l <<< "$cols")" = 1 ] || fail "help descriptions start in columns: $cols"

    # The HUD: readable at 1000x700 (font scale 2); the speed setting shows
    # while paused; rates in one SI format.
    cat > s.txt <<'EOF'
key space
wait-steps 60
wait 30
print-hud
key space
key -
wait 2
print-hud
quit
EOF
    xglider --soup 0.3 --size 100x70 --scale 10 --speed 0 --paused --script s.txt > out.txt ||
        fail "glider exited with $?: $(cat out.txt)"
    cat out.txt
    read -r _ _ scale ww wh < <(hud_box out.txt) || fail "no print-hud output"
    [ "$ww" = 1000 ] && [ "$wh" = 700 ] || fail "expected a 1000x700 window, got ${ww}x$wh"
    [ "$scale" -ge 2 ] || fail "HUD font scale $scale at 1000x700"
    si='[0-9]{1,3}(\.[0-9]{1,2})?( [kMGTPE])?'
    hud_block out.txt 1 | grep -Eq "^hud: $si gen/s  $si cell updates/s  [0-9]+ fps\$" ||
        fail "rates not in SI format: $(hud_block out.txt 1)"
    hud_block out.txt 2 | grep -q '^hud: gen [0-9]*  pop [0-9]*  PAUSED, 5000 gen/s$' ||
        fail "speed not shown while paused: $(hud_block out.txt 2)"
    ;;

terminal | nodisplay)
    # The terminal view in a pseudo-terminal: draws half blocks, answers keys,
    # restores the terminal on q and on SIGTERM.
    command -v python3 >/dev/null || skip "python3 is needed to drive a pseudo-terminal"
    if [ "$case_name" = terminal ]; then
        mode=--headless
    else
        mode=--fps=30 # any option; no DISPLAY makes SDL fail, then the fallback
    fi
    python3 - "$GLIDER" "$mode" <<'EOF' || fail "terminal view"
import os, pty, select, signal, sys, time
glider, mode = sys.argv[1], sys.argv[2]
# As a user without a display has it: no DISPLAY, WAYLAND_DISPLAY or
# SDL_VIDEODRIVER (SDL 2.26 would otherwise open an invisible window with its
# offscreen driver; the viewer must see through that).
env = {k: v for k, v in os.environ.items()
       if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
env["TERM"] = "xterm"

def run(keys, sig=None, extra=None):
    pid, fd = pty.fork()
    if pid == 0 and extra:
        env.update(extra)
    if pid == 0:
        os.execve(glider, [glider, mode, "--soup", "0.3", "--size", "60x30",
                           "--speed", "10"], env)
    out = b""
    t0 = time.time()
    sent = False
    keys = list(keys)
    due = 0.0
    while True:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            out += data
        if not sent and b"gen " in out and time.time() - t0 > 0.5:
            if sig:
                os.kill(pid, sig)
            due = time.time()
            sent = True
        # One key every 0.2 s, reading all the while: a viewer blocked on a
        # full terminal would take the keys in one batch, 'q' included.
        if sent and keys and time.time() >= due:
            os.write(fd, keys.pop(0))
            due = time.time() + 0.2
        if time.time() - t0 > 30:
            os.kill(pid, signal.SIGKILL)
            sys.exit("timed out; output: %r" % out[-500:])
    _, status = os.waitpid(pid, 0)
    return out, status

out, status = run([b"o", b"6", b" ", b"n", b"+", b"\x1b[A", b"]", b"q"])
text = out.decode("utf-8", "replace")
# The status line names the threads a back-end really runs: none for
# sequential, one scheduler for coroutine by default (it said the CPUs).
assert "coroutine (1)" in text, "coroutine's thread count: %r" % text[-400:]
assert "sequential (" not in text, "a thread count for sequential"
assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "exit status %r: %r" % (status, text[-300:])
assert "\x1b[?1049h" in text, "did not enter the alternate screen"
assert "\x1b[?1049l" in text, "did not leave the alternate screen"
assert text.rfind("\x1b[?1049l") > text.rfind("\x1b[?1049h")
assert any(c in text for c in "\u2580\u2584\u2588"), "no half blocks drawn"
assert "PAUSED" in text, "space did not pause"
# O without a pattern file (a soup) says so, not nothing (the status line
# is cut at the terminal's width).
assert "no file to" in text, "O said nothing: %r" % text[-400:]
if mode != "--headless":
    assert "using the terminal view" in text, "no one-line notice: %r" % text[:300]
    assert "neither DISPLAY nor WAYLAND_DISPLAY" in text, text[:300]
    # A DISPLAY that leads nowhere: X11 fails, SDL falls back to its
    # offscreen driver, which the viewer must refuse.
    out, status = run([b"q"], extra={"DISPLAY": ":97", "XDG_RUNTIME_DIR": "/nonexistent"})
    text = out.decode("utf-8", "replace")
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "exit status %r: %r" % (status, text[-300:])
    assert "using the terminal view" in text, "DISPLAY=:97: no fallback: %r" % text[:300]
    assert any(c in text for c in "\u2580\u2584\u2588"), "DISPLAY=:97: no half blocks drawn"
# Esc closes the help line first, as in the window; a second Esc quits.
out, status = run([b"h", b"\x1b", b" ", b"\x1b"])
text = out.decode("utf-8", "replace")
assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "Esc: status %r" % status
assert "space/enter run" in text, "no help line: %r" % text[-400:]
assert "PAUSED" in text.split("space/enter run")[-1], "Esc quit with the help shown: %r" % text[-400:]
out, status = run([], signal.SIGTERM)
text = out.decode("utf-8", "replace")
assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 128 + 15, "SIGTERM: status %r" % status
assert text.rfind("\x1b[?1049l") > text.rfind("\x1b[?1049h"), "terminal not restored after SIGTERM"
print("terminal view ok")
EOF
    # Neither a display nor a terminal: one line and exit 1; with --frames,
    # run them without drawing.
    DISPLAY= WAYLAND_DISPLAY= "$GLIDER" --headless --soup 0.3 < /dev/null > out.txt 2> err.txt
    [ $? = 1 ] || fail "no terminal: expected exit 1"
    [ "$(wc -l < err.txt)" = 1 ] || fail "no terminal: expected one line: $(cat err.txt)"
    printf 'step 4\nexpect-gen 4\nquit\n' > s.txt
    DISPLAY= WAYLAND_DISPLAY= "$GLIDER" --headless --soup 0.3 --paused --frames 50 --script s.txt \
        < /dev/null > out.txt 2>&1 || fail "--frames without a terminal: $(cat out.txt)"
    ;;

*)
    fail "unknown case $case_name"
    ;;
esac
echo "ok: $case_name"
