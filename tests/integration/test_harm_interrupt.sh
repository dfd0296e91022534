# Issue 6: killing threadlens at random moments during at least 100 dumps of a 2000-thread
# target never leaves a thread stopped (t/T), and the target keeps making progress.
# SIGKILL is safe by construction (PTRACE_SEIZE, no SIGSTOP; the kernel detaches on exit);
# SIGINT/SIGTERM/SIGHUP/SIGPIPE are held while a thread is stopped and act after its detach.
source "$(dirname "$0")/lib.sh"
start_target crowd 2000
pid=$TARGET_PID
runs=${TL_INTERRUPT_RUNS:-100}
signals=(KILL INT TERM HUP PIPE)
heartbeat_switches() {
    local tid
    for tid in /proc/"$pid"/task/*; do
        [ "$(cat "$tid/comm" 2>/dev/null)" = heartbeat ] && awk '/^voluntary_ctxt_switches/ {print $2}' "$tid/status"
    done
}
# how long one dump takes here, so that the random moments fall inside dumps
t0=$(date +%s%N)
"$THREADLENS" dump "$pid" >/dev/null 2>&1
dump_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$dump_ms" -ge 1 ] || dump_ms=1
interrupted=0
declare -A ended_by=()
for i in $(seq "$runs"); do
    sig=${signals[$((i % ${#signals[@]}))]}
    # a non-interactive shell starts background jobs with SIGINT (and SIGQUIT) ignored: without
    # --default-signal our SIGINTs never reached a dump
    env --default-signal=INT "$THREADLENS" dump "$pid" >/dev/null 2>&1 &
    tl=$!
    # a random moment inside the dump: reading /proc first, then the stack pass where threads
    # are stopped one by one
    ms=$((RANDOM % dump_ms))
    sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
    # only while it is still our child: once it exited, its PID may name another test's process
    is_our_child "$tl" && kill -s "$sig" "$tl" 2>/dev/null
    wait "$tl" 2>/dev/null
    rc=$?
    # interrupted = ended by that very signal (a dump that finished first exits 0 or 1)
    if [ "$rc" -eq $((128 + $(kill -l "$sig"))) ]; then
        interrupted=$((interrupted + 1))
        ended_by[$sig]=$((${ended_by[$sig]:-0} + 1))
    fi
    stopped=$(threads_stopped "$pid")
    [ -z "$stopped" ] || fail "after SIG$sig (run $i) threads left stopped: $stopped"
done
[ "$interrupted" -gt 0 ] || fail "no dump of $runs was ended by its signal: the test exercised nothing"
for sig in "${signals[@]}"; do
    [ "${ended_by[$sig]:-0}" -gt 0 ] || fail "no dump was ended by SIG$sig ($interrupted of $runs by any signal)"
done
before=$(heartbeat_switches)
sleep 0.3
after=$(heartbeat_switches)
[ -n "$before" ] && [ "$after" -gt "$before" ] || fail "the target made no progress ($before -> $after)"
kill -0 "$pid" || fail "the target died"
counts=$(for sig in "${signals[@]}"; do printf '%s=%s ' "$sig" "${ended_by[$sig]}"; done)
echo "ok: $runs dumps (one takes ${dump_ms} ms), $interrupted ended mid-run by their signal (${counts% }), no thread left stopped, target progressing"
