# A thread whose stack is in a userfaultfd range that is never served (issue 12, item 3): the
# read would wait for ever in D state, threadlens holding the thread stopped. The dump must not
# read it: it returns at once with the range named (stack_error, skipped_ranges), exit 1, and
# no thread stays stopped; the other threads get their stacks. A thread blocked in futex() on a
# word in such a range: the wait analysis (no stops) must not read the word either.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stacks_lib.sh"
. "$(dirname "$0")/hazard_lib.sh"
need jq

start_hazard uffd
pid=$TARGET_PID
out=$(mktemp)
[ -n "$RANGE_START" ] || fail "mem_hazard did not print its range"
for mode in "" --consistent; do
    bounded_dump 20 "$out" dump --json $mode "$pid"
    [ "$DUMP_RC" -eq 1 ] || fail "dump --json $mode: exit code $DUMP_RC, expected 1 (partial): $(cat "$out.err")"
    jq -e --arg s "$RANGE_START" --arg e "$RANGE_END" '.processes[0].threads[] | select(.name == "uffd-stack")
        | (.stack_error | test("stack not read: " + $s + "-" + $e + " is userfaultfd memory"))
          and (.skipped_ranges == [{"start": $s, "end": $e, "reason": "userfaultfd"}]) and (.frames == [])' \
        "$out" >/dev/null || fail "dump $mode: uffd-stack does not name its skipped range $RANGE_START-$RANGE_END: \
$(jq -c '.processes[0].threads[] | select(.name == "uffd-stack") | {stack_error, skipped_ranges}' "$out")"
    expect_chain "$out" sleeper "sleeper start_thread"
    jq -e '[.processes[0].threads[] | select(.name != "uffd-stack") | .skipped_ranges == [] and .stack_error == null]
        | length == 2 and all' "$out" >/dev/null || fail "dump $mode: the other threads lost their stacks"
    jq -e '.partial and (.notes | length) >= 1' "$out" >/dev/null || fail "dump $mode: no note says what is missing"
    [ "$HELD" -eq 0 ] || fail "dump $mode: a thread was seen held stopped $HELD times"
    expect_none_stopped "$pid"
    echo "dump --json $mode: ${DUMP_MS} ms"
done
bounded_dump 20 "$out" dump "$pid"
[ "$DUMP_RC" -eq 1 ] || fail "text dump: exit code $DUMP_RC, expected 1"
grep -q "stack unavailable: stack not read: $RANGE_START-$RANGE_END is userfaultfd memory" "$out" ||
    fail "text dump: no one-line note naming the skipped range: $(grep -A3 uffd-stack "$out")"
[ "$(grep -c "stack not read" "$out")" -eq 1 ] || fail "text dump: expected exactly one skipped stack"
kill -9 "$pid"
wait "$pid" 2>/dev/null

# the wait analysis: a futex word in the never-served range (the thread itself is in D)
start_hazard uffd-futex
pid=$TARGET_PID
bounded_dump 20 "$out" dump --json --no-stacks "$pid"
[ "$DUMP_RC" -eq 0 ] || fail "--no-stacks: exit code $DUMP_RC: $(cat "$out.err")"
jq -e '.processes[0].threads[] | select(.name == "uffd-futex") | .waiting_on.kind == "futex"' "$out" >/dev/null ||
    fail "--no-stacks: the futex wait in the userfaultfd range is not described"
echo "dump --no-stacks (futex word in the range): ${DUMP_MS} ms"
rm -f "$out" "$out.err"
echo "ok"
