# Zero-stop capture (issue 15): a blocked thread's stack taken without a stop is exactly the
# one a stop gives (every thread's frames, pc and function, compared with a dump that stops
# every thread: THREADLENS_NO_ZERO_STOP=1), on the -O2 chain target built without and with
# frame pointers; the stall counts add up (taken without a stop + with one = threads with a
# stack; the fallbacks by reason = the stopped ones); a thread that runs while its stack is
# copied is taken again with a stop (counted "woke"; the copy-to-check window is widened by a
# test switch so that threads waking every 200 us are caught); --consistent and the switch
# take every thread with a stop, counted "consistent" and "disabled".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stacks_lib.sh"
need jq
zs=$(mktemp)
st=$(mktemp)

# frames JSON: "tid pc:function ..." per thread with a stack and not running (its pc moves)
frames() {
    jq -r '.processes[0].threads[] | select(.state != "R" and (.frames | length) > 0)
           | "\(.tid) \([.frames[] | "\(.pc):\(.function // "?")"] | join(" "))"' "$1" | sort
}

# counts_add_up JSON: stopped + not stopped = threads with a stack; fallbacks sum = stopped.
counts_add_up() {
    local with_stack stopped not_stopped fb
    with_stack=$(jq '[.processes[0].threads[] | select((.frames | length) > 0)] | length' "$1")
    stopped=$(jq .stall.threads_stopped "$1")
    not_stopped=$(jq .stall.threads_not_stopped "$1")
    fb=$(jq '[.stall.fallbacks[]] | add' "$1")
    [ $((stopped + not_stopped)) -eq "$with_stack" ] ||
        fail "$2: $stopped stopped + $not_stopped not stopped != $with_stack threads with a stack"
    [ "$fb" -eq "$stopped" ] || fail "$2: fallbacks add up to $fb, $stopped threads were stopped: $(jq -c .stall "$1")"
}

for target in stacks_chain_nofp stacks_chain; do
    start_target "$target" 40
    pid=$TARGET_PID
    "$THREADLENS" dump --json --stats --no-jvm "$pid" >"$zs" 2>/dev/null
    THREADLENS_NO_ZERO_STOP=1 "$THREADLENS" dump --json --stats --no-jvm "$pid" >"$st" 2>/dev/null
    n=$(frames "$zs" | wc -l)
    [ "$n" -ge 40 ] || fail "$target: only $n blocked threads with a stack"
    diff <(frames "$st") <(frames "$zs") >/dev/null ||
        fail "$target: zero-stop frames differ from stop frames: $(diff <(frames "$st") <(frames "$zs") | head -6)"
    counts_add_up "$zs" "$target"
    counts_add_up "$st" "$target (forced stops)"
    [ "$(jq .stall.threads_not_stopped "$st")" -eq 0 ] || fail "$target: THREADLENS_NO_ZERO_STOP=1 took a thread without a stop"
    [ "$(jq .stall.fallbacks.disabled "$st")" -eq "$(jq .stall.threads_stopped "$st")" ] ||
        fail "$target: forced stops not all counted disabled: $(jq -c .stall "$st")"
    not_stopped=$(jq .stall.threads_not_stopped "$zs")
    if [ "$target" = stacks_chain_nofp ]; then
        # -fomit-frame-pointer -O2: every blocked thread unwinds from SP and PC alone
        [ "$not_stopped" -ge "$n" ] || fail "$target: $not_stopped of $n blocked threads taken without a stop: $(jq -c .stall "$zs")"
    else
        # frame pointers: a caller's CFA is rbp-based and libc's wrapper did not save rbp, so
        # x86_64 needs a stop (counted "register"); aarch64 may do without
        [ $((not_stopped + $(jq .stall.fallbacks.register "$zs"))) -ge "$n" ] ||
            fail "$target: blocked threads neither zero-stop nor register fallbacks: $(jq -c .stall "$zs")"
    fi
    "$THREADLENS" dump --json --stats --consistent --no-jvm "$pid" >"$st" 2>/dev/null
    diff <(frames "$st") <(frames "$zs") >/dev/null || fail "$target: --consistent frames differ from zero-stop frames"
    [ "$(jq .stall.threads_not_stopped "$st")" -eq 0 ] || fail "$target: --consistent took a thread without a stop"
    [ "$(jq .stall.fallbacks.consistent "$st")" -ge "$n" ] || fail "$target: --consistent not counted: $(jq -c .stall "$st")"
    echo "$target: $n blocked threads, $not_stopped without a stop, frames identical to a stop's"
    kill -9 "$pid"
done

# a thread that wakes during the copy: re-taken with a stop, its stack still right
start_target zs_waker 6 6
pid=$TARGET_PID
woke=0
for i in 1 2 3 4 5; do
    THREADLENS_TEST_ZERO_STOP_DELAY_US=20000 "$THREADLENS" dump --json --stats --no-jvm "$pid" >"$zs" 2>/dev/null
    counts_add_up "$zs" "zs_waker"
    woke=$((woke + $(jq .stall.fallbacks.woke "$zs")))
    got=$(jq '[.processes[0].threads[] | select(.name == "zs-waker") | select([.frames[].function] | index("zs_wake_loop"))] | length' "$zs")
    [ "$got" -eq 6 ] || fail "only $got of 6 wakers have zs_wake_loop in their stack: $(jq -c '[.processes[0].threads[] | select(.name == "zs-waker") | [.frames[].function]]' "$zs")"
    got=$(jq '[.processes[0].threads[] | select(.name == "zs-sleeper") | select([.frames[].function] | index("zs_sleep_forever"))] | length' "$zs")
    [ "$got" -eq 6 ] || fail "only $got of 6 sleepers have zs_sleep_forever in their stack"
    [ "$(jq .stall.threads_not_stopped "$zs")" -ge 6 ] || fail "the 6 sleepers were not all taken without a stop: $(jq -c .stall "$zs")"
done
[ "$woke" -ge 5 ] || fail "only $woke torn copies seen in 5 dumps of 6 threads waking every 200 us"
echo "zs_waker: $woke torn copies re-taken with a stop in 5 dumps"
expect_none_stopped "$pid"
rm -f "$zs" "$st"
echo ok
