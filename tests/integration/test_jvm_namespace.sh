# A JVM in its own PID namespace (as in a container): it is PID 1 there, its attach files are
# named after that PID, and its thread dump's nids are TIDs of that namespace; each Java thread
# must still be joined to the right native thread.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/jvm_lib.sh"
need_jdk
need jq
need unshare
unshare --pid --fork --kill-child true 2>/dev/null || skip "cannot create a PID namespace here (unshare --pid failed)"
compile_java
out=$(mktemp)
JAVA_OUT=$(mktemp)
trap 'cleanup_java; rm -f "$out"' EXIT
for f in /tmp/.java_pid1 "/tmp/hsperfdata_$(id -un)/1"; do   # named after its PID there, 1
    [ -e "$f" ] || JAVA_LEFTOVERS+=("$f")
done
unshare --pid --fork --kill-child java -cp "$JAVA_CLASSES" ThreadStates >"$JAVA_OUT" 2>&1 &
TL_PIDS+=($!)
for i in $(seq 300); do grep -qx ready "$JAVA_OUT" && break; sleep 0.1; done
grep -qx ready "$JAVA_OUT" || fail "the namespaced JVM did not start: $(head -c 300 "$JAVA_OUT")"
pid=$(pgrep -P "${TL_PIDS[-1]}" java) || fail "no java child of unshare"
grep -q '^NSpid:.*[[:space:]]1$' "/proc/$pid/status" || fail "the JVM is not PID 1 in its namespace"
TL_PIDS+=("$pid")

"$THREADLENS" dump --json --no-stacks "$pid" >"$out" || fail "dump failed"   # starts its listener too
jq -e '.processes[0].jvm | .nspid == 1 and .error == null and .java_threads > 10 and .joined == .java_threads' "$out" \
    >/dev/null || fail "Java threads not all joined: $(jq -c '.processes[0].jvm | del(.shared_areas)' "$out")"
# Every join is right: the Java nid is the thread's TID inside the namespace.
jq -r '.processes[0].threads[] | select(.java != null) | "\(.tid) \(.java.nid)"' "$out" | while read -r tid nid; do
    ns=$(awk '/^NSpid:/ { print $NF }' "/proc/$pid/task/$tid/status")
    [ "$ns" = "$nid" ] || fail "thread $tid (namespace TID $ns) joined to Java nid $nid"
done || exit 1
jq -e '[.deadlocks[] | select(.threads | length == 2)] | length >= 1' "$out" >/dev/null ||
    fail "the Java-level deadlock is not reported for the namespaced JVM"
echo "ok"
