#!/usr/bin/env bash
# bench/window.sh: what `dump --count 3 --interval 0.5` costs against one `dump` on THREADS idle
# threads (tests/targets/crowd): total CPU (user + system of threadlens, from wait4's rusage
# through bench/measure.c: microseconds, where time(1) rounds to 10 ms),
# RUNS rounds, the two commands interleaved, medians and the ratio of the medians (issue 16's
# goal: <= 1.5x, as the 2nd and 3rd samples keep the idle threads' stacks). Also the stops the
# window saved, from --stats. BASELINE=another threadlens binary: measured too, in the same
# rounds (interleaved with this one), for a before/after on the same machine load.
#   bench/window.sh [THREADS] [RUNS]     (defaults 1000 and 7)
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
THREADLENS=${THREADLENS:-$BUILD/threadlens}
CROWD=${CROWD:-$BUILD/targets/crowd}
N=${1:-1000}
RUNS=${2:-7}
[ -x "$THREADLENS" ] && [ -x "$CROWD" ] || { echo "build first (need $THREADLENS and $CROWD)" >&2; exit 2; }
out=$(mktemp) tm=$(mktemp) stats=$(mktemp) measure=$(mktemp)
cc -std=gnu17 -D_GNU_SOURCE -O2 -o "$measure" "$ROOT/bench/measure.c" || { echo "cannot build bench/measure.c" >&2; exit 2; }
"$CROWD" "$N" >"$out" &
pid=$!
trap '{ kill -9 $pid; wait; } 2>/dev/null; rm -f "$out" "$tm" "$stats" "$measure"' EXIT
for _ in $(seq 300); do grep -qx ready "$out" && break; sleep 0.1; done
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
cpu_ms() { "$measure" 60 "$stats" "$tm" "$@" | sed -n 's/.* cpu_ms=\([0-9.]*\) .*/\1/p'; }
BASELINE=${BASELINE:-}
one=() win=() base_one=() base_win=()
for _ in $(seq "$RUNS"); do
    if [ -n "$BASELINE" ]; then
        base_one+=("$(cpu_ms "$BASELINE" dump "$pid")")
        base_win+=("$(cpu_ms "$BASELINE" dump --count 3 --interval 0.5 "$pid")")
    fi
    one+=("$(cpu_ms "$THREADLENS" dump "$pid")")
    win+=("$(cpu_ms "$THREADLENS" dump --count 3 --interval 0.5 --stats "$pid")")
done
saved=$(sed -n 's/^Samples: 3; \([0-9]*\) thread stop(s) saved.*/\1/p' "$stats")
m1=$(printf '%s\n' "${one[@]}" | median) mw=$(printf '%s\n' "${win[@]}" | median)
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg), $N idle threads, $RUNS rounds"
echo "dump PID:                                CPU ms ${one[*]}  median $m1"
echo "dump --count 3 --interval 0.5 PID:       CPU ms ${win[*]}  median $mw  (stops saved in the last run: ${saved:-?})"
echo "ratio of the medians: $(echo "scale=2; $mw / $m1" | bc -l)x (goal <= 1.5x)"
if [ -n "$BASELINE" ]; then
    b1=$(printf '%s\n' "${base_one[@]}" | median) bw=$(printf '%s\n' "${base_win[@]}" | median)
    echo "baseline $BASELINE, the same rounds:"
    echo "  dump PID:                              CPU ms ${base_one[*]}  median $b1"
    echo "  dump --count 3 --interval 0.5 PID:     CPU ms ${base_win[*]}  median $bw"
    echo "  ratio of the medians: $(echo "scale=2; $bw / $b1" | bc -l)x"
fi
