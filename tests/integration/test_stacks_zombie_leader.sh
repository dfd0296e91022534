# A process whose main thread exited (pthread_exit in main: the leader is a zombie, state Z)
# while its workers live: every worker gets its stack (attached by TID, memory read through a
# live thread), the leader is reported as an exited zombie, no thread is left stopped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stacks_lib.sh"
need jq

start_target zombie_leader
pid=$TARGET_PID
out=$(mktemp)
[ "$(awk '{ s = $0; sub(/.*\) /, "", s); print substr(s, 1, 1) }' "/proc/$pid/stat")" = Z ] ||
    fail "the target's leader is not a zombie"
"$THREADLENS" dump --json "$pid" >"$out" || fail "exit code $?, expected 0"
workers=$(jq '[.processes[0].threads[] | select(.name | startswith("zl-worker-"))
               | select([.frames[]?.function] | index("zl_park") and index("zl_worker"))] | length' "$out")
[ "$workers" -eq 3 ] || fail "$workers of 3 workers have the zl_park <- zl_worker stack: $(jq -c '[.processes[0].threads[] | {name, stack_error}]' "$out")"
jq -e --argjson p "$pid" '.processes[0].threads[] | select(.tid == $p) | .state == "Z" and (.stack_error | test("zombie"))' \
    "$out" >/dev/null || fail "the leader is not reported as an exited zombie"
jq -e '.processes[0].zombie == false' "$out" >/dev/null || fail "the process is called a zombie while 4 threads live"
# --consistent too
"$THREADLENS" dump --json --consistent "$pid" >"$out" || fail "--consistent: exit code $?, expected 0"
workers=$(jq '[.processes[0].threads[] | select(.name | startswith("zl-worker-")) | select([.frames[]?.function] | index("zl_park"))] | length' "$out")
[ "$workers" -eq 3 ] || fail "--consistent: $workers of 3 workers have their stack"
# text
"$THREADLENS" dump "$pid" >"$out" || fail "text: exit code $?"
[ "$(grep -c 'at zl_park' "$out")" -eq 4 ] || fail "text: $(grep -c 'at zl_park' "$out") zl_park frames, expected 4 (3 workers + announcer)"
expect_none_stopped "$pid"
rm -f "$out"
echo "ok"
