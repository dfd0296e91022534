# Shared versus private (issue 5 section 3, dump --shared): against tests/targets/shared_target,
# the 64 MiB heap block is shared heap of at least its size, the mapped file is a mapped file,
# every thread's stack is its own region holding its SP, the main thread's is [stack], the fd
# count matches /proc, the signal dispositions are seen, and the JSON keys are there. Checked
# with and without stacks (registers from ptrace or SP from /proc/PID/task/TID/syscall).
source "$(dirname "$0")/lib.sh"
need jq
start_target shared_target
pid=$TARGET_PID
heap_addr=$(awk '$1 == "heap" { print $2 }' "$TARGET_OUT")
heap_size=$(awk '$1 == "heap" { print $3 }' "$TARGET_OUT")
file_addr=$(awk '$1 == "file" { print $2 }' "$TARGET_OUT")
file_path=$(awk '$1 == "file" { print $4 }' "$TARGET_OUT")
[ -n "$heap_addr" ] && [ -n "$file_path" ] || fail "shared_target did not print its heap and file"

# The workers print "ready" just before they block in read(): wait until /proc shows all four
# threads inside a system call (a bounded wait, not a timing assertion).
for i in $(seq 100); do
    running=$(grep -l running /proc/"$pid"/task/*/syscall 2>/dev/null | wc -l)
    [ "$(ls /proc/"$pid"/task | wc -l)" -eq 4 ] && [ "$running" -eq 0 ] && break
    sleep 0.1
done
[ "$running" -eq 0 ] || fail "the threads of shared_target never all blocked"

fds_in_proc=$(ls /proc/"$pid"/fd | wc -l)

# check_json FILE LABEL: the checks on one JSON dump.
check_json() {
    local j=$1 what=$2
    jq -e '.processes[0] | has("shared") and has("regions")' "$j" >/dev/null || fail "$what: no shared/regions"
    for k in thread_count mappings regions_listed regions_truncated classes memory fd_count fds signals error; do
        jq -e --arg k "$k" '.processes[0].shared | has($k)' "$j" >/dev/null || fail "$what: shared.$k missing"
    done
    for k in code data heap stack guard file shm kernel other; do
        jq -e --arg k "$k" '.processes[0].shared.classes[$k] | has("mappings") and has("mapped_bytes") and has("rss_bytes")' \
            "$j" >/dev/null || fail "$what: classes.$k incomplete"
    done
    # the heap block: inside a heap region of at least its size, counted in the heap class
    local hs=$((heap_addr)) found=0 start end size cls path
    while read -r start end size cls path; do
        if [ $((start)) -le "$hs" ] && [ "$hs" -lt $((end)) ]; then
            found=1
            [ "$cls" = heap ] || fail "$what: the heap block is in a '$cls' region"
            [ "$size" -ge "$heap_size" ] || fail "$what: heap region $size < $heap_size bytes"
        fi
    done < <(jq -r '.processes[0].regions[] | "\(.start) \(.end) \(.size) \(.class) \(.path)"' "$j")
    [ "$found" -eq 1 ] || fail "$what: no region holds the heap block at $heap_addr"
    local heap_total
    heap_total=$(jq '.processes[0].shared.classes.heap.mapped_bytes' "$j")
    [ "$heap_total" -ge "$heap_size" ] || fail "$what: heap class $heap_total < $heap_size bytes"
    # the mapped file
    jq -e --arg p "$file_path (deleted)" --arg a "$(printf '0x%x' $((file_addr)))" \
        '.processes[0].regions[] | select(.start == $a and .path == $p and .class == "file" and .size == 1048576)' \
        "$j" >/dev/null || fail "$what: the mapped file $file_path at $file_addr is not a 1 MiB 'file' region"
    # fds and signals
    local nfd
    nfd=$(jq '.processes[0].shared.fd_count' "$j")
    [ "$nfd" -eq "$fds_in_proc" ] || fail "$what: fd_count $nfd, /proc/$pid/fd has $fds_in_proc"
    jq -e '.processes[0].shared.fds | map(select(.target == "/dev/null")) | length >= 1' "$j" >/dev/null \
        || fail "$what: the open /dev/null is not listed"
    jq -e '.processes[0].shared.signals | (.caught | index("USR1")) and (.ignored | index("PIPE"))' "$j" >/dev/null \
        || fail "$what: SIGUSR1 handler or ignored SIGPIPE not seen"
    jq -e '.processes[0].shared.memory.rss_kib > 0' "$j" >/dev/null || fail "$what: no smaps_rollup"
    check_stacks "$j" "$what"
}

# check_stacks FILE LABEL: each thread's private stack is distinct, holds its SP, and is marked
# as that thread's stack in the regions; the main thread's is [stack].
check_stacks() {
    local j=$1 what=$2 tid source sp start end main seen=" " n=0
    while read -r tid source sp start end main; do
        n=$((n + 1))
        [ "$source" != none ] || fail "$what: thread $tid has no SP"
        [ "$start" != null ] || fail "$what: thread $tid has no stack region"
        [ $((start)) -le $((sp)) ] && [ $((sp)) -lt $((end)) ] || fail "$what: sp $sp of $tid outside $start-$end"
        case "$seen" in *" $start "*) fail "$what: thread $tid shares stack $start with another thread" ;; esac
        seen="$seen$start "
        if [ "$tid" -eq "$pid" ]; then
            [ "$main" = true ] || fail "$what: the main thread's stack is not [stack]"
            jq -e --arg s "$start" '.processes[0].regions[] | select(.start == $s and .path == "[stack]")' "$j" \
                >/dev/null || fail "$what: no [stack] region at $start"
        else
            [ "$main" = false ] || fail "$what: worker $tid on [stack]"
        fi
        jq -e --arg s "$start" --argjson t "$tid" \
            '.processes[0].regions[] | select(.start == $s and .class == "stack" and .stack_tid == $t)' "$j" \
            >/dev/null || fail "$what: region $start is not marked as the stack of $tid"
    done < <(jq -r '.processes[0].threads[] | "\(.tid) \(.private.source) \(.private.sp) \(.private.stack.start) \(.private.stack.end) \(.private.stack.main)"' "$j")
    [ "$n" -eq 4 ] || fail "$what: $n threads with private state, expected 4"
}

out=$TARGET_OUT.json
"$THREADLENS" dump --shared --json --no-stacks "$pid" >"$out" || fail "dump --shared --json --no-stacks exited $?"
check_json "$out" "no stacks"
jq -e '[.processes[0].threads[].private.source] | all(. == "syscall")' "$out" >/dev/null \
    || fail "no stacks: SP should come from the syscall file"

"$THREADLENS" dump --shared --json "$pid" >"$out"; rc=$?
[ "$rc" -le 1 ] || fail "dump --shared --json exited $rc"
check_json "$out" "with stacks"

# text: the shared block once, a Private: line per thread, no "shared" without --shared
text=$("$THREADLENS" dump --shared --no-stacks "$pid") || fail "dump --shared exited $?"
grep -q "Shared by all 4 threads" <<<"$text" || fail "text: no 'Shared by all 4 threads' block"
grep -Eq "^    heap +[0-9.]+ [MGT]iB mapped" <<<"$text" || fail "text: no heap line of MiB or more"
grep -Eq "^    fds +$fds_in_proc open" <<<"$text" || fail "text: fd count is not $fds_in_proc"
[ "$(grep -c '^   Private: stack 0x' <<<"$text")" -eq 4 ] || fail "text: not 4 Private: stack lines"
grep -q 'Private: stack 0x[0-9a-f]*-0x[0-9a-f]* \[stack\] reserved' <<<"$text" || fail "text: main thread not on [stack]"
"$THREADLENS" dump --json --no-stacks "$pid" | jq -e '.processes[0] | has("shared") or has("regions") | not' >/dev/null \
    || fail "without --shared the JSON should have no shared state"
[ -z "$(threads_stopped "$pid")" ] || fail "threads left stopped"
echo "ok: heap, mapped file, $fds_in_proc fds, signals, 4 private stacks (with and without stacks)"
