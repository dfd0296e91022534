# The JVM's JIT frames and the --mixed view (issue 14, item 6). Before `jcmd PID
# Compiler.perfmap`, a Java thread's interpreter frames are code in no file (no name, no
# module); after it, they are named from /tmp/perf-PID.map ("Interpreter", module
# "[perf-map]"); `dump --mixed` shows the thread's Java frames in their place: right after the
# native function Java called (JVM_Sleep) and right before JavaCalls::call_helper, where the
# JVM entered Java, every Java frame once, no perf-map frame left between.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/jvm_lib.sh"
need_jdk
need jq
command -v jcmd >/dev/null || skip "jcmd is not installed (openjdk-17-jdk-headless)"
start_java
sleeper="tl-sleeper-with-a-long-java-name"
nspid=$(awk '/^NSpid:/ { print $NF }' "/proc/$JAVA_PID/status")
map=/tmp/perf-${nspid:-$JAVA_PID}.map
JAVA_LEFTOVERS+=("$map")
rm -f "$map"

# block ARGS...: the sleeper's block of a text dump with ARGS (paragraph of its java: line).
block() {
    "$THREADLENS" dump "$@" "$JAVA_PID" 2>/dev/null |
        awk -v RS= -v name="java: \"$sleeper\"" 'index($0, name) { print; exit }'
}
b=$(block)
[ -n "$b" ] || fail "no block for $sleeper in the dump"
grep -q 'JVM_Sleep' <<<"$b" || fail "$sleeper: JVM_Sleep not among its native frames: $b"
! grep -q '\[perf-map\]' <<<"$b" || fail "$sleeper: perf-map frames before the JVM wrote a perf map: $b"

timeout 60 jcmd "$JAVA_PID" Compiler.perfmap >/dev/null || fail "jcmd Compiler.perfmap failed"
[ -s "$map" ] || fail "the JVM wrote no $map"
b=$(block)
grep -q 'Interpreter+0x[0-9a-f]* (\[perf-map\])' <<<"$b" || fail "$sleeper: no interpreter frame named from the perf map: $b"
grep -q 'Java frames (private)' <<<"$b" || fail "$sleeper: without --mixed the Java frames are a block of their own: $b"

njava=$("$THREADLENS" dump --json "$JAVA_PID" |
    jq --arg n "$sleeper" '[.processes[0].threads[] | select(.java.name? == $n)][0].java.frames | length')
[ "$njava" -ge 2 ] || fail "$sleeper: $njava Java frames in the JSON dump, expected 2 or more"
b=$(block --mixed)
grep -q 'mixed frames' <<<"$b" || fail "$sleeper: --mixed did not mix: $b"
! grep -q 'Java frames (private)' <<<"$b" || fail "$sleeper: --mixed still prints the Java block: $b"
frames=$(grep $'^\tat ' <<<"$b")
n=$(grep -c ' \[java\]$' <<<"$frames")
[ "$n" = "$njava" ] || fail "$sleeper: $n Java frames in the mixed view, the JVM reports $njava: $b"
first=$(grep -n ' \[java\]$' <<<"$frames" | head -1 | cut -d: -f1)
last=$(grep -n ' \[java\]$' <<<"$frames" | tail -1 | cut -d: -f1)
[ $((last - first + 1)) = "$n" ] || fail "$sleeper: the Java frames are not one run: $b"
sed -n "$((first - 1))p" <<<"$frames" | grep -q 'JVM_Sleep' || fail "$sleeper: the Java frames do not follow JVM_Sleep: $b"
sed -n "${first}p" <<<"$frames" | grep -q 'java.lang.Thread.sleep' || fail "$sleeper: the first Java frame is not Thread.sleep: $b"
sed -n "$((last + 1))p" <<<"$frames" | grep -q 'JavaCalls::call_helper' ||
    fail "$sleeper: the Java frames are not followed by JavaCalls::call_helper: $b"
! grep -q '\[perf-map\]' <<<"$frames" || fail "$sleeper: perf-map frames left in the mixed view: $b"
echo "ok: $sleeper: unnamed JIT frames before the perf map, [perf-map] after; --mixed: $n Java frames between JVM_Sleep and call_helper"
