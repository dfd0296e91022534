# The Java view against the JDK's own jstack on the same JVM: the same Java threads (names, ids,
# states), each joined to the native thread whose TID is its nid, the monitor deadlock found,
# JVM-internal threads marked, the shared areas read; and --no-jvm leaves the JVM alone.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/jvm_lib.sh"
need_jdk
need jstack
need jq
start_java --
work=$(mktemp -d)
trap 'cleanup_java; rm -rf "$work"' EXIT

# First attach is ours: the listener is not up yet; we start it and clean the trigger file.
[ ! -S "/proc/$JAVA_PID/root/tmp/.java_pid$JAVA_PID" ] || fail "the attach listener is already up (stale socket?)"
"$THREADLENS" dump --json --no-stacks "$JAVA_PID" >"$work/first.json" || fail "first dump failed"
jq -e '.processes[0].jvm.error == null and .processes[0].jvm.java_threads > 10' "$work/first.json" >/dev/null ||
    fail "no Java view on the first attach: $(jq -c '.notes' "$work/first.json")"
# ... and the Attach Listener it made the JVM start is joined to its native thread too.
jq -e '.processes[0].jvm.joined == .processes[0].jvm.java_threads and
       ([.processes[0].threads[] | select(.java.name == "Attach Listener")] | length == 1)' "$work/first.json" \
    >/dev/null || fail "Java threads left unjoined on the first attach: $(jq -c '.notes' "$work/first.json")"
[ -S "/proc/$JAVA_PID/root/tmp/.java_pid$JAVA_PID" ] || fail "the attach socket did not appear"
ls -a "/proc/$JAVA_PID/cwd/" "/proc/$JAVA_PID/root/tmp/" | grep -q "^\.attach_pid$JAVA_PID\$" &&
    fail "the .attach_pid trigger file was left behind"

jstack "$JAVA_PID" >"$work/jstack.txt" || fail "jstack failed on $JAVA_PID"
"$THREADLENS" dump --json --no-stacks "$JAVA_PID" >"$work/tl.json"
rc=$?
[ $rc -eq 0 ] || fail "dump exited $rc: $(jq -r '.notes[]' "$work/tl.json" 2>/dev/null)"

# name <TAB> decimal nid, for every thread jstack lists, vs name <TAB> native TID from us.
sed -n 's/^"\(.*\)" .* nid=\([0-9a-fx]*\) .*/\1\t\2/p' "$work/jstack.txt" |
    while IFS=$'\t' read -r name nid; do printf '%s\t%d\n' "$name" "$nid"; done | sort >"$work/jstack.nids"
jq -r '.processes[0].threads[] | select(.java != null) | "\(.java.name)\t\(.tid)"' "$work/tl.json" | sort >"$work/tl.nids"
[ -s "$work/jstack.nids" ] || fail "no thread parsed from jstack's output"
diff "$work/jstack.nids" "$work/tl.nids" >&2 || fail "Java threads or their native TIDs differ from jstack's"

# name <TAB> #id for JavaThreads.
sed -n 's/^"\(.*\)" #\([0-9]*\) .*/\1\t\2/p' "$work/jstack.txt" | sort >"$work/jstack.ids"
jq -r '.processes[0].threads[] | select(.java.id != null) | "\(.java.name)\t\(.java.id)"' "$work/tl.json" | sort >"$work/tl.ids"
diff "$work/jstack.ids" "$work/tl.ids" >&2 || fail "Java thread ids differ from jstack's"

# States of the purpose-built threads (they do not change while the target lives).
awk '/^"/ { name = $0; sub(/^"/, "", name); sub(/" .*/, "", name) }
     /java.lang.Thread.State: / { s = $0; sub(/.*State: /, "", s); if (name ~ /^tl-/) print name "\t" s }' \
    "$work/jstack.txt" | sort >"$work/jstack.states"
jq -r '.processes[0].threads[] | select(.java.name // "" | startswith("tl-")) | "\(.java.name)\t\(.java.state)"' \
    "$work/tl.json" | sort >"$work/tl.states"
diff "$work/jstack.states" "$work/tl.states" >&2 || fail "Java thread states differ from jstack's"
for want in "tl-sleeper-with-a-long-java-name	TIMED_WAITING (sleeping)" "tl-waiter	WAITING (on object monitor)" \
            "tl-blocked	BLOCKED (on object monitor)" "tl-parked	WAITING (parking)" \
            "tl-deadlock-a	BLOCKED (on object monitor)" "tl-deadlock-b	BLOCKED (on object monitor)"; do
    grep -qxF "$want" "$work/tl.states" || fail "expected state line '$want'"
done

# The full Java name next to the kernel's 15-byte one.
jq -e '.processes[0].threads[] | select(.java.name == "tl-sleeper-with-a-long-java-name") | select(.name == "tl-sleeper-with")' \
    "$work/tl.json" >/dev/null || fail "the long Java name is not joined to its truncated native name"
