# Stack groups of a JVM pool (tests/java/GroupsPool.java): 20 "pool-worker" threads blocked
# entering one monitor held by "pool-holder", 10 "pool-sleeper" threads in one method. Java
# frames are part of a group's stack; the monitor is the most waited-on object, with its owner.
# HotSpot parks one of the blocked threads (the monitor's "responsible" thread) with a timeout
# and the others without: that one has a native stack of its own, so the workers make a group
# of 19 and one alone.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/jvm_lib.sh"
need_jdk
need jq
classes=$(mktemp -d)
trap 'cleanup_java; rm -rf "$classes"' EXIT
javac -d "$classes" "$TL_SOURCE/tests/java/GroupsPool.java" || fail "javac failed on GroupsPool.java"
JAVA_OUT=$(mktemp)
java -cp "$classes" GroupsPool 20 10 >"$JAVA_OUT" 2>&1 &
JAVA_PID=$!
TL_PIDS+=("$JAVA_PID")
for i in $(seq 300); do
    grep -qx ready "$JAVA_OUT" && break
    kill -0 "$JAVA_PID" 2>/dev/null || fail "java exited before it was ready: $(head -c 500 "$JAVA_OUT")"
    sleep 0.1
done
grep -qx ready "$JAVA_OUT" || fail "GroupsPool did not print ready within 30 s"

json=$("$THREADLENS" dump --json "$JAVA_PID") || fail "dump --json exited $?: $(jq -c .notes <<<"$json" 2>/dev/null)"
check() { jq -e "$1" >/dev/null <<<"$json" || fail "$2; groups: $(jq -c '[.processes[0].stack_groups[] | {count, names: .names[:3]}], .summary.most_waited' <<<"$json" | head -c 3000)"; }
check '.processes[0].jvm.error == null' "no Java view"
check '[.processes[0].stack_groups[] | select(any(.names[]; startswith("pool-worker-"))) | .count] | sort == [1, 19]' \
    "the 20 blocked workers are not a group of 19 and one alone"
check '[.processes[0].stack_groups[] | select(any(.names[]; startswith("pool-worker-")))] | all(.names | all(startswith("pool-worker-")))' \
    "a worker group holds other threads"
check '[.processes[0].stack_groups[] | select(any(.names[]; startswith("pool-sleeper-")))] | length == 1 and .[0].count == 10 and (.[0].names | all(startswith("pool-sleeper-")))' \
    "the 10 sleepers are not one group of their own"
check '.processes[0] | ([.stack_groups[].tids[]] | sort) == ([.threads[] | select(.stack_error == null and (.frames | length) > 0) | .tid] | sort) and ([.stack_groups[].tids[]] | length) + .stack_group_failed == (.threads | length)' \
    "every tid is in exactly one group or counted as failed"
holder=$(jq '.processes[0].threads[] | select(.java.name == "pool-holder") | .tid' <<<"$json")
[ -n "$holder" ] || fail "no pool-holder thread"
check "[.summary.most_waited[] | select(.kind == \"java monitor\" and .waiters == 20 and .owner_tid == $holder)] | length == 1" \
    "the monitor with 20 waiters held by pool-holder ($holder) is not among the most waited on"
check ".summary.most_waited[0].kind == \"java monitor\"" "the monitor is not the most waited-on object"

# the first dump's stops woke every thread for a moment: wait until the pool sleeps again
for i in $(seq 200); do
    cat /proc/"$JAVA_PID"/task/*/stat 2>/dev/null | awk '/\((pool-[a-z0-9-]*)\) / { s = $0; sub(/.*\) /, "", s); if (s !~ /^S /) n++ } END { exit n > 0 }' && break
    sleep 0.05
done
out=$("$THREADLENS" dump "$JAVA_PID")
grep -q '^  19 threads \[S 19\] "pool-worker-[0-9]*"' <<<"$out" || fail "the summary lacks the group of 19 workers: $(sed -n 2,14p <<<"$out")"
grep -q '^      GroupsPool.enter < .*; BLOCKED (on object monitor) (19)$' <<<"$out" || fail "the workers' line lacks their Java frames and state"
grep -qx "  java monitor 0x[0-9a-f]*: 20 waiters, held by tid $holder \"pool-holder\"" <<<"$out" || fail "the summary lacks the monitor line"
echo "ok: JVM pool grouped 19 + 1 workers, 10 sleepers; the monitor's 20 waiters and its holder $holder"
