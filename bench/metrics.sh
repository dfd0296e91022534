#!/usr/bin/env bash
# bench/metrics.sh: what one Prometheus scrape of `threadlens metrics --listen` costs on a
# target with THREADS sleeping threads (tests/targets/crowd): the server's CPU per scrape (from
# its /proc stat, over RUNS scrapes), the scrape's wall time minus the window, and the size of
# the answer, without and with --per-thread; next to one `threadlens dump --no-stacks` (wall).
#   bench/metrics.sh [THREADS] [RUNS]     (defaults 1000 and 20)
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
THREADLENS=${THREADLENS:-$BUILD/threadlens}
CROWD=${CROWD:-$BUILD/targets/crowd}
N=${1:-1000}
RUNS=${2:-20}
WINDOW=0.01
[ -x "$THREADLENS" ] && [ -x "$CROWD" ] || { echo "build first (need $THREADLENS and $CROWD)" >&2; exit 2; }
command -v curl >/dev/null || { echo "needs curl" >&2; exit 2; }
out=$(mktemp) err=$(mktemp)
"$CROWD" "$N" >"$out" &
pid=$!
server=
trap '{ kill -9 $pid; [ -n "$server" ] && kill $server; wait; } 2>/dev/null; rm -f "$out" "$err"' EXIT
for _ in $(seq 300); do grep -qx ready "$out" && break; sleep 0.1; done
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{s = $0; sub(/.*\) /, "", s); split(s, f, " "); print f[12] + f[13]}' "/proc/$1/stat"; }
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

for mode in "" --per-thread; do
    "$THREADLENS" metrics --listen 127.0.0.1:0 --interval "$WINDOW" $mode "$pid" 2>"$err" &
    server=$!
    for _ in $(seq 100); do url=$(sed -n 's|^threadlens metrics: serving \(http://.*/metrics\)$|\1|p' "$err"); [ -n "$url" ] && break; sleep 0.1; done
    curl -s "$url" >/dev/null   # the first scrape opens every thread's files
    c0=$(cpu_ticks "$server")
    walls=$(for _ in $(seq "$RUNS"); do curl -s -o /dev/null -w '%{time_total}\n' "$url"; done | median)
    c1=$(cpu_ticks "$server")
    bytes=$(curl -s "$url" | wc -c)
    kill "$server"; wait "$server" 2>/dev/null; server=
    printf '%-14s %5d threads: CPU %.1f ms/scrape (two takes), wall %.1f ms (window %s s excluded), %d bytes\n' \
        "${mode:-default}" "$N" "$(echo "($c1 - $c0) * 1000 / $ticks / $RUNS" | bc -l)" \
        "$(echo "($walls - $WINDOW) * 1000" | bc -l)" "$WINDOW" "$bytes"
done
dumps=$(for _ in $(seq 5); do t0=$(date +%s%N); "$THREADLENS" dump --no-stacks "$pid" >/dev/null; t1=$(date +%s%N); echo $(((t1 - t0) / 1000)); done | median)
printf 'dump --no-stacks %5d threads: wall %.1f ms (median of 5; one take, full read)\n' "$N" "$(echo "$dumps / 1000" | bc -l)"
