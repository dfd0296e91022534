# The picture of a JVM: its Java heap, metaspace (the method area) and code cache labelled as
# such, and each Java thread's name on its marker and on its stack.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/jvm_lib.sh"
source "$(dirname "$0")/picture_lib.sh"
need jq
need_jdk
dir=$(mktemp -d)
trap 'cleanup_java; rm -rf "$dir"' EXIT
start_java --
"$THREADLENS" picture "$JAVA_PID" -o "$dir/j.svg" 2>"$dir/err" || fail "picture exited $?: $(cat "$dir/err")"
xmllint --noout "$dir/j.svg" || fail "invalid XML"
layer=$(xmllint --xpath "$TEXT_LAYER" "$dir/j.svg")
for want in "Java heap:" "metaspace (the method area):" "code cache:"; do
    grep -qF "$want" <<<"$layer" || fail "the JVM legend lacks '$want'"
done
grep -q ">0x[0-9a-f]*  [a-z]*  Java heap " <<<"$layer" || fail "no region labelled Java heap"
grep -q ">0x[0-9a-f]*  code  code cache (JIT code) " <<<"$layer" || fail "no region labelled as the code cache"
"$THREADLENS" dump --json "$JAVA_PID" >"$dir/d.json" || fail "dump exited $?"
n=0
while IFS=$'\t' read -r tid jname; do
    label=$(svg_label "$dir/j.svg" thread "$tid")
    case $label in "\"$jname\" (Java; native "*) ;; *) fail "tid $tid: the marker says '$label', not the Java name '$jname'" ;; esac
    n=$((n + 1))
done < <(jq -r '.processes[0].threads[] | select(.java.name != null and (.java.name | test("^tl-"))) | "\(.tid)\t\(.java.name)"' "$dir/d.json")
[ "$n" -ge 5 ] || fail "only $n of ThreadStates' tl- threads had Java names"
grep -q "stack of tid [0-9]* \"tl-sleeper-with-a-long-java-name" <<<"$layer" || fail "the long Java name is not on its stack"
echo "ok: Java heap, metaspace, code cache labelled; $n Java names on their markers"
