# threadlens picture PID -o x.svg: valid XML (xmllint) whose text layer names every thread of the
# target with its stack range, and every region class the process has; a fork child gets a
# column of its own; hostile names stay valid XML.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/picture_lib.sh"
need jq
dir=$(mktemp -d)
trap 'cleanup_targets; rm -rf "$dir"' EXIT

start_target named_threads
pid=$TARGET_PID
"$THREADLENS" picture "$pid" -o "$dir/p.svg" 2>"$dir/err" || fail "picture exited $?: $(cat "$dir/err")"
xmllint --noout "$dir/p.svg" || fail "the SVG is not valid XML"
"$THREADLENS" dump --shared --json "$pid" >"$dir/d.json" || fail "dump --shared exited $?"
n=0
while read -r tid name start end; do
    label=$(svg_label "$dir/p.svg" thread "$tid")
    [ "$label" = "\"$name\" tid $tid" ] || fail "thread $tid \"$name\": its marker says '$label'"
    stack=$(svg_label "$dir/p.svg" thread-stack "$tid")
    case $stack in "stack $start-$end:"*) ;; *) fail "thread $tid: stack $start-$end, the picture says '$stack'" ;; esac
    n=$((n + 1))
done < <(jq -r '.processes[0].threads[] | "\(.tid) \(.name) \(.private.stack.start) \(.private.stack.end)"' "$dir/d.json")
[ "$n" -eq 5 ] || fail "named_threads has 5 threads, the dump listed $n"
[ "$(svg_count "$dir/p.svg" thread)" -eq 5 ] || fail "$(svg_count "$dir/p.svg" thread) thread markers, want 5"
grep -q "5 threads" "$dir/err" || fail "the message does not say 5 threads: $(cat "$dir/err")"
classes=$(jq -r '.processes[0].shared.classes | to_entries[] | select(.value.mappings > 0) | .key' "$dir/d.json")
nc=0
for c in $classes; do
    [ "$(svg_count "$dir/p.svg" "$c")" -ge 1 ] || fail "class $c has mappings but no region is labelled $c"
    nc=$((nc + 1))
done
[ "$nc" -ge 5 ] || fail "only $nc classes ($classes): code, data, heap, stack, guard expected"
grep -q 'shared by all 5 threads' <(xmllint --xpath "$TEXT_LAYER" "$dir/p.svg") || fail "no legend 'shared by all 5 threads'"
grep -q 'owned by each thread' <(xmllint --xpath "$TEXT_LAYER" "$dir/p.svg") || fail "no legend 'owned by each thread'"

# a process tree: one column per process, the child says whose child it is
start_target family
"$THREADLENS" picture "$TARGET_PID" -o "$dir/f.svg" 2>"$dir/err" || fail "picture of family exited $?"
xmllint --noout "$dir/f.svg" || fail "the family SVG is not valid XML"
procs=$("$THREADLENS" dump --no-stacks --json "$TARGET_PID" | jq '.processes | length')
cols=$(xmllint --xpath "count($TEXT_LAYER[@class='process'][starts-with(., 'process ')])" "$dir/f.svg")
[ "$cols" -eq "$procs" ] && [ "$procs" -ge 2 ] || fail "$cols process columns for $procs processes"
grep -q "child of $TARGET_PID " <(xmllint --xpath "$TEXT_LAYER" "$dir/f.svg") || fail "no column says 'child of $TARGET_PID'"

# hostile names: still valid XML, no raw control byte in the file
start_target evil_names
"$THREADLENS" picture "$TARGET_PID" -o "$dir/e.svg" 2>"$dir/err" || fail "picture of evil_names exited $?: $(cat "$dir/err")"
xmllint --noout "$dir/e.svg" || fail "hostile names made invalid XML"
LC_ALL=C grep -qP '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]' "$dir/e.svg" && fail "a raw control byte reached the SVG"
grep -qF 'x1b[31mred' "$dir/e.svg" || fail "the ESC thread name is not in the text layer, escaped"
echo "ok: $n threads with their stacks, classes: $(echo $classes), $cols columns for a tree, hostile names valid"
