# dump --count/--interval on over_time (threads that change in known ways): each thread's
# verdict, the blocking chain, the "history"/"window"/"chains" keys, threads that did not run
# not stopped again (--stats), the text round-trip through show, and diff on two dumps taken
# around the known changes (a thread ended, one appeared, the mover's stack changed).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
need jq
dir=$(mktemp -d) err=$(mktemp)
start_target over_time
pid=$TARGET_PID
ids=$(grep '^waiter=' "$TARGET_OUT")
waiter=$(sed 's/.*waiter=\([0-9]*\).*/\1/' <<<"$ids") writer=$(sed 's/.*writer=\([0-9]*\).*/\1/' <<<"$ids")
mutex=$(sed 's/.*mutex=\(0x[0-9a-f]*\).*/\1/' <<<"$ids")

"$THREADLENS" dump --json --save "$dir/A.json" "$pid" >/dev/null 2>"$err" || fail "dump A: $(cat "$err")"
(sleep 2.2; kill -USR1 "$pid") &
killer=$!
dump "$dir/w.txt" "$err" dump -c 3 -i 1.5 --stats --save "$dir/w.json" "$pid"
expect_rc 0 1
wait "$killer"
grep -qx changed "$TARGET_OUT" || fail "the target did not see SIGUSR1"
"$THREADLENS" dump --json --save "$dir/B.json" "$pid" >/dev/null 2>"$err" || fail "dump B: $(cat "$err")"

j="$dir/w.json"
verdict() { jq -r --arg n "$1" '[.processes[0].threads[] | select(.name == $n) | .history.verdict] | join(",")' "$j"; }
for pair in lock-waiter=blocked spinner=busy writer=idle pool-1=idle pool-4=idle mover=changing late=new leaver=ended; do
    got=$(verdict "${pair%=*}")
    [ "$got" = "${pair#*=}" ] || fail "${pair%=*}: verdict '$got', expected ${pair#*=}: $(grep -A1 "^\"${pair%=*}\"" "$dir/w.txt" | head -4)"
done
jq -e '.window | (.samples == 3 and .interval_ms == 1500 and .last_unix_ms - .first_unix_ms >= 2900 and (.first_unix_ms | type) == "number")' "$j" >/dev/null ||
    fail "window: $(jq -c .window "$j")"
jq -e --argjson w "$waiter" --argjson o "$writer" '.chains == [[$w, $o]]' "$j" >/dev/null || fail "chains: $(jq -c .chains "$j")"
jq -e '[.processes[0].threads[].history | keys == ["cpu_ms_delta", "same_stack", "samples", "since_ms", "verdict"]] | all' "$j" >/dev/null ||
    fail "history keys: $(jq -c '.processes[0].threads[0].history' "$j")"
jq -e '.processes[0].threads[] | select(.name == "lock-waiter") | .history | .samples == 3 and .same_stack == 3 and .since_ms >= 2900' "$j" >/dev/null ||
    fail "lock-waiter history: $(jq -c '.processes[0].threads[] | select(.name == "lock-waiter") | .history' "$j")"
jq -e '.processes[0].threads[] | select(.name == "spinner") | .history.cpu_ms_delta > 0' "$j" >/dev/null || fail "spinner used no CPU"
# the six threads that never run (writer, waiter, pool-1..4) are not stopped in samples 2 and 3;
# the last sample re-takes only the main thread (woken by SIGUSR1), spinner, mover and late
# (with a stop, or the blocked ones without one: zero-stop capture, issue 15)
jq -e '.window.stops_saved >= 12 and .window.stops_saved <= 15 and .stall.threads_stopped + .stall.threads_not_stopped == 4' "$j" >/dev/null ||
    fail "stops: saved $(jq .window.stops_saved "$j"), taken in the last sample $(jq .stall.threads_stopped "$j") with a stop + $(jq .stall.threads_not_stopped "$j") without"
