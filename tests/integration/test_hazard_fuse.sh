# A thread whose stack is in a file mmapped from FUSE, and the FUSE daemon stopped (issue 12,
# item 3): reading a page of it that is not cached waits for the daemon in D state, for ever,
# with threadlens holding the thread stopped. The dump must not read it: mountinfo says the
# file's device is a FUSE mount, so the range is skipped and named (stack_error,
# skipped_ranges), exit 1, nothing left stopped; the other threads get their stacks.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stacks_lib.sh"
. "$(dirname "$0")/hazard_lib.sh"
need jq
[ -e /dev/fuse ] || skip "/dev/fuse is missing (no FUSE in this kernel or container)"
[ -x "$TL_TARGETS/hazard_fuse" ] || skip "hazard_fuse was not built (libfuse3-dev missing: make deps)"
[ "$(id -u)" -eq 0 ] || skip "needs root to mount the FUSE file system"
mnt=$(mktemp -d /tmp/tl_fuse.XXXXXX)
out=$(mktemp)
daemon=""
cleanup() {
    # a stopped daemon that dies aborts its connection: a reader stuck on it gets EIO
    [ -n "$daemon" ] && is_our_child "$daemon" && kill -9 "$daemon" 2>/dev/null
    cleanup_targets
    umount -l "$mnt" 2>/dev/null
    rmdir "$mnt" 2>/dev/null
    rm -f "$out" "$out.err"
}
trap cleanup EXIT
"$TL_TARGETS/hazard_fuse" "$mnt" 2>"$out.err" &
daemon=$!
for i in $(seq 50); do grep -q " $mnt .* - fuse.hazard_fuse " /proc/self/mountinfo && break; sleep 0.1; done
grep -q " $mnt .* - fuse.hazard_fuse " /proc/self/mountinfo || fail "the FUSE file system did not mount: $(cat "$out.err")"

start_hazard file "$mnt/data"
pid=$TARGET_PID
[ -n "$RANGE_START" ] || fail "mem_hazard did not print the mapped range"
kill -STOP "$daemon"
for i in $(seq 50); do [ "$(awk '{print $3}' "/proc/$daemon/stat")" = T ] && break; sleep 0.1; done
[ "$(awk '{print $3}' "/proc/$daemon/stat")" = T ] || fail "the FUSE daemon did not stop"
for mode in "" --consistent; do
    bounded_dump 20 "$out" dump --json $mode "$pid"
    [ "$DUMP_RC" -eq 1 ] || fail "dump --json $mode: exit code $DUMP_RC, expected 1 (partial): $(cat "$out.err")"
    jq -e --arg s "$RANGE_START" --arg e "$RANGE_END" '.processes[0].threads[] | select(.name == "file-stack")
        | (.stack_error | test("stack not read: " + $s + "-" + $e + " is fuse.hazard_fuse memory"))
          and .skipped_ranges == [{"start": $s, "end": $e, "reason": "fuse.hazard_fuse"}]' "$out" >/dev/null ||
        fail "dump $mode: file-stack does not name its skipped range: \
$(jq -c '.processes[0].threads[] | select(.name == "file-stack") | {stack_error, skipped_ranges}' "$out")"
    expect_chain "$out" sleeper "sleeper start_thread"
    [ "$(jq '[.processes[0].threads[] | select(.stack_error != null)] | length' "$out")" -eq 1 ] ||
        fail "dump $mode: expected exactly one thread without a stack"
    [ "$HELD" -eq 0 ] || fail "dump $mode: a thread was seen held stopped"
    expect_none_stopped "$pid"
    echo "dump --json $mode, FUSE daemon stopped: ${DUMP_MS} ms"
done
bounded_dump 20 "$out" dump "$pid"
[ "$DUMP_RC" -eq 1 ] || fail "text dump: exit code $DUMP_RC, expected 1"
grep -q "stack unavailable: stack not read: $RANGE_START-$RANGE_END is fuse.hazard_fuse memory" "$out" ||
    fail "text dump: no one-line note naming the skipped range"
# the daemon is still stopped: nothing threadlens did waited for it
[ "$(awk '{print $3}' "/proc/$daemon/stat")" = T ] || fail "the FUSE daemon is no longer stopped"
echo "ok"
