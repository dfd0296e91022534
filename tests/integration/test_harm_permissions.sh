# Issue 6: as a non-root user, against that user's own process (full dump) and against root's
# (counters still shown, the stack refused with a clear reason, exit 1); Yama when present.
source "$(dirname "$0")/lib.sh"
need setpriv
need jq
[ "$(id -u)" -eq 0 ] || skip "needs root to switch to an unprivileged user"
user_id=65534
as_user() { setpriv --reuid=$user_id --regid=$user_id --clear-groups "$@"; }
as_user test -x "$THREADLENS" || skip "the build dir is not readable by uid $user_id (build outside a private home)"
# root's process, seen by the unprivileged user
start_target crowd 4
root_pid=$TARGET_PID
out=$(as_user "$THREADLENS" dump --json "$root_pid" 2>"$TARGET_OUT.err"); rc=$?
[ "$rc" -eq 1 ] || fail "dump of root's process as uid $user_id exited $rc, expected 1 (partial)"
n=$(jq '.processes[0].threads | length' <<<"$out") || fail "invalid JSON"
[ "$n" -ge 5 ] || fail "counters of root's threads missing ($n threads)"
jq -e '.processes[0].threads[0].stack_error | test("permission|not permitted|ptrace"; "i")' <<<"$out" >/dev/null \
    || fail "no clear stack_error for root's process: $(jq -c '.processes[0].threads[0].stack_error' <<<"$out")"
# the user's own process
# not through the as_user function: a backgrounded function is a subshell whose $! is not the
# target, and a target that outlives the test keeps ctest's output pipe open
setpriv --reuid=$user_id --regid=$user_id --clear-groups "$TL_TARGETS/crowd" 4 >"$TARGET_OUT.own" &
own_pid=$!
TL_PIDS+=("$own_pid")
for i in $(seq 50); do grep -qx ready "$TARGET_OUT.own" && break; sleep 0.1; done
out=$(as_user "$THREADLENS" dump --json "$own_pid" 2>/dev/null); rc=$?
[ "$rc" -eq 0 ] || fail "dump of the user's own process exited $rc: $(jq -c '[.notes, .processes[0].threads[0].stack_error]' <<<"$out")"
jq -e '[.processes[0].threads[] | .frames | length > 0] | all' <<<"$out" >/dev/null \
    || fail "the user's own threads have no stacks"
if [ -r /proc/sys/kernel/yama/ptrace_scope ]; then
    echo "yama ptrace_scope=$(cat /proc/sys/kernel/yama/ptrace_scope)"
else
    echo "note: this kernel has no Yama LSM; the Yama case is not exercised here"
fi
echo "ok: root's process as uid $user_id -> counters + reason, exit 1; own process -> full dump"
