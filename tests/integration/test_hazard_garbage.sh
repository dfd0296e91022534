# Impossible return addresses (issue 12, item 11): threads whose stack and frame pointer point
# at text ("/x86_64-linux-gnu/" read as numbers), at 0x17 words, or nowhere. No such value may
# be printed as a frame: the walk ends there with a warning (stack_warning, frames_truncated;
# "walk ended:" in text), exit 1; the SP in no mapping is a stack_error. Other threads keep
# their full stacks.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stacks_lib.sh"
. "$(dirname "$0")/hazard_lib.sh"
need jq

start_hazard garbage
pid=$TARGET_PID
out=$(mktemp)
for mode in "" --consistent; do
    bounded_dump 20 "$out" dump --json $mode "$pid"
    [ "$DUMP_RC" -eq 1 ] || fail "dump $mode: exit code $DUMP_RC, expected 1 (partial)"
    for name in ascii-stack tiny-ret; do
        jq -e --arg n "$name" '.processes[0].threads[] | select(.name == $n)
            | (.frames | length) == 1 and .frames[0].function == "hang_on" and .frames_truncated
              and (.stack_warning | test("^return address 0x[0-9a-f]+ is in no executable mapping"))' "$out" >/dev/null ||
            fail "dump $mode: $name: $(jq -c --arg n "$name" '.processes[0].threads[] | select(.name == $n)
                | {frames: [.frames[] | [.pc, .function]], frames_truncated, stack_warning}' "$out")"
    done
    jq -e '.processes[0].threads[] | select(.name == "tiny-ret") | .stack_warning | startswith("return address 0x17 ")' \
        "$out" >/dev/null || fail "dump $mode: tiny-ret's warning does not name 0x17"
    # the text words as a little-endian number: every byte printable ASCII
    jq -e '.processes[0].threads[] | select(.name == "ascii-stack") | .stack_warning
        | test("return address 0x([2-7][0-9a-f]){8} ")' "$out" >/dev/null ||
        fail "dump $mode: ascii-stack's warning does not name the text read as an address"
    jq -e '.processes[0].threads[] | select(.name == "wild-sp")
        | (.stack_error | test("stack pointer 0x4141414141410000 .* is in no mapping")) and .frames == []' "$out" >/dev/null ||
        fail "dump $mode: wild-sp has no stack_error naming its SP"
    # no frame anywhere is outside an executable mapping of the target
    bad=$(jq -r '.processes[0].threads[].frames[] | select(.function == null) | .pc' "$out")
    [ -z "$bad" ] || fail "dump $mode: frames with no function (garbage printed as frames?): $bad"
    expect_chain "$out" sleeper "sleeper start_thread"
    [ "$HELD" -eq 0 ] || fail "dump $mode: a thread was seen held stopped"
    expect_none_stopped "$pid"
    echo "dump --json $mode: ${DUMP_MS} ms"
done
bounded_dump 20 "$out" dump "$pid"
[ "$DUMP_RC" -eq 1 ] || fail "text dump: exit code $DUMP_RC, expected 1"
[ "$(grep -c "^	\.\.\. walk ended: return address 0x[0-9a-f]* is in no executable mapping" "$out")" -eq 2 ] ||
    fail "text dump: expected 2 'walk ended' notes: $(grep -c 'walk ended' "$out")"
grep -q "^	at 0x17\b\|^	at 0x3" "$out" && fail "text dump: a garbage address printed as a frame"
head -3 "$out" | grep -q "^note: .*end early (stack_warning)" || fail "text dump: the note at the top does not count the warnings"
rm -f "$out" "$out.err"
echo "ok"
