# A target stopped by someone else (SIGSTOP, state T) gets its stacks and stays stopped after
# the dump; a target traced by another tracer keeps its counters, its stacks say which tracer
# holds it, and the exit code says partial.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stacks_lib.sh"
need jq

start_target stacks_chain
pid=$TARGET_PID
out=$(mktemp)

kill -STOP "$pid"
for i in $(seq 50); do [ "$(stopped_tids "$pid" | wc -l)" -eq 5 ] && break; sleep 0.1; done
[ "$(stopped_tids "$pid" | wc -l)" -eq 5 ] || fail "SIGSTOP did not stop the 5 threads"
"$THREADLENS" dump --json "$pid" >"$out" || fail "stopped target: exit code $?"
expect_chain "$out" chain "chain_wait chain_three chain_two chain_one"
[ "$(stopped_tids "$pid" | wc -l)" -eq 5 ] || fail "the dump resumed threads that SIGSTOP had stopped"
kill -CONT "$pid"
for i in $(seq 50); do [ -z "$(stopped_tids "$pid")" ] && break; sleep 0.1; done
expect_none_stopped "$pid"

# traced by another tracer
tracer_out=$(mktemp)
"$TL_TARGETS/stacks_tracer" "$pid" >"$tracer_out" &
tracer=$!
TL_PIDS+=("$tracer")
for i in $(seq 100); do grep -qx ready "$tracer_out" && break; sleep 0.1; done
grep -qx ready "$tracer_out" || fail "stacks_tracer did not get ready"
"$THREADLENS" dump --json "$pid" >"$out"
rc=$?
[ "$rc" -eq 1 ] || fail "traced target: exit code $rc, expected 1 (partial)"
jq -e --arg t "$tracer" '[.processes[0].threads[] | .stack_error // "" | contains("PID " + $t + " (stacks_tracer)")] | all' \
    "$out" >/dev/null || fail "stack_error does not name the tracer: $(jq -c '[.processes[0].threads[].stack_error]' "$out")"
jq -e '(.processes[0].threads | length) == 5 and .partial' "$out" >/dev/null || fail "traced target: counters missing"
kill -9 "$tracer"
wait "$tracer" 2>/dev/null
"$THREADLENS" dump --json "$pid" >"$out" || fail "after the tracer left: exit code $?"
expect_none_stopped "$pid"
rm -f "$out" "$tracer_out"
echo "ok"
