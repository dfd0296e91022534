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
interrupted=0
for i in $(seq "$runs"); do
    sig=${signals[$((i % ${#signals[@]}))]}
    "$THREADLENS" dump "$pid" >/dev/null 2>&1 &
    tl=$!
    # a random moment inside the dump, which takes a few hundred ms here: reading /proc first,
    # then the stack pass where threads are stopped one by one
    sleep "0.$(printf '%03d' $((RANDOM % 500)))"
    # only while it is still our child: once it exited, its PID may name another test's process
    is_our_child "$tl" && kill -s "$sig" "$tl" 2>/dev/null && interrupted=$((interrupted + 1))
    wait "$tl" 2>/dev/null
    stopped=$(threads_stopped "$pid")
    [ -z "$stopped" ] || fail "after SIG$sig (run $i) threads left stopped: $stopped"
done
before=$(heartbeat_switches)
sleep 0.3
after=$(heartbeat_switches)
[ -n "$before" ] && [ "$after" -gt "$before" ] || fail "the target made no progress ($before -> $after)"
kill -0 "$pid" || fail "the target died"
echo "ok: $runs dumps, $interrupted interrupted mid-run by a signal, no thread left stopped, target progressing"
