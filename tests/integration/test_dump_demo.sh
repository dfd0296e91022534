# threadlens demo --dump (text and JSON) shows the teaching workload: its named threads, the
# child process with threads of its own, a stack for every thread and the named call chain. The
# workload and its child are gone afterwards, and die with their parent when it is SIGKILLed.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
need jq
need pgrep
out=$(mktemp) err=$(mktemp)
parent_threads='["consumer","cruncher","demo-workload","pipe-reader","pool-1","pool-2","pool-3","pool-4","pool-5","pool-6","pool-7","pool-8","producer","request-1","request-2"]'
child_threads='["child-worker-1","child-worker-2","demo-child"]'

dump "$out" "$err" demo --dump --json
expect_rc 0
json_ok "$out" "demo --dump --json"
jq -e --argjson pt "$parent_threads" --argjson ct "$child_threads" '
    (.processes | length) == 2
    and .processes[0].name == "demo-workload" and .processes[1].name == "demo-child"
    and .processes[1].ppid == .processes[0].pid
    and ([.processes[0].threads[].name] | sort) == $pt
    and ([.processes[1].threads[].name] | sort) == $ct' "$out" >/dev/null \
    || fail "the demo workload: $(jq -c '[.processes[] | {pid, ppid, name, threads: [.threads[].name]}]' "$out")"
jq -e '[.processes[0].threads[] | select(.name == "pipe-reader") | .syscall.name] == ["read"]' "$out" >/dev/null \
    || fail "pipe-reader not seen in read(2): $(jq -c '.processes[0].threads[] | select(.name == "pipe-reader") | .syscall' "$out")"
# every thread of both processes has a stack; the named chain is in the four that run it
jq -e '[.processes[].threads[] | .frames | length > 0] | length == 18 and all' "$out" >/dev/null \
    || fail "threads without frames: $(jq -c '[.processes[].threads[] | {name, n: (.frames | length), stack_error}]' "$out")"
for t in request-1 request-2 child-worker-1 child-worker-2; do
    chain=$(jq -r --arg t "$t" '[.processes[].threads[] | select(.name == $t) | .frames[].function // empty] | join(" ")' "$out")
    for fn in demo_wait_for_io demo_parse demo_handle_request; do
        grep -qw "$fn" <<<"$chain" || fail "thread $t: $fn missing from its stack: $chain"
    done
done
# the pool of 8 in one stack: the largest group, first in the summary
jq -e '.processes[0].stack_groups[0] | .count == 8 and (.names | sort) == ["pool-1","pool-2","pool-3","pool-4","pool-5","pool-6","pool-7","pool-8"] and (.frames | map(.function) | index("demo_pool_wait_for_job")) != null' "$out" >/dev/null \
    || fail "the demo's pool is not one group of 8: $(jq -c '[.processes[0].stack_groups[] | {count, names}]' "$out")"
jq -e '.summary.top_groups[0] == .processes[0].stack_groups[0].id and (.summary.most_waited[0] | .kind == "condvar" and .waiters == 8)' "$out" >/dev/null \
    || fail "the demo's summary does not lead with the pool: $(jq -c .summary "$out")"
demo_pids=$(jq -r '.processes[].pid' "$out")
left=$(gone_within_10s $demo_pids)
[ -z "$left" ] || fail "the workload outlived threadlens demo --dump: $left"

dump "$out" "$err" demo --dump --no-stacks
expect_rc 0
for t in request-1 request-2 producer consumer cruncher pipe-reader child-worker-1 child-worker-2 demo-child; do
    grep -qE "^\"$t\" #[0-9]+ tid=" "$out" || fail "text demo dump: no thread $t"
done
grep -qE '^Process [0-9]+ "demo-workload" ' "$out" || fail "text demo dump: no demo-workload process"
grep -qE '^Process [0-9]+ "demo-child" ' "$out" || fail "text demo dump: no demo-child process"
grep -qx '  8 threads \[S 8\] "pool-1".."pool-8" (process [0-9]*, group 1)' "$out" || fail "text demo dump: the summary does not show the pool: $(sed -n 2,12p "$out")"

dump "$out" "$err" demo --bogus
expect_rc 64
dump "$out" "$err" demo --help
expect_rc 0

# run by hand: prints its PID and a hint; SIGKILL of the workload takes its child with it
"$THREADLENS" demo --workload-only >"$out" 2>"$err" &
wl=$!
TL_PIDS+=("$wl")
for i in $(seq 100); do grep -q 'threadlens top' "$out" && break; sleep 0.1; done
grep -q "PID $wl" "$out" || fail "the workload run by hand does not print its PID: $(cat "$out" "$err")"
grep -q "threadlens top $wl" "$out" || fail "no hint how to look at it: $(cat "$out")"
kid=$(pgrep -P "$wl" -x demo-child) || fail "the workload has no demo-child"
[ "$(tids "$wl" | wc -l)" -eq 15 ] || fail "the workload has $(tids "$wl" | wc -l) threads, expected 15"
[ "$(tids "$kid" | wc -l)" -eq 3 ] || fail "demo-child has $(tids "$kid" | wc -l) threads, expected 3"
kill -9 "$wl"
wait "$wl" 2>/dev/null
[ -z "$(gone_within_10s "$kid")" ] || fail "demo-child $kid survived the SIGKILL of its parent: $(ps -o pid,ppid,stat,comm -p "$kid")"
# plain `threadlens demo` with no terminal (a pipe, CI): a dump instead of the live view
"$THREADLENS" demo </dev/null >"$out" 2>"$err" || fail "demo without a terminal exited $?: $(cat "$err")"
grep -q '^"request-1" #' "$out" || fail "demo without a terminal printed no dump: $(head -5 "$out")"
grep -q 'not a terminal' "$err" || fail "demo without a terminal does not say why it dumps"
rm -f "$out" "$err"
echo "ok: demo workload 15 + 3 threads, named; nothing left behind"
