# Deadlocks found exactly: the cycle's threads in wait-for order, its edges, the text report,
# and --fail-on-deadlock's exit code 3 (0 without the option).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/waits_lib.sh"
need jq

check_exit_codes() {
    local pid=$1 rc=0
    "$THREADLENS" dump --no-stacks "$pid" >/dev/null || rc=$?
    [ "$rc" -eq 0 ] || fail "dump without --fail-on-deadlock exited $rc on a deadlock (expected 0)"
    rc=0
    "$THREADLENS" dump --no-stacks --fail-on-deadlock "$pid" >/dev/null || rc=$?
    [ "$rc" -eq 3 ] || fail "dump --fail-on-deadlock exited $rc on a deadlock (expected 3)"
}

# --- ABBA: a waits for m2 held by b, b waits for m1 held by a ---
start_target waits_abba
a=$(field a) b=$(field b) m1=$(field m1) m2=$(field m2)
json=$(dump_json "$TARGET_PID")
expect_jq "$json" ".deadlocks | length == 1" "ABBA: expected exactly one deadlock"
expect_jq "$json" ".deadlocks[0].threads == $(cycle_from "$a" "$b")" "ABBA: wrong cycle"
expect_jq "$json" "[.deadlocks[0].edges[] | select(.waiter == $a and .holder == $b and .kind == \"mutex\" and .address == \"$m2\")] | length == 1" \
    "ABBA: no edge a -> b on m2"
expect_jq "$json" "[.deadlocks[0].edges[] | select(.waiter == $b and .holder == $a and .kind == \"mutex\" and .address == \"$m1\")] | length == 1" \
    "ABBA: no edge b -> a on m1"
expect_jq "$json" "[.processes[].threads[] | select(.in_deadlock) | .tid] | sort == ([$a, $b] | sort)" \
    "ABBA: in_deadlock must mark a and b only"
[ "$(wait_of "$json" "$a" | jq -r '.owner_tid')" = "$b" ] || fail "ABBA: a's waiting_on.owner_tid is not b"
text=$("$THREADLENS" dump --no-stacks "$TARGET_PID")
grep -qx "Found one native-level deadlock:" <<<"$text" || fail "text: no 'Found one native-level deadlock:'"
grep -qx "Found 1 deadlock." <<<"$text" || fail "text: no 'Found 1 deadlock.'"
grep -q "^\"abba-a\" tid=$a (process $TARGET_PID" <<<"$text" || fail "text: thread a not listed in the report"
grep -q "which is held by \"abba-b\" tid=$b" <<<"$text" || fail "text: 'which is held by' b missing"
grep -q "waiting on: mutex (normal) $m1 held by tid $a \"abba-a\"" <<<"$text" || fail "text: b's waiting on line"
check_exit_codes "$TARGET_PID"
# with stacks (the default), the report ends with each thread's frames, as jstack's does
text=$("$THREADLENS" dump "$TARGET_PID") || [ $? -eq 1 ] || fail "dump with stacks failed"
stacks=$(sed -n '/^Native stack information for the threads listed above:$/,/^Found 1 deadlock\.$/p' <<<"$text")
for t in "$a" "$b"; do
    grep -A1 "^\"abba-[ab]\" tid=$t " <<<"$stacks" | grep -Eq $'^\tat |^   stack unavailable: ' ||
        fail "text: no frames (nor the reason) under thread $t in the deadlock's stack section"
done

# --- three threads: cycle-i holds m[i], wants m[i+1] ---
start_target waits_cycle3
t0=$(field t0) t1=$(field t1) t2=$(field t2)
json=$(dump_json "$TARGET_PID")
expect_jq "$json" ".deadlocks | length == 1" "cycle3: expected one deadlock"
expect_jq "$json" ".deadlocks[0].threads == $(cycle_from "$t0" "$t1" "$t2")" "cycle3: wrong cycle or order"
expect_jq "$json" "[.deadlocks[0].edges[] | [.waiter, .holder]] | sort == ([[$t0, $t1], [$t1, $t2], [$t2, $t0]] | sort)" \
    "cycle3: wrong edges"
check_exit_codes "$TARGET_PID"

# --- pthread_join and a mutex: joiner joins joined, joined wants joiner's mutex ---
start_target waits_join deadlock
jr=$(field joiner) jd=$(field joined) m=$(field mutex)
json=$(dump_json "$TARGET_PID")
expect_jq "$json" ".deadlocks[0].threads == $(cycle_from "$jr" "$jd")" "join: wrong cycle"
expect_jq "$json" "[.deadlocks[0].edges[] | select(.waiter == $jr and .holder == $jd and .kind == \"join\")] | length == 1" \
    "join: no join edge"
expect_jq "$json" "[.deadlocks[0].edges[] | select(.waiter == $jd and .holder == $jr and .address == \"$m\")] | length == 1" \
    "join: no mutex edge"
check_exit_codes "$TARGET_PID"

# --- across processes: parent reads a pipe only its child writes, the child the reverse ---
start_target waits_pipe_child deadlock
reader=$(field reader) child=$(field child)
json=$(retry_until "$TARGET_PID" '.deadlocks | length == 1')
expect_jq "$json" ".deadlocks[0].threads == $(cycle_from "$reader" "$child")" "pipes: wrong cycle across processes"
expect_jq "$json" "[.deadlocks[0].edges[].kind] == [\"fd\", \"fd\"]" "pipes: edges are not fd waits"
check_exit_codes "$TARGET_PID"

# --- the same across processes over unix socket pairs ---
start_target waits_socket_child deadlock
reader=$(field reader) child=$(field child)
json=$(retry_until "$TARGET_PID" '.deadlocks | length == 1')
expect_jq "$json" ".deadlocks[0].threads == $(cycle_from "$reader" "$child")" "sockets: wrong cycle across processes"
expect_jq "$json" "[.deadlocks[0].edges[].kind] == [\"fd\", \"fd\"]" "sockets: edges are not fd waits"
check_exit_codes "$TARGET_PID"
echo "ok"
