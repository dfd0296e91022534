# threadlens metrics: OpenMetrics text that promtool accepts, with the expected values on known
# targets (an ABBA deadlock: two lock waiters and a deadlock; a crowd of sleepers and one
# heartbeat: every thread but the heartbeat stayed blocked over the window), per-thread series
# only with --per-thread, the documented exit codes.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
need promtool
out=$(mktemp) err=$(mktemp)

# value FILE SERIES: the value of the one sample whose name and labels are exactly SERIES.
value() {
    local n
    n=$(awk -v s="$2 " 'index($0, s) == 1' "$1" | wc -l)
    [ "$n" -eq 1 ] || fail "series $2: $n samples, expected 1"
    awk -v s="$2 " 'index($0, s) == 1 {print $NF}' "$1"
}
# well_formed FILE WHAT: promtool accepts it, it ends in # EOF, no blank line.
well_formed() {
    promtool check metrics <"$1" >"$err.lint" 2>&1 || fail "$2: promtool rejects it: $(head -5 "$err.lint")"
    [ "$(tail -n 1 "$1")" = "# EOF" ] || fail "$2: does not end in # EOF"
    grep -q '^$' "$1" && fail "$2: a blank line (OpenMetrics forbids it)"
    [ "$(grep -c '^# EOF$' "$1")" -eq 1 ] || fail "$2: # EOF more than once"
}

start_target waits_abba
pid=$TARGET_PID
for i in $(seq 50); do   # the two threads reach their second lock just after ready
    dump "$out" "$err" metrics "$pid"
    grep -qx 'threadlens_deadlock 1' "$out" && break
    sleep 0.1
done
expect_rc 0
well_formed "$out" "metrics of waits_abba"
[ "$(value "$out" 'threadlens_deadlock')" = 1 ] || fail "the ABBA deadlock is not reported"
[ "$(value "$out" "threadlens_target_up{pid=\"$pid\"}")" = 1 ] || fail "target_up is not 1"
[ "$(value "$out" "threadlens_lock_waiters{pid=\"$pid\",name=\"waits_abba\"}")" = 2 ] || fail "not 2 lock waiters"
nthreads=$(tids "$pid" | wc -l)
sum=$(grep "^threadlens_threads{pid=\"$pid\"," "$out" | awk '{s += $NF} END {print s}')
[ "$sum" -eq "$nthreads" ] || fail "threads by state add up to $sum, the process has $nthreads"
[ "$(value "$out" "threadlens_threads{pid=\"$pid\",name=\"waits_abba\",state=\"running\"}")" = 0 ] || fail "a running thread in waits_abba"
grep -q '^threadlens_thread_' "$out" && fail "per-thread series without --per-thread"
[ "$(value "$out" 'threadlens_processes')" = 1 ] || fail "processes is not 1"
dump "$out" "$err" metrics "$pid" "$pid"   # a PID given twice: still one series each
expect_rc 0
dups=$(grep -v '^#' "$out" | sed 's/ [^ ]*$//' | sort | uniq -d)
[ -z "$dups" ] || fail "duplicate series when a PID is given twice: $dups"

dump "$out" "$err" metrics --per-thread "$pid"
expect_rc 0
well_formed "$out" "metrics --per-thread of waits_abba"
for tid in $(tids "$pid"); do
    [ "$(grep -c "^threadlens_thread_state{pid=\"$pid\",tid=\"$tid\"," "$out")" -eq 1 ] || fail "tid $tid: not one state sample"
    [ "$(grep -c "^threadlens_thread_cpu_seconds{pid=\"$pid\",tid=\"$tid\"," "$out")" -eq 2 ] || fail "tid $tid: not two CPU samples"
    [ "$(grep -c "^threadlens_thread_context_switches{pid=\"$pid\",tid=\"$tid\"," "$out")" -eq 2 ] || fail "tid $tid: not two context-switch samples"
    want=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$pid/task/$tid/status")
    got=$(grep "^threadlens_thread_context_switches{pid=\"$pid\",tid=\"$tid\",.*kind=\"voluntary\"}" "$out" | awk '{print $NF}')
    [ "$got" = "$want" ] || fail "tid $tid: voluntary switches $got, /proc says $want (a blocked thread's stay put)"
done

# Each thread's verdict over the window, as dump --count gives it: the two ABBA threads are
# blocked on their locks, the main thread idle in pause().
read -r a_tid b_tid < <(sed -n 's/^a=\([0-9]*\) b=\([0-9]*\) .*/\1 \2/p' "$TARGET_OUT")
for tid in $a_tid $b_tid; do
    [ "$(grep -c "^threadlens_thread_verdict{pid=\"$pid\",tid=\"$tid\",.*verdict=\"blocked\"} 1$" "$out")" -eq 1 ] \
        || fail "tid $tid: verdict not blocked: $(grep "thread_verdict{.*tid=\"$tid\"" "$out")"
done
[ "$(grep -c "^threadlens_thread_verdict{pid=\"$pid\",tid=\"$pid\",.*verdict=\"idle\"} 1$" "$out")" -eq 1 ] \
    || fail "the main thread's verdict is not idle: $(grep "thread_verdict{.*tid=\"$pid\"" "$out")"
[ "$(grep -c '^threadlens_thread_verdict{' "$out")" -eq "$(tids "$pid" | wc -l)" ] || fail "not one verdict per thread"

# The blocked-thread count over the window: every crowd thread but the heartbeat (10 ms naps).
start_target crowd 5
dump "$out" "$err" metrics --interval 0.3 "$TARGET_PID"
expect_rc 0
well_formed "$out" "metrics of crowd"
[ "$(value "$out" 'threadlens_window_seconds')" = 0.300 ] || fail "the window is not 0.300 s"
[ "$(value "$out" "threadlens_blocked_threads{pid=\"$TARGET_PID\",name=\"crowd\"}")" = 6 ] \
    || fail "blocked threads: $(grep blocked_threads{ "$out"), expected 6 (5 sleepers and main; not the heartbeat)"
[ "$(value "$out" 'threadlens_deadlock')" = 0 ] || fail "a deadlock in crowd"

# Exit codes: usage, a PID that does not exist.
for bad in "--interval 0" "--interval abc" "--bogus" "--listen-any $pid" "" "-o"; do
    dump "$out" "$err" metrics $bad
    expect_rc 64
    stderr_is_one_line_each "$err" "metrics $bad"
done
dump "$out" "$err" metrics 999999999
expect_rc 2
grep -q 'no process with PID 999999999' "$err" || fail "no clear error for a missing PID: $(cat "$err")"
rm -f "$out" "$err" "$err.lint"
echo "ok: deadlock, 2 lock waiters, $nthreads threads by state, 6 of 7 blocked over the window, promtool accepts"
