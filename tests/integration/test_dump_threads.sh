# dump and dump --json on a process with named threads: every tid in /proc/PID/task comes out
# with its name, in jstack-shaped lines; the process fields match /proc.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
need jq
start_target named_threads
pid=$TARGET_PID
out=$(mktemp) err=$(mktemp)

dump "$out" "$err" dump "$pid"
expect_rc 0
[ -s "$err" ] && fail "a complete dump wrote to stderr: $(cat "$err")"
check_threads_text "$out" "$pid"
[ "$(tids "$pid" | wc -l)" -eq 5 ] || fail "named_threads should have 5 threads"
grep -qE "^Process $pid \"tl-named-main\" ppid=$$ " "$out" || fail "no process header for $pid: $(head -5 "$out")"
grep -qF "cmdline: $TL_TARGETS/named_threads" "$out" || fail "no command line in the text dump"

dump "$out" "$err" dump --json "$pid"
expect_rc 0
json_ok "$out" "dump --json"
check_threads_json "$out" "$pid"
jq -e --argjson p "$pid" --argjson pp "$$" --arg cmd "$TL_TARGETS/named_threads" '
    (.processes | length) == 1 and .processes[0].pid == $p and .processes[0].ppid == $pp
    and .processes[0].name == "tl-named-main" and .processes[0].cmdline == $cmd
    and (.deadlocks | type) == "array"
    and all(.processes[0].threads[]; (.state | test("^[A-Za-z]$")) and (.cpu_user_ms >= 0)
            and (.frames | type) == "array" and has("wchan") and has("voluntary_ctxt_switches")
            and has("nonvoluntary_ctxt_switches") and has("cpu_system_ms"))' "$out" >/dev/null \
    || fail "process fields or thread keys wrong: $(jq -c '.processes[0] | del(.threads)' "$out")"

# --no-stacks reads /proc only: the same threads, and no thread was ever stopped
dump "$out" "$err" dump --no-stacks --json "$pid"
expect_rc 0
check_threads_json "$out" "$pid"
jq -e '.stacks_taken == false and all(.processes[].threads[]; .frames == [])' "$out" >/dev/null \
    || fail "--no-stacks took stacks"
[ -z "$(threads_stopped "$pid")" ] || fail "threads left stopped: $(threads_stopped "$pid")"
# --consistent stops all threads together: the same threads come out, none is left stopped
dump "$out" "$err" dump --consistent --json "$pid"
expect_rc 0
check_threads_json "$out" "$pid"
[ -z "$(threads_stopped "$pid")" ] || fail "--consistent left threads stopped: $(threads_stopped "$pid")"

# --max-frames bounds every stack (when stacks are taken at all)
dump "$out" "$err" dump --max-frames 2 --json "$pid"
expect_rc 0
jq -e 'all(.processes[].threads[]; (.frames | length) <= 2)' "$out" >/dev/null \
    || fail "--max-frames 2 gave longer stacks: $(jq -c '[.processes[].threads[].frames | length]' "$out")"
if jq -e '.stacks_taken' "$out" >/dev/null; then
    jq -e 'any(.processes[].threads[]; .frames_truncated == true)' "$out" >/dev/null \
        || fail "--max-frames 2 cut no stack short (none marked frames_truncated)"
fi
rm -f "$out" "$err"
echo "ok: 5 threads of $pid in text and JSON with their names"
