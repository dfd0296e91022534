# The wait analysis stops no thread: while dumps without stacks run again and again, every
# thread of the targets (deadlocked on mutexes, pipes and sockets, waiting, sleeping, child
# processes) is watched in /proc; none may ever be seen in state t or T.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/waits_lib.sh"

DUMPS=20
start_target waits_abba
roots=("$TARGET_PID")
start_target waits_mutex_kinds
roots+=("$TARGET_PID")
start_target waits_pipe_child deadlock
roots+=("$TARGET_PID")
children=("$(field child)")
start_target waits_socket_child deadlock
roots+=("$TARGET_PID")
children+=("$(field child)")
pids=("${roots[@]}" "${children[@]}")

done_file=$(mktemp) stop_file=$(mktemp -u)
(
    for i in $(seq "$DUMPS"); do
        [ -e "$stop_file" ] && break
        for p in "${roots[@]}"; do
            "$THREADLENS" dump --no-stacks "$p" >/dev/null
            "$THREADLENS" dump --no-stacks --json "$p" >/dev/null
        done
    done
    echo done >"$done_file"
) &
dumper=$!
polls=0 stopped=""
while [ ! -s "$done_file" ] && [ -z "$stopped" ]; do
    stopped=$(stopped_threads "${pids[@]}")
    polls=$((polls + 1))
done
touch "$stop_file"
wait "$dumper"
rm -f "$done_file" "$stop_file"
[ -z "$stopped" ] || fail "a thread was stopped while waits were analysed: $(echo $stopped)"
[ "$polls" -gt 0 ] || fail "the thread states were never polled while dumps ran"
# the analysis did run during those dumps: it still finds the deadlock, and found it each time
"$THREADLENS" dump --no-stacks --fail-on-deadlock "${pids[0]}" >/dev/null && fail "the ABBA deadlock is no longer found"
echo "ok: $((DUMPS * 2 * ${#roots[@]})) dumps, thread states polled $polls times, never stopped"
