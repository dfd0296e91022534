# What each thread waits on, with exact owners, and no false cycle where nothing is deadlocked.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/waits_lib.sh"
need jq

no_deadlock() {
    local json=$1 pid=$2 rc=0
    expect_jq "$json" '.deadlocks == [] and ([.processes[].threads[] | select(.in_deadlock)] == [])' "$3: false deadlock"
    "$THREADLENS" dump --no-stacks --fail-on-deadlock "$pid" >/dev/null || rc=$?
    [ "$rc" -eq 0 ] || fail "$3: --fail-on-deadlock exited $rc without a deadlock (expected 0)"
}

# --- a waiter on a mutex held by a sleeping thread ---
start_target waits_sleeper
h=$(field holder) w=$(field waiter) m=$(field mutex)
json=$(dump_json "$TARGET_PID")
expect_jq "$json" "[.processes[].threads[] | select(.tid == $w) | .waiting_on | select(.kind == \"mutex\" and .owner_tid == $h and .owner_pid == $TARGET_PID and .address == \"$m\")] | length == 1" \
    "sleeper: the waiter's mutex and owner"
expect_jq "$json" "[.processes[].threads[] | select(.tid == $h) | .waiting_on.kind] == [\"sleep\"]" "sleeper: the holder sleeps"
no_deadlock "$json" "$TARGET_PID" sleeper

# --- the holder exited holding the mutex: its tid is no live thread, the owner is unknown ---
start_target waits_sleeper orphan
h=$(field holder) w=$(field waiter) m=$(field mutex)
json=$(dump_json "$TARGET_PID")
expect_jq "$json" "[.processes[].threads[] | select(.tid == $w) | .waiting_on | select(.kind == \"mutex\" and .owner_tid == null and .address == \"$m\" and (.description | contains(\"owner unknown (tid $h is not a live thread\")))] | length == 1" \
    "orphaned mutex: owner must be unknown"
no_deadlock "$json" "$TARGET_PID" "orphaned mutex"

# --- recursive, errorcheck, robust and PI mutexes ---
start_target waits_mutex_kinds
json=$(dump_json "$TARGET_PID")
for kind in recursive errorcheck robust pi; do
    h=$(field holder "$kind ") w=$(field waiter "$kind ") m=$(field mutex "$kind ")
    jkind=mutex word=$kind
    [ "$kind" = pi ] && jkind=pi_mutex word=priority-inherit
    expect_jq "$json" "[.processes[].threads[] | select(.tid == $w) | .waiting_on | select(.kind == \"$jkind\" and .owner_tid == $h and .address == \"$m\" and (.description | contains(\"$word\")))] | length == 1" \
        "$kind mutex: kind, owner $h, address $m"
done
no_deadlock "$json" "$TARGET_PID" "mutex kinds"

# --- pthread_join of a sleeping thread ---
start_target waits_join
jr=$(field joiner) jd=$(field joined)
json=$(dump_json "$TARGET_PID")
expect_jq "$json" "[.processes[].threads[] | select(.tid == $jr) | .waiting_on | select(.kind == \"join\" and .owner_tid == $jd)] | length == 1" \
    "join: the joiner waits for the joined thread"
no_deadlock "$json" "$TARGET_PID" join

# --- a condition variable and a semaphore: named, no owner invented; a write-locked rwlock ---
start_target waits_condvar
w=$(field waiter) c=$(field cond) s=$(field sem) sa=$(field semaphore)
r=$(field reader) wr=$(field writer) rw=$(field rwlock)
json=$(retry_until "$TARGET_PID" "[.processes[].threads[] | select(.tid == $w or .tid == $r) | .waiting_on.kind] == [\"condvar\", \"rwlock\"]")
expect_jq "$json" "[.processes[].threads[] | select(.tid == $w) | .waiting_on | select(.kind == \"condvar\" and .address == \"$c\" and .owner_tid == null)] | length == 1" \
    "condvar: kind, address $c and no owner"
expect_jq "$json" "[.processes[].threads[] | select(.tid == $s) | .waiting_on | select(.kind == \"semaphore\" and .address == \"$sa\" and .owner_tid == null)] | length == 1" \
    "semaphore: kind, address $sa and no owner"
expect_jq "$json" "[.processes[].threads[] | select(.tid == $r) | .waiting_on | select(.kind == \"rwlock\" and .address == \"$rw\" and .owner_tid == $wr)] | length == 1" \
    "rwlock: kind, address $rw and the writer $wr as owner"
"$THREADLENS" dump --no-stacks "$TARGET_PID" | grep -q "waiting on: condition $c" || fail "condvar: text 'waiting on: condition $c'"
no_deadlock "$json" "$TARGET_PID" "condvar, semaphore, rwlock"

# --- a pipe whose only writer is a child process ---
start_target waits_pipe_child
r=$(field reader) child=$(field child) fd=$(field fd)
json=$(retry_until "$TARGET_PID" "[.processes[].threads[] | select(.tid == $r) | .waiting_on.kind] == [\"fd\"]")
expect_jq "$json" "[.processes[].threads[] | select(.tid == $r) | .waiting_on | select(.fd == $fd and .owner_pid == $child and .owner_tid == $child and (.object | startswith(\"pipe:[\")))] | length == 1" \
    "pipe: the reader waits on fd $fd written by child $child"
"$THREADLENS" dump --no-stacks "$TARGET_PID" | grep -q "waiting on: read on fd $fd: pipe:\[[0-9]*\], written only by process $child \"pipe-child\"" ||
    fail "pipe: text line for the reader"
no_deadlock "$json" "$TARGET_PID" pipe

# --- a unix socket pair whose other end only a child process holds ---
start_target waits_socket_child
r=$(field reader) child=$(field child) fd=$(field fd)
json=$(retry_until "$TARGET_PID" "[.processes[].threads[] | select(.tid == $r) | .waiting_on.kind] == [\"fd\"]")
expect_jq "$json" "[.processes[].threads[] | select(.tid == $r) | .waiting_on | select(.fd == $fd and .owner_pid == $child and .owner_tid == $child and (.object | startswith(\"socket unix\")))] | length == 1" \
    "socket: the reader waits on fd $fd whose peer child $child holds"
no_deadlock "$json" "$TARGET_PID" socket
echo "ok"
