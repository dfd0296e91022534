# A thread made without CLONE_FILES has an fd table of its own: its wait on fd 7 is described
# from its table (a pipe), not from the leader's, where fd 7 is a unix socket.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/waits_lib.sh"
need jq
start_target waits_ownfiles
leader=$(field leader) thread=$(field thread) fd=$(field fd)
json=$(retry_until "$TARGET_PID" "[.processes[].threads[] | select(.tid == $leader) | .waiting_on.kind] == [\"fd\"]")
wt=$(wait_of "$json" "$thread")
wl=$(wait_of "$json" "$leader")
jq -e --argjson fd "$fd" '.kind == "fd" and .fd == $fd and (.object | startswith("pipe:["))
    and (.description | startswith("read on fd \($fd): pipe:["))' <<<"$wt" >/dev/null \
    || fail "the own-files thread reads a pipe on its own fd $fd; the dump says: $wt"
# the pipe's write end is only in the thread's table (listed because kcmp says it has its own)
jq -e --argjson p "$TARGET_PID" '.owner_pid == $p and (.description | contains("written only by process \($p)"))' <<<"$wt" >/dev/null \
    || fail "the write end held in the thread's own table is not found: $wt"
jq -e --argjson fd "$fd" '.kind == "fd" and .fd == $fd and (.object | startswith("socket unix"))' <<<"$wl" >/dev/null \
    || fail "the leader reads a unix socket on its fd $fd; the dump says: $wl"
# the text dump says the same
text=$("$THREADLENS" dump --no-stacks "$TARGET_PID") || [ $? -le 1 ] || fail "text dump failed"
grep -A3 "tid=$thread " <<<"$text" | grep -q "waiting on: read on fd $fd: pipe:\[" \
    || fail "text dump: the own-files thread is not shown reading a pipe: $(grep -A3 "tid=$thread " <<<"$text")"
echo "ok: fd $fd is a pipe for the thread with its own fd table and a socket for the leader"
