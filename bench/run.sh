#!/usr/bin/env bash
# bench/run.sh: threadlens side by side with eu-stack and gdb (and ps, htop, jstack) on the same
# live targets, the tools interleaved in one run. What each column means: bench/README.md.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
THREADLENS=${THREADLENS:-$ROOT/build/threadlens}
OUT=$ROOT/bench/results.md
RUNS=5
SIZES="10 100 1000"
SECTIONS="stacks ps waits top jvm summary"
TOP_SECONDS=10
JVM_THREADS=500
TIMEOUT=120          # seconds; a tool run that takes longer is killed and marked "timeout"
GDB_SLOW_MS=10000    # when one gdb run takes longer, gdb is capped at 3 runs for that size
CMDLINE=bench/run.sh
for a in "$@"; do case $a in *[[:space:]]*) CMDLINE+=" \"$a\"" ;; *) CMDLINE+=" $a" ;; esac; done

usage() {
    cat <<EOF
Usage: bench/run.sh [OPTIONS]
Measures threadlens against eu-stack, gdb, ps, htop and jstack on the same live targets.
  --quick            3 runs per tool instead of 5, 5 s UI window instead of 10 s
  --runs N           runs per tool (default $RUNS)
  --sizes "10 100"   thread counts of the C target (default "$SIZES")
  --only "S..."      sections to run, from: $SECTIONS (default all)
  --skip "S..."      sections to leave out
  --threadlens PATH  the binary to measure (default build/threadlens; env THREADLENS)
  --out FILE         where the Markdown goes as well as stdout (default bench/results.md)
Sections: stacks (issue 3: dump vs eu-stack vs gdb), ps (issue 2: --no-stacks vs ps),
waits (issue 4: wait analysis cost), top (issue 5: UI CPU vs htop), jvm (issue 7: vs jstack),
summary (issue 13: dump vs dump --no-summary, the cost of stack groups and the summary).
EOF
}

die() { echo "bench: $*" >&2; exit 2; }
usage_fail() { echo "bench: $*; see bench/run.sh --help" >&2; exit 64; }
say() { echo "bench: $*" >&2; }

parse_args() {
    while [ $# -gt 0 ]; do
        case $1 in
        --quick) RUNS=3; TOP_SECONDS=5 ;;
        --runs) RUNS=${2:?--runs takes a number}; shift ;;
        --sizes) SIZES=${2:?--sizes takes a list like \"10 100\"}; shift ;;
        --only) SECTIONS=${2:?--only takes section names}; shift ;;
        --skip) local s; for s in $2; do SECTIONS=$(echo " $SECTIONS " | sed "s/ $s / /"); done; shift ;;
        --threadlens) THREADLENS=${2:?--threadlens takes a path}; shift ;;
        --out) OUT=${2:?--out takes a file}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 64 ;;
        esac
        shift
    done
    [[ $RUNS =~ ^[1-9][0-9]*$ ]] || usage_fail "--runs takes a positive number, not '$RUNS'"
    local n; for n in $SIZES; do [[ $n =~ ^[1-9][0-9]*$ ]] || usage_fail "--sizes: '$n' is not a thread count"; done
}

