# `threadlens demo` stops its workload however threadlens exits: killed with SIGKILL (no
# handler can run: the workload follows through PR_SET_PDEATHSIG) or with SIGTERM, the
# workload and its child process are gone afterwards. The live view needs a terminal: tmux.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
need tmux
need pgrep
sock=tl-dumptests-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null; cleanup_targets' EXIT

# run_demo: starts threadlens demo in a detached tmux pane; sets TL (its PID), WL, KID.
errf=$(mktemp)
run_demo() {
    tmux -L "$sock" kill-server 2>/dev/null
    tmux -L "$sock" new-session -d -x 120 -y 40 "exec '$THREADLENS' demo --no-color 2>'$errf'" \
        || fail "tmux could not start threadlens demo"
    TL=$(tmux -L "$sock" display-message -p '#{pane_pid}' 2>/dev/null)
    [ -n "$TL" ] || fail "threadlens demo ended at once in tmux: $(cat "$errf")"
    WL="" KID=""
    local i
    for i in $(seq 100); do
        WL=$(pgrep -P "$TL" -x demo-workload) && KID=$(pgrep -P "$WL" -x demo-child) && return 0
        sleep 0.1
    done
    fail "threadlens demo (PID $TL) did not start its workload and child within 10 s: $(cat "$errf")"
}

for sig in KILL TERM; do
    run_demo
    kill -s "$sig" "$TL"
    left=$(gone_within_10s "$TL" "$WL" "$KID")
    [ -z "$left" ] || fail "after SIG$sig of threadlens demo these still run: $(ps -o pid,ppid,stat,comm -p "${left//$'\n'/,}")"
    echo "SIG$sig: threadlens $TL, workload $WL and child $KID all gone"
done
rm -f "$errf"
echo "ok"
