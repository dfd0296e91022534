# Helpers for the tests of threads that cannot be stopped (D, frozen): sourced after lib.sh
# and stacks_lib.sh, not a test itself.

# watch_states PID OUT [TID...]: polls the State in /proc/PID/task/TID/status of the given
# threads (all of PID's without TIDs) ~every 5 ms in the background, appending a line to OUT
# whenever one is in a ptrace or job stop (t/T); sets WATCH_PID. stop_watch OUT ends it and
# sets POLLS to the number of polls made (not in $(...): wait needs this shell). A failed check
# exits without stop_watch: the watcher is in TL_PIDS so that cleanup_targets kills it (its
# wait would otherwise wait for it for good), and it ends by itself if this shell is killed.
watch_states() {
    local pid=$1 file=$2 parent=$$
    shift 2
    local globs=()
    if [ $# -eq 0 ]; then globs=(/proc/"$pid"/task/*/status); else for t in "$@"; do globs+=(/proc/"$pid"/task/"$t"/status); done; fi
    ( n=0
      while [ ! -e "$file.stop" ] && kill -0 "$parent" 2>/dev/null; do
          grep -h '^State:' "${globs[@]}" 2>/dev/null | grep -E 'State:\s+[tT]' >>"$file"
          n=$((n + 1))
          sleep 0.005
      done
      echo "$n" >"$file.polls" ) &
    WATCH_PID=$!
    TL_PIDS+=("$WATCH_PID")
}
stop_watch() {
    touch "$1.stop"
    wait "$WATCH_PID"
    POLLS=$(cat "$1.polls")
    rm -f "$1.stop" "$1.polls"
}

# ms_now: monotonic-ish wall clock in ms.
ms_now() { echo $(( $(date +%s%N) / 1000000 )); }

# expect_d_entries JSON N: N threads say "not stopped: in uninterruptible sleep (D) in ..." and,
# as root, carry a non-empty kernel_frames.
expect_d_entries() {
    local got
    got=$(jq '[.processes[0].threads[] | select(.stack_error // "" | startswith("not stopped: in uninterruptible sleep (D) in "))] | length' "$1")
    [ "$got" -eq "$2" ] || fail "$got threads (expected $2) say 'not stopped: in uninterruptible sleep (D) in ...': $(jq -c '[.processes[0].threads[] | {name, stack_error}]' "$1")"
    if [ "$(id -u)" -eq 0 ]; then
        got=$(jq '[.processes[0].threads[] | select(.stack_error // "" | startswith("not stopped: in uninterruptible"))
                   | select((.kernel_frames | length) > 0 and (.kernel_frames[0].function | length) > 0)] | length' "$1")
        [ "$got" -eq "$2" ] || fail "$got of $2 D threads have kernel_frames"
    fi
}