# Lock lines.
jq -e '.processes[0].threads[] | select(.java.name == "tl-blocked") | .java.frames[0].locks[0] |
       select(.kind == "waiting_to_lock" and .class == "java.lang.Object")' "$work/tl.json" >/dev/null ||
    fail "tl-blocked has no 'waiting to lock' line"
holder=$(jq '.processes[0].threads[] | select(.java.name == "tl-monitor-holder") | .tid' "$work/tl.json")
jq -e --argjson h "$holder" '.processes[0].threads[] | select(.java.name == "tl-blocked") | .java.frames[0].locks[0] |
       select(.owner_tid == $h and .owner_name == "tl-monitor-holder")' "$work/tl.json" >/dev/null ||
    fail "tl-blocked's monitor is not shown as held by tl-monitor-holder (tid $holder)"
jq -e '.processes[0].threads[] | select(.java.name == "tl-parked") | .java.frames[0].locks[0] | select(.kind == "parking")' \
    "$work/tl.json" >/dev/null || fail "tl-parked has no 'parking to wait for' line"

# The deadlock: jstack sees it, and our report holds the two threads' TIDs.
grep -q "Found one Java-level deadlock" "$work/jstack.txt" || fail "jstack did not report the deadlock (target broken?)"
a=$(jq '.processes[0].threads[] | select(.java.name == "tl-deadlock-a") | .tid' "$work/tl.json")
b=$(jq '.processes[0].threads[] | select(.java.name == "tl-deadlock-b") | .tid' "$work/tl.json")
jq -e --argjson a "$a" --argjson b "$b" '[.deadlocks[] | select((.threads | index($a)) != null and (.threads | index($b)) != null)] | length > 0' \
    "$work/tl.json" >/dev/null || fail "the Java-level deadlock ($a, $b) is not in the deadlock report"
jq -e --argjson a "$a" '[.deadlocks[] | select((.threads | index($a)) != null and .level == "java")] | length > 0' \
    "$work/tl.json" >/dev/null || fail "the JVM-reported deadlock is not marked level java"
jq -e --argjson a "$a" '.processes[0].threads[] | select(.tid == $a) | .in_deadlock' "$work/tl.json" >/dev/null ||
    fail "tl-deadlock-a is not marked in_deadlock"

# JVM-internal threads are marked, Java ones are not.
jq -e '.processes[0].threads[] | select(.java.name == "VM Thread") | .java.jvm_internal' "$work/tl.json" >/dev/null ||
    fail "VM Thread is not marked JVM-internal"
jq -e '.processes[0].threads[] | select(.java.name == "tl-waiter") | .java.jvm_internal | not' "$work/tl.json" >/dev/null ||
    fail "tl-waiter is marked JVM-internal"

# Shared areas.
jq -e '.processes[0].jvm.shared_areas | map(select(.name == "heap" and .used_kib > 0 and .committed_kib >= .used_kib)) | length == 1' \
    "$work/tl.json" >/dev/null || fail "no heap area with used <= committed"
for area in metaspace "code cache"; do
    jq -e --arg n "$area" '.processes[0].jvm.shared_areas | map(select(.name == $n and .used_kib > 0)) | length == 1' \
        "$work/tl.json" >/dev/null || fail "no '$area' area"
done

# Text: the Java part is there and escaped the same way.
"$THREADLENS" dump --no-stacks "$JAVA_PID" >"$work/tl.txt"
grep -q '^   java: "tl-waiter" #[0-9]* daemon prio=5 .*state=WAITING (on object monitor)' "$work/tl.txt" ||
    fail "text dump lacks the Java line of tl-waiter"
grep -q '^  JVM shared areas' "$work/tl.txt" || fail "text dump lacks the JVM shared areas"
grep -q "^Found one Java-level deadlock (reported by the JVM):" "$work/tl.txt" || fail "text dump does not call the JVM-reported deadlock Java-level"

# Native frames of libjvm.so are C++: named demangled (os::PlatformEvent::park(long)), never _ZN...
"$THREADLENS" dump --json --no-jvm "$JAVA_PID" >"$work/native.json"
jq -e '[.processes[0].threads[].frames[] | select(.module != null and (.module | endswith("libjvm.so"))) | .function // ""]
       | (map(select(startswith("_Z"))) | length == 0) and (map(select(contains("::"))) | length > 0)' \
    "$work/native.json" >/dev/null || fail "libjvm.so frames are not demangled"

# --no-jvm: no Java view at all.
"$THREADLENS" dump --json --no-stacks --no-jvm "$JAVA_PID" >"$work/nojvm.json"
jq -e '.processes[0].jvm == null and ([.processes[0].threads[] | select(.java != null)] | length == 0)' \
    "$work/nojvm.json" >/dev/null || fail "--no-jvm still attached"
echo "ok: $(wc -l <"$work/tl.nids") Java threads match jstack"
