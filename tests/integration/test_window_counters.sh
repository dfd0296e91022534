# dump --count: the stack pass of the first sample stops every thread, which moves their
# context-switch counts; the later samples do not read status again for it (the reader is told
# of the stop), yet every count in the dump is the kernel's: for the threads asleep in pause()
# all along (all but "heartbeat"), the dump's voluntary and involuntary counts equal what
# /proc/PID/task/TID/status says afterwards, and the stop is in them (voluntary >= 2).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
need jq
# the subject is our stop's switches: sleeping threads would be taken without a stop (zero-stop
# capture, issue 15; then their counts do not move at all), so every thread is taken with one
export THREADLENS_NO_ZERO_STOP=1
start_target crowd 60
pid=$TARGET_PID
out=$(mktemp) err=$(mktemp) ours=$(mktemp) kernel=$(mktemp)
trap 'cleanup_targets; rm -f "$out" "$err" "$ours" "$kernel"' EXIT

dump "$out" "$err" dump --count 3 --interval 0.3 --json "$pid"
expect_rc 0 1
jq -e '.window.samples == 3 and .window.stops_saved >= 100' "$out" >/dev/null ||
    fail "no 3-sample window that saved stops: $(jq -c '.window' "$out")"
jq -r '.processes[0].threads[] | select(.name != "heartbeat" and .tid != '"$pid"') |
       "\(.tid) \(.voluntary_ctxt_switches) \(.nonvoluntary_ctxt_switches)"' "$out" | sort >"$ours"
while read -r tid _; do
    echo "$tid $(awk '/^voluntary_ctxt_switches/ {v = $2} /^nonvoluntary_ctxt_switches/ {n = $2} END {print v, n}' \
        "/proc/$pid/task/$tid/status")"
done <"$ours" | sort >"$kernel"
[ "$(wc -l <"$ours")" -eq 60 ] || fail "expected 60 sleeping threads in the dump, got $(wc -l <"$ours")"
# A thread whose stack the last sample took again (any doubt does: a stop that pushed its CPU time
# over a clock tick, say) was stopped after its counts were read: the kernel's voluntary count is
# then exactly 2 more (one stop), and the involuntary one at most 1 more (preempted in the stop).
# A few such threads are the load's doing; most threads must match exactly (a reader that forgot
# our stops would be 2 short on all of them).
join "$ours" "$kernel" | awk '
    $2 == $4 && $3 == $5 { exact++; next }
    $4 == $2 + 2 && ($5 == $3 || $5 == $3 + 1) { late++; print "retaken by the last sample (kernel +2 voluntary, +0/1 involuntary): " $0 > "/dev/stderr"; next }
    { bad++; print "differs (tid vol invol dump, vol invol kernel): " $0 > "/dev/stderr" }
    END { exit !(bad == 0 && late <= 10 && exact >= 50) }' ||
    fail "context-switch counts in the dump differ from the kernel's beyond a last-sample stop (see above)"
awk '$2 < 2 {bad++} END {exit bad > 0}' "$ours" || fail "a stopped thread shows fewer than the 2 switches of our stop"
echo PASS
