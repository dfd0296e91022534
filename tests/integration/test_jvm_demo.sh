# threadlens demo --java: compiles and starts the bundled Java workload, dumps it with both
# views, and leaves nothing behind (no JVM, no temp dir).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/jvm_lib.sh"
need_jdk
need jq
out=$(mktemp)
trap 'cleanup_java; rm -f "$out"' EXIT
before=$(ls -d /tmp/threadlens-java-* 2>/dev/null | wc -l)
"$THREADLENS" demo --java --json --no-stacks >"$out"
rc=$?
[ $rc -eq 0 ] || fail "demo --java exited $rc"
jq -e '.processes[0].jvm.error == null' "$out" >/dev/null || fail "no Java view: $(jq -c .notes "$out")"
for want in "pupil-waiting-for-the-blackboard	BLOCKED (on object monitor)" \
            "pupil-waiting-for-the-bell	WAITING (on object monitor)" \
            "grader-waiting-for-homework	WAITING (parking)" "pupil-napping	TIMED_WAITING (sleeping)"; do
    jq -r '.processes[0].threads[] | select(.java != null) | "\(.java.name)\t\(.java.state)"' "$out" | grep -qxF "$want" ||
        fail "the demo's dump lacks '$want'"
done
pid=$(jq '.processes[0].pid' "$out")
sleep 0.2
kill -0 "$pid" 2>/dev/null && fail "the demo's JVM $pid is still running"
[ -S "/tmp/.java_pid$pid" ] && fail "the demo's JVM left its attach socket /tmp/.java_pid$pid"
after=$(ls -d /tmp/threadlens-java-* 2>/dev/null | wc -l)
[ "$after" -le "$before" ] || fail "the demo left its temp dir behind"
PATH=/nonexistent "$THREADLENS" demo --java >/dev/null 2>"$out" && fail "demo --java without a JDK succeeded"
grep -q "no JDK found" "$out" || fail "no clear message without a JDK: $(cat "$out")"
echo "ok"
