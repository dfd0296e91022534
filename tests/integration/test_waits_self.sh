# Self-waits (issue 14, item 1): relocking one's own normal mutex is a self-deadlock (exit 3
# with --fail-on-deadlock); the same with pthread_mutex_timedlock, or a timed poll of one's own
# pipe, ends by itself: named, but no edge.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/waits_lib.sh"
need jq
start_target waits_self
r=$(field relock) m1=$(field m1) t=$(field timed) m2=$(field m2) p=$(field poll)
json=$(dump_json "$TARGET_PID")
expect_jq "$json" ".deadlocks | length == 1" "expected exactly one deadlock (relock's)"
expect_jq "$json" ".deadlocks[0].threads == [$r]" "the deadlock is not relock ($r) alone"
expect_jq "$json" "[.processes[].threads[] | select(.tid == $r) | .waiting_on | {kind, address, owner_tid, can_end_by}] == [{\"kind\": \"mutex\", \"address\": \"$m1\", \"owner_tid\": $r, \"can_end_by\": null}]" \
    "relock ($r): not a holder-only wait on its own mutex $m1"
expect_jq "$json" "[.processes[].threads[] | select(.tid == $t) | .waiting_on | {kind, address, owner_tid, can_end_by}] == [{\"kind\": \"mutex\", \"address\": \"$m2\", \"owner_tid\": $t, \"can_end_by\": \"timeout\"}]" \
    "timed-relock ($t): not a timed wait on its own mutex $m2"
expect_jq "$json" "[.processes[].threads[] | select(.tid == $p) | .waiting_on | {kind, syscall, can_end_by}] == [{\"kind\": \"fd\", \"syscall\": \"poll\", \"can_end_by\": \"timeout\"}]" \
    "self-poll ($p): not a timed poll"
expect_jq "$json" "[.processes[].threads[] | select(.in_deadlock) | .tid] == [$r]" "in_deadlock must mark relock only"
rc=0
"$THREADLENS" dump --no-stacks --fail-on-deadlock "$TARGET_PID" >/dev/null || rc=$?
[ "$rc" -eq 3 ] || fail "--fail-on-deadlock exited $rc on a self-deadlock (expected 3)"
text=$("$THREADLENS" dump --no-stacks "$TARGET_PID")
grep -q "waiting on: mutex (normal) $m1 held by itself (tid $r: a self-deadlock)$" <<<"$text" ||
    fail "text: relock's line does not say self-deadlock: $(grep -F "$m1" <<<"$text")"
grep -q "waiting on: mutex (normal) $m2 held by itself (tid $t), timed$" <<<"$text" ||
    fail "text: timed-relock's line does not end in ', timed': $(grep -F "$m2" <<<"$text")"
echo "ok"