section_on() { case " $SECTIONS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# --- work dir, helpers, clean-up ---------------------------------------------------------------

WORK=$(mktemp -d /tmp/threadlens-bench.XXXXXX)
TMUX_SOCK=$WORK/tmux.sock
CHILD_PIDS=()
cleanup() {
    local p
    for p in "${CHILD_PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
    tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
    wait 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_helpers() {
    local cf=(-std=gnu17 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Wshadow -Wstrict-prototypes -Wformat=2 -Werror)
    cc "${cf[@]}" -pthread -o "$WORK/bench-target" "$ROOT/bench/target.c" || die "cannot build bench/target.c"
    cc "${cf[@]}" -o "$WORK/bench-measure" "$ROOT/bench/measure.c" || die "cannot build bench/measure.c"
}

# kv KEY "k=v k=v ...": the value of KEY, or NA.
kv() {
    local w
    for w in $2; do [ "${w%%=*}" = "$1" ] && { echo "${w#*=}"; return; }; done
    echo NA
}

# wait_ready FILE PID SECONDS: waits for a line "ready" in FILE while PID lives.
wait_ready() {
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        grep -qx ready "$1" 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# --- targets -------------------------------------------------------------------------------------

TPID=""; HB=""; TWIN_PID=""
# spawn_target N NAME: starts a bench-target with N workers; sets SPAWNED to its PID.
spawn_target() {
    "$WORK/bench-target" "$1" "$WORK/heartbeat-$2" >"$WORK/$2.out" 2>"$WORK/$2.err" &
    SPAWNED=$!
    CHILD_PIDS+=("$SPAWNED")
    wait_ready "$WORK/$2.out" "$SPAWNED" 60 || die "the $1-thread target did not start: $(cat "$WORK/$2.err")"
}

# start_target N [twin]: the measured target (TPID, its heartbeat HB) and, with "twin", a second
# one of the same size (TWIN_PID) that control runs look at instead, under the same load.
start_target() {
    spawn_target "$1" "target-$1"
    TPID=$SPAWNED
    HB=$WORK/heartbeat-target-$1
    HB_FIFO=$(kv fifo "$(hb_read)")
    [ "${2:-}" = twin ] && { spawn_target "$1" "twin-$1"; TWIN_PID=$SPAWNED; }
}

stop_target() {
    local p
    for p in $TPID $TWIN_PID; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    TPID=""; HB=""; TWIN_PID=""
}

# hb_read: the heartbeat's record since the last read (and resets it); empty without a heartbeat.
hb_read() { [ -n "$HB" ] && "$WORK/bench-target" --read "$HB"; }

# --- tools ---------------------------------------------------------------------------------------
# Each tool has a command (CMD), a label for the table, and how its output splits into threads.

tool_cmd() {
    case $1 in
    tl) CMD=("$THREADLENS" dump "$TPID") ;;
    eu-stack) CMD=(eu-stack -p "$TPID") ;;
    gdb) CMD=(gdb -batch -p "$TPID" -ex "thread apply all bt") ;;
    idle) CMD=(sleep 0.1) ;;
    tl-twin) CMD=("$THREADLENS" dump "$TWIN_PID") ;;
    tl-nostacks-twin) CMD=("$THREADLENS" dump --no-stacks "$TWIN_PID") ;;
    tl-nostacks) CMD=("$THREADLENS" dump --no-stacks "$TPID") ;;
    tl-nowaits) CMD=("$THREADLENS" dump --no-stacks --no-waits "$TPID") ;;
    ps) CMD=(ps -L -o "tid,comm,stat,wchan" -p "$TPID") ;;
    jstack) CMD=(jstack "$TPID") ;;
    tl-nojvm) CMD=("$THREADLENS" dump --no-jvm "$TPID") ;;
    tl-jvm-nostacks) CMD=("$THREADLENS" dump --no-stacks "$TPID") ;;
    tl-nosummary) CMD=("$THREADLENS" dump --no-summary "$TPID") ;;
    esac
}

tool_label() {
    case $1 in
    tl) echo "threadlens dump PID" ;;
    eu-stack) echo "eu-stack -p PID" ;;
    gdb) echo "gdb -batch -p PID -ex 'thread apply all bt'" ;;
    idle) echo "(idle: sleep 0.1, heartbeat baseline)" ;;
    tl-twin) echo "(control: threadlens dump OTHER_PID, a twin target)" ;;
    tl-nostacks-twin) echo "(control: threadlens dump --no-stacks OTHER_PID, a twin target)" ;;
    tl-nostacks) echo "threadlens dump --no-stacks PID" ;;
    tl-nowaits) echo "threadlens dump --no-stacks --no-waits PID" ;;
    ps) echo "ps -L -o tid,comm,stat,wchan -p PID" ;;
    jstack) echo "jstack PID" ;;
    tl-nojvm) echo "threadlens dump --no-jvm PID (native only)" ;;
    tl-jvm-nostacks) echo "threadlens dump --no-stacks PID (Java only)" ;;
    tl-nosummary) echo "threadlens dump --no-summary PID" ;;
    esac
}

# The line that starts each thread's block in the tool's output (awk regex); none: no stacks.
tool_thread_start() {
    case $1 in
    tl | tl-twin | jstack | tl-nojvm | tl-jvm-nostacks | tl-nosummary) echo '^"' ;;
    eu-stack) echo '^TID ' ;;
    gdb) echo '^Thread ' ;;
    esac
}

# chain_count TOOL FILE: how many threads show CHAIN (innermost first) in order in FILE.
CHAIN=(bench_level_c bench_level_b bench_level_a)
chain_count() {
    local start; start=$(tool_thread_start "$1")
    [ -z "$start" ] && { echo NA; return; }
    awk -v start="$start" -v p1="${CHAIN[0]}" -v p2="${CHAIN[1]}" -v p3="${CHAIN[2]}" '
        function close_block() { if (st == 3) n++; st = 0 }
        $0 ~ start { close_block() }
        st == 0 && index($0, p1) { st = 1; next }
        st == 1 && index($0, p2) { st = 2; next }
        st == 2 && index($0, p3) { st = 3 }
        END { close_block(); print n + 0 }' "$2"
}

