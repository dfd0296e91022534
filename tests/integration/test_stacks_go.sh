# Go stacks (issue 14, item 3): a Go binary has no .eh_frame_hdr, only a compressed
# .debug_frame, which the walk reads through libdw. The caller of a leaf assembly function is
# there (runtime.futex <- runtime.futexsleep <- runtime.notesleep, not futex <- notesleep as a
# frame-pointer walk shows), no frame is a guess, every walk ends cleanly, and the names of the
# first 8 frames agree with gdb's (>= 95 %). Where gdb is wrong (a null frame past
# runtime.clone and runtime.mcall; on the main thread, stale frames past runtime.mcall, from
# the g0 stack) it is not counted: gdb_lib.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stacks_lib.sh"
. "$(dirname "$0")/gdb_lib.sh"
need jq
[ -x "$TL_TARGETS/go_idle" ] || skip "go_idle was not built (golang-go is not installed: make deps installs it)"
readelf -S -W "$TL_TARGETS/go_idle" 2>/dev/null | grep -q '\.z\?debug_frame' \
    || fail "go_idle has no .debug_frame: the test would not test what it says"
readelf -l -W "$TL_TARGETS/go_idle" 2>/dev/null | grep -q GNU_EH_FRAME \
    && fail "go_idle has an .eh_frame_hdr: the test would not test what it says"

start_target go_idle
locked=$(awk '$1 == "threads" {print $2}' "$TARGET_OUT")
out=$(mktemp)
rc=0
"$THREADLENS" dump --json "$TARGET_PID" >"$out" || rc=$?
[ "$rc" -eq 0 ] || fail "go_idle: exit code $rc, expected 0 (every walk ends at its first frame)"

# every thread in runtime.futex: futexsleep is its caller, then the note it sleeps on
n=$(jq '[.processes[0].threads[] | select(.frames[0].function == "runtime.futex.abi0")] | length' "$out")
ok=$(jq '[.processes[0].threads[] | select(.frames[0].function == "runtime.futex.abi0")
          | select(.frames[1].function == "runtime.futexsleep"
                   and (.frames[2].function | test("^runtime\\.note(t?sleep|tsleep_internal)$")))] | length' "$out")
[ "$n" -ge $((locked + 1)) ] || fail "go_idle: $n threads in runtime.futex, expected at least $((locked + 1))"
[ "$ok" -eq "$n" ] || fail "go_idle: $ok of $n threads in runtime.futex have runtime.futexsleep then runtime.note*sleep as callers: $(jq -r '.processes[0].threads[] | [.frames[]? | .function // "?"] | join(" ")' "$out" | head -3)"
# the locked threads park in stoplockedm, each walk reaching runtime.mcall (the g0 stack's end)
parked=$(jq '[.processes[0].threads[] | select(any(.frames[]; .function == "runtime.stoplockedm"))
              | select(.frames[-1].function == "runtime.mcall")] | length' "$out")
[ "$parked" -ge "$locked" ] || fail "go_idle: $parked threads parked in stoplockedm ending at runtime.mcall, expected $locked"
g=$(jq '[.processes[0].threads[].frames[] | select(.guessed)] | length' "$out")
[ "$g" -eq 0 ] || fail "go_idle: $g frames guessed, though .debug_frame describes all of its code"
w=$(jq '[.processes[0].threads[] | select(.stack_warning != null or .frames_truncated)] | length' "$out")
[ "$w" -eq 0 ] || fail "go_idle: $w threads' walks ended early: $(jq -c '[.processes[0].threads[].stack_warning]' "$out")"

if command -v gdb >/dev/null; then
    expect_gdb_agreement "$out" "$TARGET_PID" go_idle 95
    rm -f "$GDB_NAMES_FILE"
else
    echo "note: gdb is not installed (make deps): go_idle not compared with gdb"
fi
expect_none_stopped "$TARGET_PID"
kill -9 "$TARGET_PID"
rm -f "$out"
echo "ok"
