#!/usr/bin/env bash
# bench/waits.sh: cost of the wait analysis (issue 4) on a target whose threads are all blocked
# in ways it looks into: mutex waiters (memory read at the futex), pipe readers (fd link, the
# pipe index of the target and its child, fdinfo of the other end), mutex holders asleep.
# Runs `threadlens dump --no-stacks PID` with and without --no-waits, interleaved, and prints
# the medians and their difference. While it runs, the target's thread states are polled: a
# thread seen stopped (t/T) would be a stall, and is reported.
# Then bench/waits_time.c measures the same inside one process (sampler_take with and without
# waits): no exec noise, and CPU time that other load on the machine does not inflate.
#   bench/waits.sh [THREADS] [RUNS]     (defaults 1000 and 21)
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
THREADLENS=${THREADLENS:-$BUILD/threadlens}
CROWD=${CROWD:-$BUILD/targets/waits_crowd}
N=${1:-1000}
RUNS=${2:-21}
[ -x "$THREADLENS" ] && [ -x "$CROWD" ] || { echo "build first (need $THREADLENS and $CROWD)" >&2; exit 2; }

out=$(mktemp)
"$CROWD" "$N" >"$out" &
pid=$!
poller= stops=
trap '{ kill -9 $pid; [ -n "$poller" ] && kill $poller; wait; } 2>/dev/null; rm -f "$out" $stops' EXIT
for _ in $(seq 300); do grep -qx ready "$out" && break; sleep 0.1; done
grep -qx ready "$out" || { echo "waits_crowd did not get ready" >&2; exit 2; }
child=$(grep -o 'child=[0-9]*' "$out" | cut -d= -f2)

ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); echo $(((t1 - t0) / 1000)); }
with=() without=()
for _ in $(seq "$RUNS"); do
    with+=("$(ms "$THREADLENS" dump --no-stacks "$pid")")
    without+=("$(ms "$THREADLENS" dump --no-stacks --no-waits "$pid")")
done

# Stall check, apart from the timing (the poller would compete for the CPUs): thread states
# polled while dumps run.
stops=$(mktemp)
(
    while :; do
        for p in "$pid" "$child"; do
            cat /proc/"$p"/task/*/stat 2>/dev/null | awk '{ s = $0; sub(/.*\) /, "", s); if (s ~ /^[tT]/) print }'
        done
    done >>"$stops"
) &
poller=$!
for _ in $(seq "$RUNS"); do "$THREADLENS" dump --no-stacks "$pid" >/dev/null; done
kill "$poller" 2>/dev/null
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
mw=$(median "${with[@]}") mo=$(median "${without[@]}")
minw=$(printf '%s\n' "${with[@]}" | sort -n | head -1) mino=$(printf '%s\n' "${without[@]}" | sort -n | head -1)
waits=$("$THREADLENS" dump --no-stacks --json "$pid" | jq '[.processes[].threads[] | select(.waiting_on != null)] | length' 2>/dev/null)
owned=$("$THREADLENS" dump --no-stacks --json "$pid" | jq '[.processes[].threads[] | select(.waiting_on.owner_tid != null)] | length' 2>/dev/null)
echo "wait analysis, $N-thread target + its child, $RUNS runs each (wall of the whole command, median / min;"
echo "the difference of the medians, then of the minimums):"
echo "  dump --no-stacks             ${mw} / ${minw} us   ($waits threads with a wait, $owned with a known owner)"
echo "  dump --no-stacks --no-waits  ${mo} / ${mino} us"
echo "  wait analysis                $((mw - mo)) / $((minw - mino)) us  (goal <= 20000 us)"
echo "  load average while measured: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
echo "  threads seen stopped meanwhile: $(wc -l <"$stops")"

timer=$(mktemp)
stops+=" $timer"
libs=$(pkg-config --libs jansson libunwind-ptrace libdw libseccomp)
# shellcheck disable=SC2086
if cc -O2 -I"$ROOT/include" -o "$timer" "$ROOT/bench/waits_time.c" "$BUILD/libthreadlens_core.a" $libs -pthread; then
    "$timer" "$pid" "$RUNS"
else
    echo "(bench/waits_time.c did not build against $BUILD/libthreadlens_core.a: in-process numbers skipped)"
fi