# run_one GROUP TOOL: one measured run; appends "tool wall cpu rss stall status chain" to GROUP.
run_one() {
    local group=$1 tool=$2 m stall chain
    tool_cmd "$tool"
    hb_read >/dev/null
    m=$("$WORK/bench-measure" "$TIMEOUT" "$WORK/out" "$WORK/err" "${CMD[@]}")
    stall=$(kv max_late_us "$(hb_read)")
    chain=$(chain_count "$tool" "$WORK/out")
    [ "$tool" = tl ] && head -1 "$WORK/out" >"$WORK/$group.tl-head"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$(kv wall_ms "$m")" "$(kv cpu_ms "$m")" \
        "$(kv maxrss_kib "$m")" "$stall" "$(kv status "$m")" "$chain" >>"$WORK/$group.tsv"
    LAST_WALL=$(kv wall_ms "$m")
    say "$group run $3: $(tool_label "$tool"): ${LAST_WALL} ms, stall ${stall} us, chain ${chain}"
}

# run_group GROUP TOOL...: RUNS rounds, each running every tool once (interleaved).
# gdb gets at most 3 runs when a run of it took longer than GDB_SLOW_MS.
run_group() {
    local group=$1 r tool gdb_max=$RUNS; shift
    : >"$WORK/$group.tsv"
    for ((r = 1; r <= RUNS; r++)); do
        for tool in "$@"; do
            [ "$tool" = gdb ] && [ "$r" -gt "$gdb_max" ] && continue
            run_one "$group" "$tool" "$r/$RUNS"
            if [ "$tool" = gdb ] && awk -v w="$LAST_WALL" -v s="$GDB_SLOW_MS" 'BEGIN { exit !(w + 0 > s + 0) }' \
                && [ "$gdb_max" -gt 3 ]; then
                gdb_max=3
                echo "$group" >>"$WORK/gdb-capped"
            fi
        done
    done
}

# --- statistics ----------------------------------------------------------------------------------

