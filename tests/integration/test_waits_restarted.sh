# Timed waits that were interrupted once (here by a first dump's ptrace stops; a signal or a
# debugger does the same) go on as restart_syscall, with the call's arguments still in the
# registers. A second dump must still say what each waits on: the condition variable, the
# sleep, the pipe it polls; not "blocked in restart_syscall".
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/waits_lib.sh"
need jq
start_target waits_restarted
c=$(field cond) s=$(field sleep) p=$(field poll) cv=$(field cv) fd=$(field pipe)

# the stops put the timed waits into restart_syscall: zero-stop capture (issue 15) would not stop them
THREADLENS_NO_ZERO_STOP=1 "$THREADLENS" dump "$TARGET_PID" >/dev/null || fail "the first dump (with stacks) failed"
json=$(dump_json "$TARGET_PID")
restarted=$(jq -r --argjson c "$c" --argjson s "$s" --argjson p "$p" \
    '[.processes[].threads[] | select(.tid == $c or .tid == $s or .tid == $p) | .syscall.name] | map(select(. == "restart_syscall")) | length' <<<"$json")
[ "$restarted" = 3 ] || skip "after a dump's stops the kernel did not continue the three timed waits as restart_syscall ($restarted of 3): nothing to check here"

expect_jq "$json" "[.processes[].threads[] | select(.tid == $c) | .waiting_on | select(.kind == \"condvar\" and .address == \"$cv\")] | length == 1" \
    "timed-cond ($c): a condition variable at $cv"
expect_jq "$json" "[.processes[].threads[] | select(.tid == $s) | .waiting_on.kind] == [\"sleep\"]" \
    "timed-sleep ($s): a sleep"
expect_jq "$json" "[.processes[].threads[] | select(.tid == $p) | .waiting_on | select(.kind == \"fd\" and .fd == $fd and (.object | startswith(\"pipe:\")))] | length == 1" \
    "timed-poll ($p): its pipe"
# the call it waits in is the one continued, said so (issue 14, item 8)
expect_jq "$json" "[.processes[].threads[] | select(.tid == $p) | .waiting_on.syscall] == [\"poll\"]" \
    "timed-poll ($p): waiting_on.syscall is not poll"
expect_jq "$json" "[.processes[].threads[] | select(.tid == $c) | .waiting_on.syscall] == [\"futex\"]" \
    "timed-cond ($c): waiting_on.syscall is not futex"
expect_jq "$json" "[.processes[].threads[] | select(.tid == $c or .tid == $s or .tid == $p) | .waiting_on.can_end_by] == [\"timeout\", \"timeout\", \"timeout\"]" \
    "restarted waits are timed"
text=$("$THREADLENS" dump --no-stacks "$TARGET_PID") || [ $? -eq 1 ] || fail "the text dump failed"
! grep -q "blocked in restart_syscall" <<<"$text" || { echo "$text" >&2; fail "a text dump still says 'blocked in restart_syscall'"; }
! grep -q "restart_syscall on fd" <<<"$text" || { echo "$text" >&2; fail "a text dump says 'restart_syscall on fd'"; }
grep -q "waiting on: poll on fd $fd: pipe:" <<<"$text" || { echo "$text" >&2; fail "text: timed-poll does not say 'poll on fd $fd'"; }
echo "ok: condvar, sleep and poll named after restart_syscall"
