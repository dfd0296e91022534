#!/usr/bin/env bash
# bench/record.sh: what `threadlens record` costs on a mostly idle process of THREADS threads
# (tests/targets/crowd: THREADS asleep in pause() and one heartbeat waking every 10 ms), at
# 20 Hz for SECONDS: threadlens's CPU as % of one core (its own utime+stime over the wall time),
# samples reached and stops made; next to the gdb loop people use
# (`gdb -batch -p PID -ex 'thread apply all bt'` in a loop, as fast as it goes) for the same
# time: the rate it reaches and its CPU; and `perf record --off-cpu` when this perf has it.
#   bench/record.sh [THREADS] [SECONDS]     (defaults 1000 and 10)
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
THREADLENS=${THREADLENS:-$BUILD/threadlens}
CROWD=${CROWD:-$BUILD/targets/crowd}
N=${1:-1000}
SECS=${2:-10}
[ -x "$THREADLENS" ] && [ -x "$CROWD" ] || { echo "build first (need $THREADLENS and $CROWD)" >&2; exit 2; }
out=$(mktemp) err=$(mktemp) data=$(mktemp -d)
"$CROWD" "$N" >"$out" &
pid=$!
trap '{ kill -9 $pid; wait; } 2>/dev/null; rm -rf "$out" "$err" "$data"' EXIT
for _ in $(seq 300); do grep -qx ready "$out" && break; sleep 0.1; done
ticks=$(getconf CLK_TCK)
echo "target: $N idle threads + heartbeat; $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"

# threadlens record: /usr/bin/time gives its user+system seconds
/usr/bin/time -f '%U %S %e %M' -o "$data/time" "$THREADLENS" record -d "$SECS" -r 20 -o "$data/r.folded" "$pid" 2>"$err"
read -r u s e m <"$data/time"
summary=$(grep 'samples of' "$err")
samples=$(echo "$summary" | sed -n 's/.*: \([0-9]*\) samples of.*/\1/p')
stops=$(echo "$summary" | sed -n 's/.*, \([0-9]*\) stops,.*/\1/p')
kib=$(echo "$summary" | sed -n 's/.* \([0-9]*\) KiB of memory.*/\1/p')
printf 'threadlens record -r 20: CPU %.1f %% of one core (%.2f s user+sys over %.1f s), %s samples (%.1f Hz), %s stops (%.1f/s), recording %s KiB, peak RSS %s KiB\n' \
    "$(echo "100 * ($u + $s) / $e" | bc -l)" "$(echo "$u + $s" | bc -l)" "$e" "$samples" \
    "$(echo "$samples / $e" | bc -l)" "$stops" "$(echo "$stops / $e" | bc -l)" "$kib" "$m"

# the gdb loop, for the same wall time
if command -v gdb >/dev/null; then
    start=$(date +%s.%N) n=0 cpu0=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
    /usr/bin/time -f '%U %S' -o "$data/gdbtime" bash -c '
        end=$(($(date +%s) + '"$SECS"')) n=0
        while [ "$(date +%s)" -lt "$end" ]; do
            gdb -batch -nx -p '"$pid"' -ex "thread apply all bt" >/dev/null 2>&1; n=$((n + 1))
        done
        echo $n >'"$data/gdbn"
    wall=$(echo "$(date +%s.%N) - $start" | bc -l)
    read -r gu gs <"$data/gdbtime"
    n=$(cat "$data/gdbn")
    printf 'gdb loop (thread apply all bt): %s samples in %.1f s = %.2f Hz, CPU %.1f %% of one core, every thread stopped for each sample\n' \
        "$n" "$wall" "$(echo "$n / $wall" | bc -l)" "$(echo "100 * ($gu + $gs) / $wall" | bc -l)"
else
    echo "gdb loop: gdb not installed"
fi

# perf record --off-cpu needs a perf built with BPF skeletons (BUILD_BPF_SKEL=1)
if command -v perf >/dev/null; then
    msg=$(perf record --off-cpu -o "$data/perf.data" -p "$pid" -- sleep 1 2>&1)
    if echo "$msg" | grep -q "off-cpu' is being ignored"; then
        echo "perf record --off-cpu: not available here ($(echo "$msg" | grep -o "no BUILD_BPF_SKEL=1" | head -1): this perf was built without BPF skeletons)"
    else
        echo "perf record --off-cpu: ran ($(echo "$msg" | tail -1))"
    fi
else
    echo "perf record --off-cpu: perf not installed"
fi
