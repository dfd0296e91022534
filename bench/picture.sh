#!/usr/bin/env bash
# bench/picture.sh: how long `threadlens picture` takes on a process with 60 000 mappings
# (tests/targets/hostile; issue 20's limit: a readable picture within 2 s). Runs each format
# RUNS times and prints the median wall and CPU (user + system) time of each, and the same for
# `threadlens dump --shared --no-stacks` (the sampling alone) for comparison.
#   bench/picture.sh [MAPS] [RUNS]     (defaults 60000 and 7)
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
THREADLENS=${THREADLENS:-$BUILD/threadlens}
HOSTILE=${HOSTILE:-$BUILD/targets/hostile}
MAPS=${1:-60000}
RUNS=${2:-7}
[ -x "$THREADLENS" ] && [ -x "$HOSTILE" ] || { echo "build first (need $THREADLENS and $HOSTILE)" >&2; exit 2; }
dir=$(mktemp -d)
"$HOSTILE" --maps "$MAPS" --cmdline-mib 0 >"$dir/out" &
pid=$!
trap '{ kill -9 $pid; wait; } 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 300); do grep -qx ready "$dir/out" && break; sleep 0.1; done
grep -qx ready "$dir/out" || { echo "hostile did not get ready" >&2; exit 2; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# run LABEL CMD...: RUNS times; prints "LABEL  wall ms  cpu ms" (medians)
run() {
    local label=$1 i; shift
    : >"$dir/wall"; : >"$dir/cpu"
    for i in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %U %S" -o "$dir/t" "$@" >/dev/null 2>&1 || { echo "$label failed" >&2; exit 1; }
        awk '{ printf "%d\n", $1 * 1000 }' "$dir/t" >>"$dir/wall"
        awk '{ printf "%d\n", ($2 + $3) * 1000 }' "$dir/t" >>"$dir/cpu"
    done
    printf '%-34s %8s ms wall %8s ms CPU\n' "$label" "$(median <"$dir/wall")" "$(median <"$dir/cpu")"
}
echo "$(wc -l </proc/$pid/maps) mappings, $RUNS runs each, $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
run "picture -o x.svg" "$THREADLENS" picture "$pid" -o "$dir/x.svg"
run "picture -o x.png" "$THREADLENS" picture "$pid" -o "$dir/x.png"
run "picture -o x.pdf" "$THREADLENS" picture "$pid" -o "$dir/x.pdf"
run "dump --shared --no-stacks (sampling)" "$THREADLENS" dump --shared --no-stacks "$pid"
