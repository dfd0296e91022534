# Native stacks: the known call chains of stacks_chain (built with and without frame pointers)
# appear in order with their names, libc frames are named, deep recursion is cut at the frame
# bound, a thread inside a signal handler and a thread spinning without system calls are
# unwound, and no thread is left stopped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stacks_lib.sh"
need jq

check_target() {
    local target=$1 out rc
    start_target "$target"
    out=$(mktemp)
    "$THREADLENS" dump --json "$TARGET_PID" >"$out"
    rc=$?
    [ "$rc" -eq 0 ] || fail "$target: exit code $rc, expected 0 (complete)"
    expect_chain "$out" chain "chain_wait chain_three chain_two chain_one run_chain start_thread"
    expect_chain "$out" recurse "recurse_wait recurse_down recurse_down recurse_down"
    expect_chain "$out" insignal "handler_wait on_signal __restore_rt"
    expect_chain "$out" spin "spin_forever run_spin start_thread"
    # libc's own frames are named (stripped libc: names from libc6-dbg's build-id file)
    expect_chain "$out" chain "__nanosleep chain_wait"
    functions_of "$out" insignal | grep -q "signal_thread run_signal start_thread" \
        || fail "$target: the interrupted code below the signal frame is missing: $(functions_of "$out" insignal)"
    jq -e '[.processes[0].threads[] | select(.name == "recurse")][0]
           | (.frames | length) == 256 and .frames_truncated' "$out" >/dev/null \
        || fail "$target: the recursion (400 deep) was not cut at 256 frames and marked truncated"
    jq -e '[.processes[0].threads[] | select(.name == "insignal")][0].frames[]
           | select(.function == "__restore_rt") | .signal_frame' "$out" >/dev/null \
        || fail "$target: the signal trampoline is not marked as a signal frame"
    expect_none_stopped "$TARGET_PID"
    # the text form: "at function+0xoff (module) file:line"
    "$THREADLENS" dump "$TARGET_PID" | grep -Eq "^	at chain_two\+0x[0-9a-f]+ \(.*/$target\) .*chain_two\.c:[0-9]+$" \
        || fail "$target: no text frame 'at chain_two+0x.. (module) chain_two.c:N'"
    expect_none_stopped "$TARGET_PID"
    kill -9 "$TARGET_PID"
    rm -f "$out"
}

check_target stacks_chain
check_target stacks_chain_nofp
echo "ok"
