#!/usr/bin/env bash
# bench/record.sh: what `threadlens record` costs on a mostly idle process of THREADS threads
# (bench/target.c: THREADS asleep in nanosleep and a heartbeat that records how late it ran), at
# 20 Hz for SECONDS: threadlens's CPU as % of one core (its own utime+stime over the wall time),
# samples reached and stops made; next to the gdb loop people use
# (`gdb -batch -p PID -ex 'thread apply all bt'` in a loop, as fast as it goes) for the same
# time: the rate it reaches and its CPU; and `perf record --off-cpu` when this perf has it.
#   bench/record.sh [THREADS] [SECONDS]     (defaults 1000 and 10)
# Twin control: BASELINE=/path/to/old/threadlens [ROUNDS=3] bench/record.sh ... runs, ROUNDS
# times in turn on the same target, a control window, the old binary's record and this one's,
# then prints each run and the medians (CPU %, Hz, heartbeat lateness) and the CPU ratio; no gdb
# loop or perf then (the machine is shared: interleaving keeps the load the same for both).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
THREADLENS=${THREADLENS:-$BUILD/threadlens}
N=${1:-1000}
SECS=${2:-10}
[ -x "$THREADLENS" ] || { echo "build first (need $THREADLENS)" >&2; exit 2; }
out=$(mktemp) err=$(mktemp) data=$(mktemp -d)
cc -std=gnu17 -D_GNU_SOURCE -O2 -pthread -o "$data/bench-target" "$ROOT/bench/target.c" || exit 2
"$data/bench-target" "$N" "$data/hb" >"$out" &
pid=$!
hb() { "$data/bench-target" --read "$data/hb" | sed -n 's/.*max_late_us=\([0-9]*\).*/\1/p'; }
trap '{ kill -9 $pid; wait; } 2>/dev/null; rm -rf "$out" "$err" "$data"' EXIT
for _ in $(seq 300); do grep -qx ready "$out" && break; sleep 0.1; done
ticks=$(getconf CLK_TCK)
echo "target: $N idle threads + heartbeat; $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"

# One `record -d SECS -r 20` by binary $1: prints "cpu_pct hz stops late_us kib rss_kib".
record_once() {
    hb >/dev/null
    /usr/bin/time -f '%U %S %e %M' -o "$data/time" "$1" record -d "$SECS" -r 20 -o "$data/r.folded" "$pid" 2>"$err"
    local late u s e m summary samples stops kib
    late=$(hb)
    read -r u s e m <"$data/time"
    summary=$(grep 'samples of' "$err")
    samples=$(echo "$summary" | sed -n 's/.*: \([0-9]*\) samples of.*/\1/p')
    stops=$(echo "$summary" | sed -n 's/.*, \([0-9]*\) stops,.*/\1/p')
    kib=$(echo "$summary" | sed -n 's/.* \([0-9]*\) KiB of memory.*/\1/p')
    printf '%.1f %.1f %s %s %s %s %.2f %.1f\n' "$(echo "100 * ($u + $s) / $e" | bc -l)" \
        "$(echo "${samples:-0} / $e" | bc -l)" "${stops:-0}" "$late" "${kib:-0}" "$m" "$(echo "$u + $s" | bc -l)" "$e"
}
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

if [ -n "${BASELINE:-}" ]; then
    [ -x "$BASELINE" ] || { echo "BASELINE=$BASELINE is not an executable" >&2; exit 2; }
    ROUNDS=${ROUNDS:-3}
    : >"$data/base" && : >"$data/new" && : >"$data/ctl"
    for r in $(seq "$ROUNDS"); do
        hb >/dev/null; sleep "$SECS"; c=$(hb); echo "$c" >>"$data/ctl"
        b=$(record_once "$BASELINE"); echo "$b" >>"$data/base"
        n=$(record_once "$THREADLENS"); echo "$n" >>"$data/new"
        echo "round $r (load $(cut -d' ' -f1 /proc/loadavg)): control late ${c} us | baseline CPU % Hz stops late_us: $(echo "$b" | cut -d' ' -f1-4) | this: $(echo "$n" | cut -d' ' -f1-4)"
        for f in base new; do   # CPU ms per sample: a loaded machine lowers the rate, not this
            tail -1 "$data/$f" | awk '{ printf "%.2f\n", ($2 > 0 && $8 > 0) ? 1000 * $7 / ($2 * $8) : 0 }' >>"$data/$f.ms"
        done
    done
    col() { cut -d' ' -f"$2" "$data/$1" | median; }
    bc_cpu=$(col base 1) nc_cpu=$(col new 1) b_ms=$(median <"$data/base.ms") n_ms=$(median <"$data/new.ms")
    printf 'medians of %s rounds: control heartbeat late %s us | baseline (%s): CPU %s %% of one core, %s Hz, %s stops, late %s us, peak RSS %s KiB | this (%s): CPU %s %%, %s Hz, %s stops, late %s us, peak RSS %s KiB | CPU ratio this/baseline %.2f; CPU per sample %s ms vs %s ms (ratio %.2f)\n' \
        "$ROUNDS" "$(median <"$data/ctl")" "$BASELINE" "$bc_cpu" "$(col base 2)" "$(col base 3)" "$(col base 4)" "$(col base 6)" \
        "$THREADLENS" "$nc_cpu" "$(col new 2)" "$(col new 3)" "$(col new 4)" "$(col new 6)" "$(echo "$nc_cpu / $bc_cpu" | bc -l)" \
        "$n_ms" "$b_ms" "$(echo "$n_ms / $b_ms" | bc -l)"
    exit 0
fi

hb >/dev/null; sleep "$SECS"
echo "control (nothing looks at it for $SECS s): heartbeat's worst lateness $(hb) us"
read -r cpu hz stops late kib m used e < <(record_once "$THREADLENS")
samples=$(echo "$hz * $e" | bc -l)
printf 'threadlens record -r 20: CPU %s %% of one core (%s s user+sys over %s s), %.0f samples (%s Hz), %s stops (%.1f/s), recording %s KiB, peak RSS %s KiB, heartbeat worst lateness %s us\n' \
    "$cpu" "$used" "$e" "$samples" "$hz" "$stops" "$(echo "$stops / $e" | bc -l)" "$kib" "$m" "$late"

# the gdb loop, for the same wall time
if command -v gdb >/dev/null; then
    hb >/dev/null
    start=$(date +%s.%N)
    /usr/bin/time -f '%U %S' -o "$data/gdbtime" bash -c '
        end=$(($(date +%s) + '"$SECS"')) n=0
        while [ "$(date +%s)" -lt "$end" ]; do
            gdb -batch -nx -p '"$pid"' -ex "thread apply all bt" >/dev/null 2>&1; n=$((n + 1))
        done
        echo $n >'"$data/gdbn"
    wall=$(echo "$(date +%s.%N) - $start" | bc -l)
    read -r gu gs <"$data/gdbtime"
    n=$(cat "$data/gdbn")
    printf 'gdb loop (thread apply all bt): %s samples in %.1f s = %.2f Hz, CPU %.1f %% of one core, heartbeat worst lateness %s us (every thread stopped for each sample)\n' \
        "$n" "$wall" "$(echo "$n / $wall" | bc -l)" "$(echo "100 * ($gu + $gs) / $wall" | bc -l)" "$(hb)"
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
