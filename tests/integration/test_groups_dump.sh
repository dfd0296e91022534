# Stack groups and the triage summary of `threadlens dump` on a pool of 240 threads in three
# known stacks, 12 mutex waiters whose owner reads a pipe, and unique threads (groups_pool):
# exact group counts, the summary's lines, --no-summary, --group's length on a 300-thread pool,
# the JSON keys and that every TID is in exactly one group.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
source "$(dirname "$0")/waits_lib.sh"
need jq
out=$(mktemp) err=$(mktemp)
# settle PID: until no thread of PID is runnable (a dump's stops wake each thread for a moment:
# on a loaded machine the next dump could see one still on its way back into its call), 10 s
# at most; the checks after it say what they found if it never settles.
settle() {
    local i
    for i in $(seq 200); do
        cat /proc/"$1"/task/*/stat 2>/dev/null | awk '{ s = $0; sub(/.*\) /, "", s); if (s !~ /^S /) n++ } END { exit n > 0 }' && return 0
        sleep 0.05
    done
}
# expect_jq with a short account of the groups (the waits of 255 threads would drown it)
expect_jq() {
    jq -e "$2" >/dev/null <<<"$1" || fail "$3; got: $(jq -c '{groups: [.processes[] | {stack_groups_by, counts: [.stack_groups[].count]}], summary}' <<<"$1" | head -c 3000)"
}

start_target groups_pool 240
pid=$TARGET_PID owner=$(field owner) mutex=$(field mutex)
total=$((1 + 120 + 80 + 40 + 12 + 2))

# --- text: the summary right after the header line, at most 25 lines ---
settle "$pid"
dump "$out" "$err" dump "$pid"
expect_rc 0
head -1 "$out" | grep -q "^threadlens .* thread dump .*: 1 process, $total threads$" || fail "first line is not the header: $(head -1 "$out")"
summary=$(awk 'NR > 1 && /^Process /{exit} NR > 1' "$out")
summary_lines=$(grep -c . <<<"$summary") lines=$summary_lines
[ "$lines" -le 25 ] || fail "the summary has $lines lines (at most 25): $summary"
grep -qx "Summary: $total threads in 1 process; states: R 0  S $total  D 0  T 0  Z 0; [0-9]* used CPU since they started" <<<"$summary" \
    || fail "summary states line: $summary"
grep -qx "Largest stack groups (4 of 2 threads or more, 3 unique threads):" <<<"$summary" || fail "group counts line: $summary"
grep -qx "  120 threads \[S 120\] \"worker-1\"..\"worker-120\" (process $pid, group 1)" <<<"$summary" || fail "top group line: $summary"
grep -q "^      .*pool_a_wait.*; waiting on: condition 0x[0-9a-f]* (no owner known) (120)$" <<<"$summary" || fail "top group's frames and wait: $summary"
i=0
for g in '80 threads \[S 80\] "reader-1".."reader-80"' '40 threads \[S 40\] "timer-1".."timer-40"' \
         '12 threads \[S 12\] "lock-waiter-1".."lock-waiter-12"'; do
    grep -q "^  $g (process $pid, group $((i + 2)))$" <<<"$summary" || fail "group $((i + 2)) line ($g): $summary"
    i=$((i + 1))
done
grep -qx "  mutex (normal) $mutex: 12 waiters, held by tid $owner \"db-writer\"" <<<"$summary" || fail "most-waited mutex line: $summary"
grep -A1 -x "  mutex (normal) $mutex: 12 waiters, held by tid $owner \"db-writer\"" <<<"$summary" |
    grep -qx "      which is itself waiting on read on fd [0-9]*: pipe:\[[0-9]*\], written only by process $pid \"groups_pool\"" \
    || fail "chain line after the mutex: $summary"
grep -qx "  condition 0x[0-9a-f]*: 120 waiters" <<<"$summary" || fail "most-waited condition line: $summary"
grep -qx "Deadlocks: none found" <<<"$summary" || fail "deadlock line: $summary"
# the per-thread listing stays as it is: one block per thread
n=$(grep -c '^"[^"]*" #[0-9]* tid=' "$out")
[ "$n" -eq "$total" ] || fail "$n thread blocks with the summary, expected $total"

# --- --no-summary: the same dump without it ---
settle "$pid"
dump "$out" "$err" dump --no-summary "$pid"
expect_rc 0
grep -q '^Summary:\|^Largest stack groups\|^Most waited on' "$out" && fail "--no-summary printed a summary"
sed -n 2,3p "$out" | grep -q '^Process ' || fail "--no-summary: the process does not follow the header"
n=$(grep -c '^"[^"]*" #[0-9]* tid=' "$out")
[ "$n" -eq "$total" ] || fail "$n thread blocks with --no-summary, expected $total"

# --- JSON: groups, per-thread ids, every tid in exactly one group, the summary ---
settle "$pid"
dump "$out" "$err" dump --json "$pid"
expect_rc 0
json=$(cat "$out")
expect_jq "$json" '[.processes[0].stack_groups[].count] == [120, 80, 40, 12, 1, 1, 1]' "JSON group counts"
expect_jq "$json" '.processes[0].stack_groups_by == "stack" and .processes[0].stack_group_failed == 0' "JSON grouped by stack, none failed"
expect_jq "$json" '[.processes[0].stack_groups[].id] == [1, 2, 3, 4, 5, 6, 7]' "JSON group ids"
expect_jq "$json" '.processes[0].stack_groups[0] | (.names | length) == 120 and (.names | all(startswith("worker-"))) and .states == {"S": 120} and (.frames | map(.function) | index("pool_a_wait")) != null' \
    "JSON group 1: names, states, frames"
expect_jq "$json" '.processes[0] | ([.stack_groups[].tids[]] | sort) == ([.threads[].tid] | sort)' "every tid in exactly one group"
expect_jq "$json" '.processes[0] | . as $p | ([.stack_groups[] | .id as $g | .tids[] | {key: tostring, value: $g}] | from_entries) as $m | all($p.threads[]; .stack_group == $m[.tid | tostring])' \
    "each thread's stack_group is the group that lists it"
expect_jq "$json" ".summary.threads == $total and .summary.states == {\"D\": 0, \"R\": 0, \"S\": $total, \"T\": 0, \"Z\": 0} and .summary.top_groups == [1, 2, 3, 4] and .summary.unique_threads == 3 and .summary.failed_stacks == 0 and .summary.deadlocks == 0" \
    "JSON summary counts"
expect_jq "$json" "[.summary.most_waited[] | select(.kind == \"mutex\" and .address == \"$mutex\" and .waiters == 12 and .owner_tid == $owner and .fd == null and (.description | contains(\"db-writer\")))] | length == 1" \
    "JSON most_waited: the mutex, 12 waiters, its owner"
expect_jq "$json" '.summary.most_waited[0] | .kind == "condvar" and .waiters == 120 and .owner_tid == null' "JSON most_waited: the condition first"
settle "$pid"
dump "$out" "$err" dump --json --no-summary "$pid"
jq -e 'has("summary") | not' "$out" >/dev/null || fail "--json --no-summary still has a summary"
jq -e '.processes[0].stack_groups | length == 7' "$out" >/dev/null || fail "--json --no-summary lost the stack groups"

# --- without stacks: grouped by state and wait, and said so ("solo" sleeps like the readers,
# main pauses like the timers) ---
settle "$pid"
dump "$out" "$err" dump --no-stacks "$pid"
grep -qx "Largest stack groups (4 of 2 threads or more, 1 unique threads; 1 process without stacks grouped by state and wait only):" "$out" \
    || fail "--no-stacks summary does not say it grouped by state and wait: $(sed -n 2,8p "$out")"
grep -qx '  81 threads \[S 81\] "reader-1".."reader-80", "solo" (process '$pid', group 2)' "$out" || fail "--no-stacks: the sleepers' group"
settle "$pid"
dump "$out" "$err" dump --no-stacks --json "$pid"
jq -e '.processes[0].stack_groups_by == "state_and_wait" and ([.processes[0].stack_groups[].count] == [120, 81, 41, 12, 1]) and all(.processes[0].stack_groups[]; .frames == [])' "$out" >/dev/null \
    || fail "--no-stacks JSON groups: $(jq -c '[.processes[0].stack_groups_by, [.processes[0].stack_groups[].count]]' "$out")"
cleanup_targets
TL_PIDS=()

# --- --group on a 300-thread pool in 3 stacks: at most 80 lines ---
start_target groups_pool 300 plain
pid=$TARGET_PID
settle "$pid"
dump "$out" "$err" dump --group "$pid"
expect_rc 0
lines=$(wc -l <"$out")
[ "$lines" -le 80 ] || fail "--group printed $lines lines for 301 threads in 4 stacks (at most 80)"
for g in '150 threads with this stack: "worker-1".."worker-150" (tid [0-9][0-9., +more]*) group=1' \
         '100 threads with this stack: "reader-1".."reader-100" (tid [0-9][0-9., +more]*) group=2' \
         '50 threads with this stack: "timer-1".."timer-50" (tid [0-9][0-9., +more]*) group=3'; do
    grep -qx "$g" "$out" || fail "--group header '$g' missing: $(grep 'threads with this stack' "$out")"
done
grep -A1 -x '50 threads with this stack: .*group=3' "$out" | grep -qx '   states: S 50' || fail "--group states line"
grep -A2 -x '50 threads with this stack: .*group=3' "$out" | grep -qx '   waiting on: a signal (pause) (50 threads)' || fail "--group waits line"
n=$(grep -c 'pool_c_pause' "$out")
[ "$n" -eq 2 ] || fail "pool_c_pause printed $n times (once in the summary, once for the group)"
n=$(grep -c '^"[^"]*" #[0-9]* tid=' "$out")
[ "$n" -eq 1 ] || fail "--group printed $n single-thread blocks, expected 1 (main)"
echo "ok: 7 groups (120/80/40/12/1/1/1) in text and JSON, summary $summary_lines lines with the chain, --group 301 threads in $lines lines"
