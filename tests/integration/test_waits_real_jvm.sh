# An idle JVM (issue 14, item 2): HotSpot's monitors are pthread condition variables on
# CLOCK_MONOTONIC, waited on untimed (FUTEX_CLOCK_REALTIME set) and timed (not set); every one
# of its own idle threads named below must wait on a condition, none on a plain futex.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/waits_lib.sh"
source "$(dirname "$0")/real_lib.sh"
need jq
need java
start_program java -Xshare:auto -XX:TieredStopAtLevel=1 "$TL_SOURCE/tests/real/JvmIdle.java"
# the kernel keeps 15 bytes of a thread name
named='["VM Thread", "Reference Handl", "Finalizer", "Service Thread", "VM Periodic Tas", "Common-Cleaner"]'
filter="[.processes[].threads[] | select(.name as \$n | $named | index(\$n)) | .waiting_on.kind] | (length == 6 and all(. == \"condvar\"))"
json=$(retry_until "$TARGET_PID" "$filter")
expect_jq "$json" "$filter" "jvm: one of $named does not wait on a condition"
counts=$(jq -c '[.processes[].threads[] | .waiting_on.kind // "none"] | group_by(.) | map({(.[0]): length}) | add' <<<"$json")
n=$(jq '[.processes[].threads[] | select(.waiting_on.kind == "condvar")] | length' <<<"$json")
[ "$n" -ge 10 ] || fail "jvm: $n condition waits named, expected at least 10; waits by kind: $counts"
expect_jq "$json" "[.processes[].threads[] | select(.waiting_on.kind == \"futex\")] | length == 0" \
    "jvm: an idle JVM thread still waits on a plain futex"
expect_jq "$json" ".deadlocks | length == 0" "jvm: an idle JVM reported as a deadlock"
echo "ok: jvm: $n condition waits named (waits by kind: $counts)"
