# Stack options: --json frames carry pc/function/offset/module/file/line, --max-frames bounds
# every thread, --no-stacks stops nothing, --consistent gives the same chains, --stats reports.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stacks_lib.sh"
need jq

start_target stacks_chain
pid=$TARGET_PID
out=$(mktemp)
chain_tid=$(tid_of "$pid" chain) || fail "no thread named chain"

# --no-stacks: nothing is stopped. A ptrace stop would restart the sleep (restart_syscall, 219
# on x86_64), so the thread must still be in the nanosleep it started (not restart_syscall).
before=$(syscall_nr "$pid" "$chain_tid")
"$THREADLENS" dump --no-stacks --json "$pid" >"$out" || fail "--no-stacks: exit code $?"
jq -e '.stacks_taken == false and ([.processes[0].threads[].frames | length] | add) == 0' "$out" >/dev/null \
    || fail "--no-stacks: frames were taken"
[ "$(syscall_nr "$pid" "$chain_tid")" = "$before" ] || fail "--no-stacks stopped the chain thread"

# a real dump does stop it (shows the check above can fail)
"$THREADLENS" dump --json --stats "$pid" >"$out" || fail "dump: exit code $?"
[ "$(syscall_nr "$pid" "$chain_tid")" != "$before" ] \
    || fail "the chain thread's system call did not change after a stop: the --no-stacks check above cannot fail"

# every frame has the six keys; the chain's own frames have file and line
jq -e '[.processes[0].threads[].frames[] | has("pc") and has("function") and has("offset")
        and has("module") and has("file") and has("line")] | all' "$out" >/dev/null \
    || fail "a JSON frame lacks one of pc/function/offset/module/file/line"
jq -e '[.processes[0].threads[] | select(.name == "chain")][0].frames[]
       | select(.function == "chain_two") | (.file | endswith("chain_two.c")) and .line > 0
         and (.pc | startswith("0x")) and .offset > 0 and (.module | endswith("stacks_chain"))' "$out" >/dev/null \
    || fail "chain_two's frame lacks file/line/pc/offset/module"

# --stats in JSON: every live thread of the target was stopped once
jq -e '.stall.threads_stopped == 5 and .stall.max_us >= .stall.median_us and .stall.total_ms > 0
       and .stall.capture_wall_ms > 0' "$out" >/dev/null || fail "--stats: bad stall object: $(jq -c .stall "$out")"
"$THREADLENS" dump --stats "$pid" | grep -Eq '^Stall: 5 thread\(s\) stopped; per thread median [0-9.]+ us' \
    || fail "--stats: no Stall line in the text dump"

# --max-frames 3 bounds every thread, and the cut ones say so
"$THREADLENS" dump --json --max-frames 3 "$pid" >"$out" || fail "--max-frames: exit code $?"
jq -e '[.processes[0].threads[].frames | length] | max == 3' "$out" >/dev/null || fail "--max-frames 3 not honoured"
jq -e '[.processes[0].threads[] | select(.name == "chain")][0].frames_truncated' "$out" >/dev/null \
    || fail "--max-frames 3: the chain thread is not marked truncated"

# --consistent: all threads stopped together, same chains
"$THREADLENS" dump --json --consistent --stats "$pid" >"$out" || fail "--consistent: exit code $?"
expect_chain "$out" chain "chain_wait chain_three chain_two chain_one run_chain start_thread"
expect_chain "$out" insignal "handler_wait on_signal __restore_rt"
expect_chain "$out" spin "spin_forever run_spin start_thread"
jq -e '.stall.threads_stopped == 5' "$out" >/dev/null || fail "--consistent: stall says $(jq -c .stall "$out")"
expect_none_stopped "$pid"
rm -f "$out"
echo "ok"
