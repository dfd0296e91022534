# Node with idle worker threads (issue 14, item 2): libuv's thread pool and V8's platform
# workers wait on condition variables (untimed waits on CLOCK_MONOTONIC condvars, which once
# showed as plain futexes); each must be named a condition.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/waits_lib.sh"
source "$(dirname "$0")/real_lib.sh"
need jq
NODE=$(command -v node || command -v nodejs || true)
[ -n "$NODE" ] || skip "node is not installed (make deps installs nodejs)"
start_program "$NODE" "$TL_SOURCE/tests/real/node_workers.js" 4
# 4 thread-pool threads (started by the fs call) + 4 V8 platform workers at least
want=8
json=$(retry_until "$TARGET_PID" "[.processes[].threads[] | select(.waiting_on.kind == \"condvar\")] | length >= $want")
counts=$(jq -c '[.processes[].threads[] | .waiting_on.kind // "none"] | group_by(.) | map({(.[0]): length}) | add' <<<"$json")
n=$(jq '[.processes[].threads[] | select(.waiting_on.kind == "condvar")] | length' <<<"$json")
[ "$n" -ge "$want" ] || fail "node: $n condition waits named, expected at least $want; waits by kind: $counts"
expect_jq "$json" "[.processes[].threads[] | select(.waiting_on.kind == \"condvar\") | .waiting_on.description | test(\"^condition 0x[0-9a-f]+ \\\\(no owner known\\\\)$\")] | all" \
    "node: a condition wait is described oddly"
expect_jq "$json" ".deadlocks | length == 0" "node: idle workers reported as a deadlock"
rc=$(dump_rc --no-stacks --fail-on-deadlock "$TARGET_PID")
[ "$rc" = 0 ] || fail "node: dump --fail-on-deadlock exited $rc on an idle node (expected 0)"
echo "ok: node: $n condition waits named (waits by kind: $counts)"
