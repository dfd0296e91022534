# Helpers of the wait-analysis tests (sourced after lib.sh; not a test: no test_ prefix).

# field NAME [LINE_PREFIX]: the value of NAME=... printed by the target (in the line starting
# with LINE_PREFIX when given).
field() {
    local line
    line=$(grep -E "^${2:-}" "$TARGET_OUT" | grep -o "$1=[^ ]*" | head -1)
    [ -n "$line" ] || fail "the target did not print $1= ${2:+on its '$2' line}"
    echo "${line#*=}"
}

# dump_json PID: JSON dump without stacks (reads /proc only); exit code 0 or 1 (partial) only.
dump_json() {
    local out rc=0
    out=$("$THREADLENS" dump --no-stacks --json "$1") || rc=$?
    [ "$rc" -le 1 ] || fail "threadlens dump --json $1 exited $rc"
    printf '%s\n' "$out"
}

# wait_of JSON TID: the waiting_on object of thread TID (compact), "null" when none.
wait_of() {
    jq -c --argjson t "$2" '[.processes[].threads[] | select(.tid == $t)][0].waiting_on' <<<"$1"
}

# expect_jq JSON FILTER WHAT: fails with WHAT when FILTER is not true on JSON.
expect_jq() {
    jq -e "$2" >/dev/null <<<"$1" || fail "$3; got: $(jq -c '{deadlocks, waits: [.processes[].threads[] | {tid, waiting_on}]}' <<<"$1")"
}

# retry_until PID FILTER: dumps until FILTER holds (a thread may still be on its way into the
# call it will block in just after "ready"), at most 50 times; prints the last JSON.
retry_until() {
    local json i
    for i in $(seq 50); do
        json=$(dump_json "$1")
        if jq -e "$2" >/dev/null <<<"$json"; then
            printf '%s\n' "$json"
            return 0
        fi
        sleep 0.1
    done
    printf '%s\n' "$json"
}

# cycle_from TIDS...: the cycle as threadlens reports it: in wait-for order, starting from its
# lowest tid, as a compact JSON array.
cycle_from() {
    local -a t=("$@")
    local n=${#t[@]} low=0 i
    for ((i = 1; i < n; i++)); do [ "${t[i]}" -lt "${t[low]}" ] && low=$i; done
    local out=""
    for ((i = 0; i < n; i++)); do out+="${out:+,}${t[(low + i) % n]}"; done
    echo "[$out]"
}

# stopped_threads PID...: the stat files of the threads of those processes in state t or T,
# read by one awk (fast enough to poll in a loop). Threads that exit meanwhile are skipped.
stopped_threads() {
    local files=() p
    for p in "$@"; do files+=(/proc/"$p"/task/*/stat); done
    awk '{ s = $0; sub(/.*\) /, "", s); if (s ~ /^[tT]/) print FILENAME; nextfile }' "${files[@]}" 2>/dev/null
}