# col GROUP TOOL N: column N (2 wall, 3 cpu, 4 rss, 5 stall, 6 status, 7 chain) of TOOL's runs.
col() { awk -F'\t' -v t="$2" -v c="$3" '$1 == t && $c != "NA" { print $c }' "$WORK/$1.tsv"; }
median() {
    sort -g | awk '{ a[NR] = $1 } END { if (!NR) print "NA"; else if (NR % 2) print a[(NR + 1) / 2];
                                        else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
maximum() { sort -g | awk '{ m = $1 } END { print NR ? m : "NA" }'; }
minimum() { sort -g | awk 'NR == 1 { m = $1 } END { print NR ? m : "NA" }'; }
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { if (v == "NA" || v == "") print "n/a"; else printf f, v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA" || b + 0 == 0) print "n/a"; else printf "%.1f×", a / b }'; }
runs_of() { col "$1" "$2" 2 | wc -l; }
statuses() { col "$1" "$2" 6 | sort -u | paste -sd, -; }

med_wall() { col "$1" "$2" 2 | median; }
med_cpu() { col "$1" "$2" 3 | median; }
med_rss() { col "$1" "$2" 4 | median; }
max_stall() { col "$1" "$2" 5 | maximum; }
med_stall() { col "$1" "$2" 5 | median; }
# stall_cell GROUP TOOL: "max (median)" of the per-run worst stalls, in µs.
stall_cell() {
    local m; m=$(max_stall "$1" "$2")
    [ "$m" = NA ] && { echo n/a; return; }
    echo "$m ($(fmt "$(med_stall "$1" "$2")" %d))"
}
min_chain() { col "$1" "$2" 7 | minimum; }

# row GROUP TOOL NTHREADS: one Markdown row of the main table.
row() {
    local g=$1 t=$2 n=$3 chain rss
    chain=$(min_chain "$g" "$t")
    [ "$chain" != NA ] && chain="$chain/$n"
    rss=$(awk -v k="$(med_rss "$g" "$t")" 'BEGIN { print k / 1024 }')
    [ "$t" = idle ] && { printf '| %s | %s | %s | | | | %s | | |\n' "$n" "$(tool_label "$t")" \
        "$(runs_of "$g" "$t")" "$(stall_cell "$g" "$t")"; return; }
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$n" "$(tool_label "$t")" \
        "$(runs_of "$g" "$t")" "$(fmt "$(med_wall "$g" "$t")" %.1f)" "$(fmt "$(med_cpu "$g" "$t")" %.1f)" \
        "$(fmt "$rss" %.1f)" "$(stall_cell "$g" "$t")" "${chain/NA/–}" "$(statuses "$g" "$t")"
}

table_head() {
    echo "| threads | tool | runs | wall ms (median) | CPU ms (median) | peak RSS MiB (median) | worst stall µs: max (median) | call chain found (min) | exit codes |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---|"
}

# --- section: native stacks (issue 3) ------------------------------------------------------------

STACK_GROUPS=()
bench_stacks() {
    local n
    for n in $SIZES; do
        say "stacks: starting a $n-thread target"
        start_target "$n" twin
        run_group "stacks-$n" tl eu-stack gdb tl-twin idle
        "$THREADLENS" dump --stats "$TPID" 2>/dev/null | grep '^Stall:' | paste -sd ' ' >"$WORK/stall-$n.txt"
        stop_target
        STACK_GROUPS+=("$n")
    done
}

ratio_row() {
    local g=stacks-$1 t=$2
    printf '| %s | %s / threadlens | %s | %s | %s | %s |\n' "$1" "$t" \
        "$(ratio "$(med_wall "$g" "$t")" "$(med_wall "$g" tl)")" "$(ratio "$(med_cpu "$g" "$t")" "$(med_cpu "$g" tl)")" \
        "$(ratio "$(med_rss "$g" "$t")" "$(med_rss "$g" tl)")" "$(ratio "$(max_stall "$g" "$t")" "$(max_stall "$g" tl)")"
}

# goal_word VALUE LIMIT: "met" when VALUE <= LIMIT.
goal_word() { awk -v v="$1" -v l="$2" 'BEGIN { print (v + 0 <= l + 0) ? "met" : "**missed**" }'; }
goal_row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$(awk "BEGIN { print ($4) ? \"yes\" : \"**no**\" }")"; }

# stall_goal_row MAX CONTROL_MAX MEDIAN CONTROL_MEDIAN: the heartbeat's lateness has a noise
# floor here, so the stall is also judged against the control runs (same dump, other process).
stall_goal_row() {
    local met=yes
    if awk -v s="$1" 'BEGIN { exit !(s > 1000) }'; then
        met="**no**"
        awk -v s="$3" -v b="$4" 'BEGIN { exit !(s <= b) }' && met="no, but its median is within the control's"
    fi
    printf '| %s | %s | %s | %s |\n' "target's worst stall" "≤ 1000 µs" \
        "max $1 µs, median of the runs $3 µs (control: max $2, median $4 µs)" "$met"
}

report_goals() {
    local g=stacks-1000 w c r s ch
    w=$(awk -v a="$(med_wall $g eu-stack)" -v b="$(med_wall $g tl)" 'BEGIN { print a / b }')
    c=$(awk -v a="$(med_cpu $g eu-stack)" -v b="$(med_cpu $g tl)" 'BEGIN { print (b > 0) ? a / b : 0 }')
    r=$(awk -v k="$(med_rss $g tl)" 'BEGIN { print k / 1024 }')
    s=$(max_stall $g tl); ch=$(min_chain $g tl)
    echo
    echo "Goals of issue 3 at 1000 threads (this run):"
    echo
    echo "| goal | target | measured | met |"
    echo "|---|---|---|---|"
    goal_row "wall vs eu-stack" "eu-stack/threadlens ≥ 8" "$(fmt "$w" %.1f)×" "$w >= 8"
    goal_row "CPU vs eu-stack" "eu-stack/threadlens ≥ 8" "$(fmt "$c" %.1f)×" "$c >= 8"
    stall_goal_row "$s" "$(max_stall $g tl-twin)" "$(fmt "$(med_stall $g tl)" %d)" "$(fmt "$(med_stall $g tl-twin)" %d)"
    goal_row "peak RSS" "≤ 16 MiB" "$(fmt "$r" %.1f) MiB" "$r <= 16"
    goal_row "known call chain found" "1000/1000 threads" "$ch/1000" "$ch >= 1000"
}

report_stacks() {
    local n
    echo "## Native stacks: threadlens dump vs eu-stack vs gdb (issue 3)"
    echo
    table_head
    for n in "${STACK_GROUPS[@]}"; do
        row "stacks-$n" tl "$n"; row "stacks-$n" eu-stack "$n"; row "stacks-$n" gdb "$n"
        row "stacks-$n" tl-twin "$n"; row "stacks-$n" idle "$n"
    done
    echo
    echo "| threads | ratio | wall | CPU | peak RSS | worst stall |"
    echo "|---:|---|---:|---:|---:|---:|"
    for n in "${STACK_GROUPS[@]}"; do ratio_row "$n" eu-stack; ratio_row "$n" gdb; done
    [ -f "$WORK/gdb-capped" ] && { echo; echo "gdb was capped at 3 runs (a run took over $((GDB_SLOW_MS / 1000)) s) for: $(paste -sd' ' "$WORK/gdb-capped")."; }
    report_self_stats
    case " ${STACK_GROUPS[*]} " in *" 1000 "*) report_goals ;; esac
    stacks_note
}

# threadlens's own account of how long it stopped threads (dump --stats), one extra run per size.
report_self_stats() {
    local n
    grep -qs . "$WORK"/stall-*.txt || return 0
    echo
    echo "threadlens's own account (\`threadlens dump --stats PID\`, one extra run per size):"
    echo
    for n in "${STACK_GROUPS[@]}"; do echo "- $n threads: $(cat "$WORK/stall-$n.txt")"; done
}

stacks_note() {
    local n=${STACK_GROUPS[-1]}
    [ "$(min_chain "stacks-$n" tl)" = 0 ] || return 0
    echo
    echo "Note: threadlens found no call chain: this build prints no stacks yet (its first line: \`$(head -1 "$WORK/stacks-$n.tl-head" 2>/dev/null)\`)."
}

# --- section: stack groups and the summary (issue 13: they add at most 5 ms at 1000 threads) ---

have_summary() { "$THREADLENS" dump --help 2>/dev/null | grep -q -- '--no-summary'; }

# Twice the runs: the difference sought (a few ms) is small against a dump's noise here.
bench_summary() {
    have_summary || { SUMMARY_NOTE="skipped: this threadlens has no --no-summary"; return; }
    SUMMARY_NOTE=""
    say "summary: starting a 1000-thread target"
    start_target 1000
    local runs=$RUNS
    RUNS=$((RUNS * 2 + 1))
    run_group summary tl tl-nosummary
    SUMMARY_RUNS=$RUNS
    RUNS=$runs
    summary_in_process
    stop_target
}

# bench/summary_time.c: the same cost inside one process on one snapshot (no exec, no /proc, no
# ptrace: what the machine's other load does not inflate), built against the binary's library.
summary_in_process() {
    local build libs; build=$(dirname "$THREADLENS")
    SUMMARY_TIME=""
    libs=$(pkg-config --libs jansson libunwind-ptrace libdw libseccomp 2>/dev/null) || return 0
    [ -f "$build/libthreadlens_core.a" ] || return 0
    # shellcheck disable=SC2086
    cc -O2 -I"$ROOT/include" -o "$WORK/summary-time" "$ROOT/bench/summary_time.c" "$build/libthreadlens_core.a" \
        $libs -pthread -ldl 2>"$WORK/summary-time.err" || { SUMMARY_TIME="(bench/summary_time.c did not build: $(head -1 "$WORK/summary-time.err"))"; return 0; }
    say "summary: in-process timing (bench/summary_time.c)"
    SUMMARY_TIME=$("$WORK/summary-time" "$TPID" 21 2>&1)
}

# paired_diff COLUMN: median over the rounds of (dump - dump --no-summary) in the same round.
paired_diff() {
    awk -F'\t' -v c="$1" '$1 == "tl" { a[++na] = $c } $1 == "tl-nosummary" { b[++nb] = $c }
        END { for (i = 1; i <= na && i <= nb; i++) print a[i] - b[i] }' "$WORK/summary.tsv" | median
}

report_summary() {
    echo "## Stack groups and the summary, 1000 threads (issue 13: ≤ 5 ms more than --no-summary)"
    echo
    [ -n "${SUMMARY_NOTE:-}" ] && { echo "$SUMMARY_NOTE."; return; }
    table_head
    row summary tl 1000; row summary tl-nosummary 1000
    echo
    local dw dc pw pc
    dw=$(awk -v a="$(med_wall summary tl)" -v b="$(med_wall summary tl-nosummary)" 'BEGIN { printf "%.1f", a - b }')
    dc=$(awk -v a="$(med_cpu summary tl)" -v b="$(med_cpu summary tl-nosummary)" 'BEGIN { printf "%.1f", a - b }')
    pw=$(fmt "$(paired_diff 2)" %.1f); pc=$(fmt "$(paired_diff 3)" %.1f)
    echo "Cost of grouping and the summary ($SUMMARY_RUNS interleaved runs each): difference of the medians wall $dw ms, CPU $dc ms; median of the per-round differences wall $pw ms, CPU $pc ms; goal ≤ 5 ms: by CPU $(goal_word "$pc" 5). (The 1000 workers share one stack: one group of 1000 compared frame by frame.)"
    [ -n "${SUMMARY_TIME:-}" ] || return 0
    echo
    echo "Inside one process (\`bench/summary_time.c\`: one snapshot of the same target, format_text with and without the summary to /dev/null, 21 runs each, CPU time):"
    echo
    echo '```'
    echo "$SUMMARY_TIME"
    echo '```'
}

# --- sections: counters vs ps (issue 2) and wait analysis (issue 4) ------------------------------

have_no_waits() { "$THREADLENS" dump --help 2>/dev/null | grep -q -- '--no-waits'; }

bench_counters() {
    local tools=(tl-nostacks)
    have_no_waits && tools+=(tl-nowaits)
    section_on ps && tools+=(ps)
    tools+=(tl-nostacks-twin idle)
    say "counters: starting a 1000-thread target"
    start_target 1000 twin
    run_group counters "${tools[@]}"
    stop_target
}

report_ps() {
    echo "## Counters only: threadlens dump --no-stacks vs ps, 1000 threads (issue 2)"
    echo
    table_head
    row counters tl-nostacks 1000; row counters ps 1000; row counters tl-nostacks-twin 1000; row counters idle 1000
    echo
    echo "ps / threadlens --no-stacks: wall $(ratio "$(med_wall counters ps)" "$(med_wall counters tl-nostacks)"), CPU $(ratio "$(med_cpu counters ps)" "$(med_cpu counters tl-nostacks)"). (threadlens also reads each thread's syscall file and analyses waits; ps reads stat and wchan.)"
}

report_waits() {
    echo "## Wait analysis, 1000 threads (issue 4: goal ≤ 20 ms, zero stall)"
    echo
    table_head
    row counters tl-nostacks 1000
    have_no_waits && row counters tl-nowaits 1000
    row counters tl-nostacks-twin 1000; row counters idle 1000
    echo
    if have_no_waits; then
        local d c
        d=$(awk -v a="$(med_wall counters tl-nostacks)" -v b="$(med_wall counters tl-nowaits)" 'BEGIN { printf "%.1f", a - b }')
        c=$(awk -v a="$(med_cpu counters tl-nostacks)" -v b="$(med_cpu counters tl-nowaits)" 'BEGIN { printf "%.1f", a - b }')
        echo "Cost of the wait analysis (difference of the medians): wall $d ms, CPU $c ms; goal ≤ 20 ms: by wall $(goal_word "$d" 20), by CPU $(goal_word "$c" 20) (CPU is what other load on the machine does not inflate; on sleeping threads the analysis has little to do: see bench/waits.sh below when present)."
    else
        echo "threadlens has no --no-waits option yet: the wall above (counters + waits) is an upper bound of the wait analysis' cost."
    fi
    echo
    echo "Zero stall: no thread is stopped in this mode; the heartbeat's lateness (max $(max_stall counters tl-nostacks), median $(fmt "$(med_stall counters tl-nostacks)" %d) µs) compares with the control's, the same dump of a twin process (max $(max_stall counters tl-nostacks-twin), median $(fmt "$(med_stall counters tl-nostacks-twin)" %d) µs), and idle (max $(max_stall counters idle) µs)."
    report_waits_crowd
}

# bench/waits.sh (kept by the wait-analysis work) measures the same on a target whose threads
# block on mutexes and pipes, which costs the analysis more than sleepers; run when it is there.
bench_waits_crowd() {
    local build; build=$(dirname "$THREADLENS")
    WAITS_CROWD=""
    [ -x "$ROOT/bench/waits.sh" ] && [ -x "$build/targets/waits_crowd" ] || return 0
    say "waits: bench/waits.sh on the waits_crowd target"
    WAITS_CROWD=$(BUILD=$build THREADLENS=$THREADLENS "$ROOT/bench/waits.sh" 1000 $((RUNS * 2 + 1)) 2>&1)
}

report_waits_crowd() {
    [ -n "${WAITS_CROWD:-}" ] || return 0
    echo
    echo "On threads blocked on mutexes and pipes (\`bench/waits.sh 1000 $((RUNS * 2 + 1))\`, target \`waits_crowd\`):"
    echo
    echo '```'
    echo "$WAITS_CROWD"
    echo '```'
}

# --- section: UI CPU (issue 5) -------------------------------------------------------------------

have_top() {
    local help
    help=$("$THREADLENS" top --help 2>&1) && ! grep -q 'not built yet' <<<"$help"
}

# cpu_ticks PID: utime+stime of all its threads (live and exited), in clock ticks.
# schedstat_ns PID: time on CPU of its live threads, in ns (per-thread files, summed).
cpu_ticks() { awk '{ s = $0; sub(/.*\) /, "", s); split(s, f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
schedstat_ns() {
    [ -d "/proc/$1/task" ] || return 1
    cat "/proc/$1"/task/*/schedstat 2>/dev/null | awk '{ n += $1 } END { printf "%.0f\n", n }'
}

ui_start() {
    local name=$1; shift
    HOME=$WORK/home XDG_CONFIG_HOME=$WORK/home/.config TERM=xterm-256color \
        tmux -S "$TMUX_SOCK" -f /dev/null new-session -d -s "$name" -x 200 -y 50 "exec $*"
    tmux -S "$TMUX_SOCK" list-panes -t "$name" -F '#{pane_pid}'
}

# ui_stop PID...: ends the UIs while their tmux server still lives to reap them, then the server.
ui_stop() {
    local i
    kill -TERM "$@" 2>/dev/null
    for ((i = 0; i < 20; i++)); do
        kill -0 "$@" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$@" 2>/dev/null
    sleep 0.2
    tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
}

bench_top() {
    UI_NOTE=""
    have_top || { UI_NOTE="skipped: \`threadlens top\` does not exist yet in this build"; say "top: $UI_NOTE"; return; }
    command -v htop >/dev/null || { UI_NOTE="skipped: htop is not installed (make deps installs it)"; return; }
    mkdir -p "$WORK/home/.config"
    start_target 1000
    local tl_pid htop_pid
    tl_pid=$(ui_start tl "'$THREADLENS' top -d 1 $TPID")
    htop_pid=$(ui_start htop "htop -d 10 -p $TPID")
    sleep 2   # first refresh and start-up do not count
    if ! kill -0 "$tl_pid" 2>/dev/null || ! kill -0 "$htop_pid" 2>/dev/null; then
        UI_NOTE="skipped: threadlens top or htop exited within 2 s of its start"
        ui_stop "$tl_pid" "$htop_pid"; stop_target; return
    fi
    hb_read >/dev/null
    local t0 h0 ts0 hs0
    t0=$(cpu_ticks "$tl_pid"); h0=$(cpu_ticks "$htop_pid"); ts0=$(schedstat_ns "$tl_pid"); hs0=$(schedstat_ns "$htop_pid")
    local t1=$t0 h1=$h0 ts1=$ts0 hs1=$hs0 i v
    for ((i = 0; i < TOP_SECONDS; i++)); do   # the last readable figures count if one exits early
        sleep 1
        v=$(cpu_ticks "$tl_pid" 2>/dev/null) && t1=$v
        v=$(cpu_ticks "$htop_pid" 2>/dev/null) && h1=$v
        v=$(schedstat_ns "$tl_pid" 2>/dev/null) && ts1=$v
        v=$(schedstat_ns "$htop_pid" 2>/dev/null) && hs1=$v
    done
    UI_TL=$(( (t1 - t0) * 1000 / $(getconf CLK_TCK) )); UI_HTOP=$(( (h1 - h0) * 1000 / $(getconf CLK_TCK) ))
    UI_TL_NS=$((ts1 - ts0)); UI_HTOP_NS=$((hs1 - hs0))
    UI_STALL=$(kv max_late_us "$(hb_read)")
    kill -0 "$tl_pid" 2>/dev/null || UI_NOTE="threadlens top exited during the window: its figures are partial"
    ui_stop "$tl_pid" "$htop_pid"
    stop_target
}

ui_row() {
    printf '| %s | %s | %s | %s |\n' "$1" "$2" "$(awk -v c="$2" -v s="$TOP_SECONDS" 'BEGIN { printf "%.1f", c / s }')" \
        "$(awk -v n="$3" 'BEGIN { printf "%.1f", n / 1e6 }')"
}

report_top() {
    echo "## UI CPU at a 1 s refresh over ${TOP_SECONDS} s, 1000 threads (issue 5)"
    echo
    case $UI_NOTE in skipped*) echo "$UI_NOTE."; return ;; ?*) echo "**$UI_NOTE.**"; echo ;; esac
    echo "Both in detached tmux sessions of 200×50, measured over the same ${TOP_SECONDS} s (after 2 s of start-up)."
    echo
    echo "| tool | CPU ms (utime+stime) | per refresh ms | on CPU ms (schedstat, live threads) |"
    echo "|---|---:|---:|---:|"
    ui_row "threadlens top -d 1 PID" "$UI_TL" "$UI_TL_NS"
    ui_row "htop -d 10 -p PID" "$UI_HTOP" "$UI_HTOP_NS"
    echo
    echo "htop / threadlens: $(ratio "$UI_HTOP" "$UI_TL") (utime+stime), $(ratio "$UI_HTOP_NS" "$UI_TL_NS") (on-CPU time); goal ≥ 1.0×. Target's worst stall during the window: $UI_STALL µs."
}

# --- section: JVM (issue 7) ----------------------------------------------------------------------

bench_jvm() {
    JVM_NOTE=""
    if ! command -v javac >/dev/null || ! command -v jstack >/dev/null; then
        JVM_NOTE="skipped: no JDK (javac, jstack) on this machine; apt-get install default-jdk-headless"; say "jvm: $JVM_NOTE"; return
    fi
    mkdir -p "$WORK/java"
    javac -d "$WORK/java" "$ROOT/bench/BenchJava.java" || { JVM_NOTE="skipped: javac failed"; return; }
    java -Xss256k -Xmx64m -XX:+UseSerialGC -cp "$WORK/java" BenchJava "$JVM_THREADS" >"$WORK/jvm.out" 2>"$WORK/jvm.err" &
    TPID=$!
    CHILD_PIDS+=("$TPID")
    wait_ready "$WORK/jvm.out" "$TPID" 60 || { JVM_NOTE="skipped: the JVM did not start: $(head -3 "$WORK/jvm.err")"; stop_target; return; }
    HB=""
    CHAIN=(BenchJava.levelC BenchJava.levelB BenchJava.levelA)
    local tools=(tl jstack)
    "$THREADLENS" dump --help 2>/dev/null | grep -q -- --no-jvm && tools+=(tl-nojvm tl-jvm-nostacks)
    JVM_TOOLS=("${tools[@]}")
    run_group jvm "${tools[@]}"
    CHAIN=(bench_level_c bench_level_b bench_level_a)
    stop_target
}

report_jvm() {
    echo "## JVM with $JVM_THREADS threads: threadlens dump vs jstack (issue 7: no slower than jstack)"
    echo
    [ -n "$JVM_NOTE" ] && { echo "$JVM_NOTE."; return; }
    table_head
    local t
    for t in "${JVM_TOOLS[@]}"; do row jvm "$t" "$JVM_THREADS"; done
    echo
    [ "$(min_chain jvm tl)" = 0 ] && echo "Note: threadlens showed no Java frames: this build has no JVM support yet." && echo
    local w; w=$(ratio "$(med_wall jvm jstack)" "$(med_wall jvm tl)")
    echo "jstack / threadlens dump: wall $w, CPU $(ratio "$(med_cpu jvm jstack)" "$(med_cpu jvm tl)"); goal ≥ 1.0× (no slower than jstack): $(awk -v a="$(med_wall jvm jstack)" -v b="$(med_wall jvm tl)" 'BEGIN { print (a >= b) ? "met" : "**missed**" }')."
    echo "Call chain = the Java frames levelC ← levelB ← levelA in one thread's block; no heartbeat in the JVM (stall n/a)."
}

# --- the report ----------------------------------------------------------------------------------

report_header() {
    echo "# threadlens benchmark"
    echo
    echo "Command: \`$CMDLINE\` — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -sr), $($THREADLENS --version 2>/dev/null)" \
         "(git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ', uncommitted changes'))."
    echo "Load average (1 min) at the start: $LOAD_START, at the end: $(cut -d' ' -f1 /proc/loadavg) — other work on the machine moves absolute times; ratios hold better."
    echo "Runs per tool: $RUNS, interleaved on the same target. Heartbeat: $( [ "${HB_FIFO:-0}" = 1 ] && echo "SCHED_FIFO" || echo "normal priority (SCHED_FIFO not permitted)"), 100 µs period."
    echo "Medians of wall, CPU (user+sys) and peak RSS; the worst stall is the heartbeat's largest lateness over all runs of the tool. Columns: bench/README.md."
}

main() {
    parse_args "$@"
    [ -x "$THREADLENS" ] || die "no threadlens binary at $THREADLENS; build it first (make build) or pass --threadlens PATH"
    build_helpers
    LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
    section_on stacks && bench_stacks
    section_on ps || section_on waits && bench_counters
    section_on waits && bench_waits_crowd
    section_on top && bench_top
    section_on jvm && bench_jvm
    section_on summary && bench_summary
    {
        report_header
        section_on stacks && { echo; report_stacks; }
        section_on ps && { echo; report_ps; }
        section_on waits && { echo; report_waits; }
        section_on top && { echo; report_top; }
        section_on jvm && { echo; report_jvm; }
        section_on summary && { echo; report_summary; }
    } >"$WORK/report.md"
    cp "$WORK/report.md" "$OUT"
    cat "$WORK/report.md"
}

main "$@"
