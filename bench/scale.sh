#!/usr/bin/env bash
# bench/scale.sh: how `threadlens dump` grows from SMALL to BIG sleeping threads (issue 15 item 5:
# the BIG dump's wall at most 11x the SMALL one's for 10x the threads, peak RSS at most 64 MiB).
# The -O2 bench target (bench/target.c) with SMALL and with BIG workers, both alive, dumped in
# turn RUNS times (interleaved, so both see the same machine load); medians of wall, CPU and peak
# RSS from bench/measure.c, and threadlens's own --stats account (threads taken without a stop).
# The kernel limits a BIG process needs (pid_max, threads-max, vm.max_map_count: two mappings a
# thread) are raised for the run when lower, and put back at the end.
#   bench/scale.sh [SMALL] [BIG] [RUNS]     (defaults 1000, 10000 and 5)
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
THREADLENS=${THREADLENS:-$ROOT/build/threadlens}
SMALL=${1:-1000} BIG=${2:-10000} RUNS=${3:-5}
[ -x "$THREADLENS" ] || { echo "build first (no $THREADLENS)" >&2; exit 2; }
work=$(mktemp -d /tmp/threadlens-scale.XXXXXX)
pids=() restore=()
cleanup() {
    local p s
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
    wait 2>/dev/null
    for s in "${restore[@]}"; do echo "${s#*=}" >"/proc/sys/${s%%=*}"; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# at_least KEY VALUE: raises /proc/sys/KEY to VALUE for this run when it is lower.
at_least() {
    local now; now=$(cat "/proc/sys/$1")
    [ "$now" -ge "$2" ] && return 0
    echo "$2" >"/proc/sys/$1" 2>/dev/null || { echo "bench: $1 is $now, below the $2 needed for $BIG threads, and cannot be raised (run as root)" >&2; exit 2; }
    restore+=("$1=$now")
}
at_least kernel/pid_max $((BIG * 2 + 32768))
at_least kernel/threads-max $((BIG * 2 + 10000))
at_least vm/max_map_count $((BIG * 3 + 65530))

cf=(-std=gnu17 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror)
cc "${cf[@]}" -pthread -o "$work/target" "$ROOT/bench/target.c" || exit 2
cc "${cf[@]}" -o "$work/measure" "$ROOT/bench/measure.c" || exit 2
start() {
    "$work/target" "$1" "$work/hb-$1" >"$work/target-$1.out" 2>&1 &
    pids+=($!)
    for _ in $(seq 1200); do grep -qx ready "$work/target-$1.out" && return 0; sleep 0.1; done
    echo "bench: the $1-thread target did not start: $(cat "$work/target-$1.out")" >&2
    exit 2
}
start "$SMALL"; small_pid=${pids[0]}
start "$BIG"; big_pid=${pids[1]}

kv() { sed -n "s/.*\\b$1=\\([0-9.]*\\).*/\\1/p"; }
median() { sort -g | awk '{a[NR] = $1} END {print NR ? a[int((NR + 1) / 2)] : "NA"}'; }
: >"$work/small.tsv"; : >"$work/big.tsv"
for r in $(seq "$RUNS"); do
    for size in small big; do
        pid=$small_pid; [ $size = big ] && pid=$big_pid
        m=$("$work/measure" 600 /dev/null "$work/err" "$THREADLENS" dump --no-jvm "$pid")
        printf '%s\t%s\t%s\n' "$(kv wall_ms <<<"$m")" "$(kv cpu_ms <<<"$m")" "$(kv maxrss_kib <<<"$m")" >>"$work/$size.tsv"
        echo "bench: run $r/$RUNS, $size: $m" >&2
    done
done
col() { cut -f"$2" "$work/$1.tsv" | median; }
stats() { "$THREADLENS" dump --no-jvm --stats "$1" 2>/dev/null | sed -n 's/^Stall: \([0-9]*\) thread(s) taken without a stop (blocked), \([0-9]*\) with a stop.*/\1 without a stop, \2 with one/p'; }
sw=$(col small 1) bw=$(col big 1) sc=$(col small 2) bc=$(col big 2) sr=$(col small 3) br=$(col big 3)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
rss_mib=$(awk -v k="$br" 'BEGIN { printf "%.1f", k / 1024 }')
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg), $RUNS interleaved runs of \`threadlens dump --no-jvm PID\`"
echo "| threads | wall ms | CPU ms | peak RSS MiB | taken (own --stats) |"
echo "|---:|---:|---:|---:|---|"
echo "| $SMALL | $sw | $sc | $(awk -v k="$sr" 'BEGIN { printf "%.1f", k / 1024 }') | $(stats "$small_pid") |"
echo "| $BIG | $bw | $bc | $rss_mib | $(stats "$big_pid") |"
echo "$BIG / $SMALL threads: wall $(ratio "$bw" "$sw")x, CPU $(ratio "$bc" "$sc")x, peak RSS $(ratio "$br" "$sr")x" \
     "(goal: wall <= $(( BIG / SMALL + 1 ))x: $(awk -v a="$bw" -v b="$sw" -v g=$((BIG / SMALL + 1)) 'BEGIN { print a / b <= g ? "met" : "MISSED" }');" \
     "peak RSS <= 64 MiB: $(awk -v m="$rss_mib" 'BEGIN { print m <= 64 ? "met" : "MISSED" }'))"
