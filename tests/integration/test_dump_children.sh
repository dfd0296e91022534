# The process tree: a parent whose child was forked from a non-main thread, the child's threads
# and a grandchild all come out (parents first); --no-children limits the dump to the PID.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
need jq
need pgrep
start_target family
parent=$TARGET_PID
child=$(pgrep -P "$parent" -x tl-child) || fail "family has no tl-child"
grandchild=$(pgrep -P "$child" -x tl-grandchild) || fail "tl-child has no tl-grandchild"
out=$(mktemp) err=$(mktemp)

# both ways of finding children (tree.c): every thread's children file, and every process's
# parent (taken by itself when the process has more threads than the system has processes)
for way in children parents; do
    THREADLENS_TEST_TREE_FROM=$way dump "$out" "$err" dump --json "$parent"
    expect_rc 0
    json_ok "$out" "dump --json of the tree"
    for p in "$parent" "$child" "$grandchild"; do
        check_threads_json "$out" "$p"
    done
    jq -e --argjson a "$parent" --argjson b "$child" --argjson c "$grandchild" '
        [.processes[].pid] == [$a, $b, $c]
        and .processes[1].ppid == $a and .processes[2].ppid == $b
        and ([.processes[1].threads[].name] | sort) == ["tl-child", "tl-kid-1", "tl-kid-2", "tl-kid-3"]
        and .processes[2].threads[0].name == "tl-grandchild"' "$out" >/dev/null \
        || fail "the tree from $way is wrong: $(jq -c '[.processes[] | {pid, ppid, name, threads: [.threads[].name]}]' "$out")"
done

dump "$out" "$err" dump "$parent"
expect_rc 0
for p in "$parent" "$child" "$grandchild"; do
    grep -qE "^Process $p \"" "$out" || fail "no header for process $p in the text dump"
    check_threads_text "$out" "$p"
done
[ "$(grep -n "^Process $parent " "$out" | cut -d: -f1)" -lt "$(grep -n "^Process $child " "$out" | cut -d: -f1)" ] \
    || fail "the child is printed before its parent"

dump "$out" "$err" dump --json --no-children "$parent"
expect_rc 0
jq -e --argjson a "$parent" '[.processes[].pid] == [$a]' "$out" >/dev/null \
    || fail "--no-children still shows: $(jq -c '[.processes[].pid]' "$out")"
check_threads_json "$out" "$parent"
dump "$out" "$err" dump --no-children "$parent"
grep -qE "^Process ($child|$grandchild) " "$out" && fail "--no-children printed a descendant in text"

# the child alone is a root of its own: its grandchild comes along, its parent does not
dump "$out" "$err" dump --json "$child"
jq -e --argjson b "$child" --argjson c "$grandchild" '[.processes[].pid] == [$b, $c]' "$out" >/dev/null \
    || fail "dump of the child: $(jq -c '[.processes[].pid]' "$out")"
rm -f "$out" "$err"
echo "ok: parent $parent, child $child (4 threads), grandchild $grandchild; --no-children: 1 process"