grep -q "^Samples: 3; [0-9]* thread stop(s) saved" "$dir/w.txt" || fail "--stats does not say the stops saved: $(tail -3 "$dir/w.txt")"
# text: the verdict block and the per-thread lines
grep -qx "Over 3 samples 1.5 s apart ([0-9.]* s): blocked 1  busy 1  idle 6  changing 1  new 1  ended 1" "$dir/w.txt" ||
    fail "verdict counts: $(grep "^Over" "$dir/w.txt")"
grep -qx "  tid $waiter \"lock-waiter\" (mutex $mutex) → held by tid $writer \"writer\" → waits read on fd [0-9]*: pipe:\[[0-9]*\].*" "$dir/w.txt" ||
    fail "chain line: $(grep -A2 '^Blocking chains' "$dir/w.txt")"
grep -q "^   verdict: blocked ≥ [0-9.]* s on mutex (normal) $mutex held by tid $writer \"writer\"$" "$dir/w.txt" ||
    fail "lock-waiter's verdict line: $(grep 'verdict: blocked' "$dir/w.txt")"
grep -q "^   verdict: busy in spin_here, [0-9]*% CPU$" "$dir/w.txt" || fail "spinner's verdict line: $(grep 'verdict: busy' "$dir/w.txt")"
# show gives the same text
dump "$dir/s.txt" "$err" show --stats "$j"
expect_rc 0
cmp -s "$dir/w.txt" "$dir/s.txt" || fail "show of a --count dump differs: $(diff "$dir/w.txt" "$dir/s.txt" | head)"

# diff A B: leaver ended, late appeared, mover changed, the spinner used CPU
dump "$dir/d.json" "$err" diff --json "$dir/A.json" "$dir/B.json"
expect_rc 0
d="$dir/d.json"
jq -e '[.changes[] | select(.change == "thread_ended") | .name] == ["leaver"]' "$d" >/dev/null || fail "diff ended: $(jq -c '.changes' "$d")"
jq -e '[.changes[] | select(.change == "thread_new") | .name] == ["late"]' "$d" >/dev/null || fail "diff new: $(jq -c '.changes' "$d")"
jq -e '[.changes[] | select(.change == "stack") | .name] | index("mover") != null and index("pool-1") == null' "$d" >/dev/null ||
    fail "diff stacks: $(jq -c '[.changes[] | select(.change == "stack")]' "$d"); mover in A and B: $(jq -c '.processes[0].threads[] | select(.name == "mover") | [.state, .stack_error, (.frames | length)]' "$dir/A.json" "$dir/B.json")"
jq -e '.cpu_top_threads[0].name == "spinner" and .cpu_top_threads[0].cpu_ms > 0 and (.cpu_by_process | length) == 1' "$d" >/dev/null ||
    fail "diff cpu: $(jq -c '.cpu_top_threads, .cpu_by_process' "$d")"
dump "$dir/d.txt" "$err" diff "$dir/A.json" "$dir/B.json"
expect_rc 0
grep -A1 -x "Threads that ended (1):" "$dir/d.txt" | grep -q "^  tid [0-9]* \"leaver\"" || fail "diff text: $(cat "$dir/d.txt")"
grep -q "^      now: clock_nanosleep < .* (+[0-9]* frames)" "$dir/d.txt" || fail "diff text, mover: $(cat "$dir/d.txt")"
# different processes: a clear error, exit 2
start_target over_time
"$THREADLENS" dump --json --save "$dir/C.json" "$TARGET_PID" >/dev/null 2>"$err" || fail "dump C: $(cat "$err")"
dump "$dir/d.txt" "$err" diff "$dir/A.json" "$dir/C.json"
[ "$RC" -eq 2 ] && [ ! -s "$dir/d.txt" ] && grep -q "different processes" "$err" || fail "diff of two processes: rc $RC: $(cat "$err")"
rm -rf "$dir" "$err"
echo PASS
