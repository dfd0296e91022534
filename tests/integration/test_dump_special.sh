# Processes that are not ordinary: a zombie (flagged, exit 0 or 1), alone and as the child of
# the dumped process, and a kernel thread (flagged, exit 0 or 1, no crash).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
need jq
out=$(mktemp) err=$(mktemp)

# --- zombie: a parent that does not reap ---
start_target zombie_parent
parent=$TARGET_PID
zombie=$(awk '/^zombie /{print $2}' "$TARGET_OUT")
[ -n "$zombie" ] || fail "zombie_parent did not say which PID is the zombie"
grep -q '^State:.*Z' "/proc/$zombie/status" || fail "PID $zombie is not a zombie"
dump "$out" "$err" dump "$zombie"
expect_rc 0 1
stderr_is_one_line_each "$err" "zombie"
grep -qE "^Process $zombie \"tl-zombie\" ppid=$parent .*state=Z \(zombie\).* zombie" "$out" \
    || fail "the zombie is not flagged: $(grep '^Process' "$out")"
grep -q "^note: process $zombie is a zombie: .*parent (PID $parent)" "$out" || fail "no note explaining the zombie"
dump "$out" "$err" dump --json "$zombie"
expect_rc 0 1
json_ok "$out" "zombie"
jq -e --argjson z "$zombie" '.processes[0] | .pid == $z and .zombie == true and .state == "Z"' "$out" >/dev/null \
    || fail "zombie JSON: $(jq -c '.processes[0] | del(.threads)' "$out")"
# as the child of the dumped process
dump "$out" "$err" dump --json "$parent"
expect_rc 0 1
jq -e --argjson p "$parent" --argjson z "$zombie" \
    '[.processes[].pid] == [$p, $z] and .processes[1].zombie == true and .processes[0].zombie == false' "$out" >/dev/null \
    || fail "the zombie child: $(jq -c '[.processes[] | {pid, state, zombie}]' "$out")"
check_threads_json "$out" "$parent"
# --- kernel thread: kthreadd is PID 2 on Linux ---
# (last: without kernel threads in sight, e.g. in a container, the test skips after the zombie part)
[ "$(tr -d '\n' </proc/2/comm 2>/dev/null)" = kthreadd ] || skip "PID 2 is not kthreadd here (a container?); the zombie part passed"
dump "$out" "$err" dump --no-children 2
expect_rc 0 1
stderr_is_one_line_each "$err" "kernel thread"
grep -qE '^Process 2 "kthreadd" .* kernel-thread' "$out" || fail "kthreadd not flagged as a kernel thread: $(grep '^Process' "$out")"
grep -qE '^"kthreadd" #1 tid=2 ' "$out" || fail "no thread line for kthreadd"
grep -q '^  cmdline:' "$out" && fail "a kernel thread was given a command line"
grep -q '^note: process 2 is a kernel thread' "$out" || fail "no note saying PID 2 is a kernel thread"
dump "$out" "$err" dump --json --no-children 2
expect_rc 0 1
json_ok "$out" "kernel thread"
jq -e '.processes[0] | .kernel_thread == true and .cmdline == null and .pid == 2 and (.threads | length) == 1' \
    "$out" >/dev/null || fail "kernel thread JSON: $(jq -c '.processes[0] | del(.threads)' "$out")"

rm -f "$out" "$err"
echo "ok: kthreadd flagged kernel-thread; zombie $zombie flagged, alone and as a child"
