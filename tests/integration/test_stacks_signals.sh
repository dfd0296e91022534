# No thread of the target is left stopped (state t/T) when threadlens is interrupted in the
# middle of its stack pass: SIGINT and SIGTERM (blocked while a thread is stopped, so they land
# after the detach) and SIGKILL (a dying tracer detaches its seized threads). The target has
# ~2000 threads, and the signal is sent after the pass has begun (the first thread it stops,
# "chain", has switched context), after a short random delay.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stacks_lib.sh"

ROUNDS=2
POLL_MAX=20000   # bound on the polls waiting for the stack pass to begin

ctxsw() {
    local l
    while read -r l; do
        case $l in voluntary_ctxt_switches*) echo "${l##*:}"; return ;; esac
    done <"/proc/$1/task/$2/status"
}

start_target stacks_chain 2000
pid=$TARGET_PID
tid=$(tid_of "$pid" chain) || fail "no thread named chain"
interrupted=0
for round in $(seq "$ROUNDS"); do
    for sig in INT TERM KILL; do
        for mode in --json --consistent; do
            before=$(ctxsw "$pid" "$tid")
            # a background job of a script ignores SIGINT: give threadlens the default action
            env --default-signal=INT,TERM "$THREADLENS" dump $mode "$pid" >/dev/null 2>&1 &
            tl=$!
            for i in $(seq "$POLL_MAX"); do
                [ "$(ctxsw "$pid" "$tid")" != "$before" ] && break
                kill -0 "$tl" 2>/dev/null || break
            done
            sleep "0.0$(( RANDOM % 10 ))"
            is_our_child "$tl" && kill -s "$sig" "$tl" 2>/dev/null   # never a PID reused meanwhile
            wait "$tl"
            rc=$?
            [ "$rc" -gt 128 ] && interrupted=$((interrupted + 1))
            expect_none_stopped "$pid"
        done
    done
done
kill -0 "$pid" || fail "the target died"
[ "$interrupted" -gt 0 ] || fail "no dump was interrupted: every one finished before its signal"
echo "ok: $interrupted of $((ROUNDS * 6)) dumps interrupted mid-way, no thread left stopped"
