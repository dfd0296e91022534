# JVMs we must not or cannot attach to keep their native view, with a one-line reason:
# -XX:+DisableAttachMechanism (read from the JVM's perf data, no signal sent), and a JVM that
# does not catch SIGQUIT (-Xrs) whose attach socket is gone (SIGQUIT would kill it: not sent).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/jvm_lib.sh"
need_jdk
need jq
work=$(mktemp -d)
trap 'cleanup_java; rm -rf "$work"' EXIT

start_java -XX:+DisableAttachMechanism --
"$THREADLENS" dump --json --no-stacks "$JAVA_PID" >"$work/disabled.json"
rc=$?
[ $rc -eq 0 ] || fail "dump of a JVM with attach disabled exited $rc"
jq -e '.notes | map(select(test("no Java view: .*attach mechanism is disabled"))) | length == 1' "$work/disabled.json" \
    >/dev/null || fail "no one-line note saying attach is disabled: $(jq -c .notes "$work/disabled.json")"
jq -e '.processes[0].jvm.error | test("DisableAttachMechanism")' "$work/disabled.json" >/dev/null ||
    fail "jvm.error does not name the reason"
jq -e '(.processes[0].threads | length) > 10 and ([.processes[0].threads[] | select(.java != null)] | length == 0)' \
    "$work/disabled.json" >/dev/null || fail "the native view is missing or Java data appeared"
grep -qx ready "$JAVA_OUT" && ! grep -q 'Full thread dump' "$JAVA_OUT" ||
    fail "the JVM printed a thread dump: it was sent SIGQUIT although attach is disabled"
kill -0 "$JAVA_PID" 2>/dev/null || fail "the JVM died"

start_java -Xrs --
rm -f "/proc/$JAVA_PID/root/tmp/.java_pid$JAVA_PID"
"$THREADLENS" dump --json --no-stacks "$JAVA_PID" >"$work/xrs.json"
rc=$?
[ $rc -eq 0 ] || fail "dump of a -Xrs JVM exited $rc"
jq -e '.notes | map(select(test("does not catch SIGQUIT"))) | length == 1' "$work/xrs.json" >/dev/null ||
    fail "no note saying the JVM does not catch SIGQUIT: $(jq -c .notes "$work/xrs.json")"
sleep 0.5
kill -0 "$JAVA_PID" 2>/dev/null || fail "the -Xrs JVM died: it was sent SIGQUIT"
[ ! -e "/proc/$JAVA_PID/cwd/.attach_pid$JAVA_PID" ] || fail "a trigger file was left behind"
echo "ok"
