#!/usr/bin/env bash
# bench/core.sh: threadlens dump --core next to eu-stack --core on the same core, same run
# (issue 18). The core is a gcore of tests/targets/crowd with N threads asleep in pause();
# both tools read it RUNS times, interleaved (a slow moment of the machine hits both alike),
# and the medians of wall time are printed with their ratio. eu-stack is given the executable
# (-e) as it needs it for a core; threadlens finds it from the core's notes. Both name frames
# (eu-stack prints function names by default; threadlens also analyses waits and groups).
#   bench/core.sh [THREADS] [RUNS]     (defaults 1000 and 11)
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
THREADLENS=${THREADLENS:-$BUILD/threadlens}
CROWD=${CROWD:-$BUILD/targets/crowd}
N=${1:-1000}
RUNS=${2:-11}
[ -x "$THREADLENS" ] && [ -x "$CROWD" ] || { echo "build first (need $THREADLENS and $CROWD)" >&2; exit 2; }
command -v gcore >/dev/null && command -v eu-stack >/dev/null || { echo "needs gcore (gdb) and eu-stack (elfutils)" >&2; exit 2; }

dir=$(mktemp -d)
"$CROWD" "$N" >"$dir/out" &
pid=$!
trap '{ kill -9 $pid; wait; } 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 300); do grep -qx ready "$dir/out" && break; sleep 0.1; done
grep -qx ready "$dir/out" || { echo "crowd did not get ready" >&2; exit 2; }
gcore -o "$dir/core" "$pid" >/dev/null 2>&1 || { echo "gcore failed" >&2; exit 2; }
core=$dir/core.$pid
kill -9 $pid

ms() { local t0 t1; t0=$(date +%s%N); "$@" >"$dir/last" 2>/dev/null; t1=$(date +%s%N); echo $(((t1 - t0) / 1000000)); }
tl=() eu=()
for _ in $(seq "$RUNS"); do
    tl+=("$(ms "$THREADLENS" dump --core "$core")")
    eu+=("$(ms eu-stack --core "$core" -e "$CROWD")")
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
mt=$(median "${tl[@]}") me=$(median "${eu[@]}")
threads=$("$THREADLENS" dump --json --core "$core" | jq '.processes[0].threads | length')
frames=$("$THREADLENS" dump --json --core "$core" | jq '[.processes[0].threads[].frames[]] | length')
eframes=$(eu-stack --core "$core" -e "$CROWD" 2>/dev/null | grep -c '^#')
echo "core of crowd $N: $(du -m "$core" | cut -f1) MiB, $threads threads; threadlens $frames frames, eu-stack $eframes frames"
echo "median wall ms over $RUNS runs: threadlens dump --core $mt, eu-stack --core $me; ratio $(awk -v a="$mt" -v b="$me" 'BEGIN { printf "%.2f", b ? a / b : 0 }')"
