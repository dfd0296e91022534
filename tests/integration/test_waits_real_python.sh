# Python waiting on its own pipes is no deadlock (issue 14, item 1): asyncio's idle loop, the
# self-pipe trick (signal.set_wakeup_fd), a timed poll. Only a wait nothing but its holder can
# end is an edge: with no signal handler at all, a read of its own pipe is a self-deadlock
# (exit 3 with --fail-on-deadlock), unless a process outside the dump holds the write end too.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/waits_lib.sh"
source "$(dirname "$0")/real_lib.sh"
need jq
PY=/usr/bin/python3
[ -x "$PY" ] || skip "Debian's python3 is not installed (make deps installs it)"
SCRIPT=$TL_SOURCE/tests/real/py_waits.py

# mode, what the waiting thread's can_end_by must be, the deadlock count, the exit code of
# --fail-on-deadlock
check() {
    local mode=$1 end=$2 ndl=$3 want_rc=$4 pid tid json
    start_program "$PY" "$SCRIPT" "$mode"
    pid=$TARGET_PID
    if [ "$mode" = outside ]; then
        pid=$(field child)
        tid=$pid
    else
        tid=$(field tid)
    fi
    json=$(retry_until "$pid" "[.processes[].threads[] | select(.tid == $tid) | .waiting_on.kind] == [\"fd\"]")
    expect_jq "$json" "[.processes[].threads[] | select(.tid == $tid) | .waiting_on.kind] == [\"fd\"]" \
        "$mode: thread $tid does not wait on an fd"
    expect_jq "$json" "[.processes[].threads[] | select(.tid == $tid) | .waiting_on.can_end_by] == [$end]" \
        "$mode: thread $tid's can_end_by is not $end"
    expect_jq "$json" ".deadlocks | length == $ndl" "$mode: expected $ndl deadlocks"
    local rc
    rc=$(dump_rc --no-stacks --fail-on-deadlock "$pid")
    [ "$rc" = "$want_rc" ] || fail "$mode: dump --fail-on-deadlock exited $rc (expected $want_rc)"
    rc=$(dump_rc --fail-on-deadlock "$pid")
    [ "$rc" = "$want_rc" ] || fail "$mode: dump --fail-on-deadlock with stacks exited $rc (expected $want_rc)"
    kill -9 "$TARGET_PID" 2>/dev/null
    wait "$TARGET_PID" 2>/dev/null
    echo "ok: $mode"
}

check asyncio '"timeout"' 0 0
check selfpipe '"signal"' 0 0
check thread '"signal"' 0 0
check timedpoll '"timeout"' 0 0
check nohandler null 1 3
check outside '"another holder"' 0 0

# the text says why it is no deadlock
start_program "$PY" "$SCRIPT" selfpipe
tid=$(field tid)
retry_until "$TARGET_PID" "[.processes[].threads[] | select(.tid == $tid) | .waiting_on.kind] == [\"fd\"]" >/dev/null
text=$("$THREADLENS" dump --no-stacks "$TARGET_PID") || fail "text dump failed"
grep -q "waiting on: read on fd [0-9]*: pipe:.*, a signal handler can end it$" <<<"$text" ||
    fail "text: no 'a signal handler can end it' on the self-pipe read: $text"
! grep -q "deadlock" <<<"$text" || fail "text: a deadlock is reported: $text"
echo "ok"
