# Threads and processes that exit while being read: a thread that exits mid-read leaves the
# rest of the dump intact (exit 0 or 1, never a crash); a process that exits while being read
# gives exit 0, 1 or 2 with one-line messages, never a crash or a hang.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
need jq
ROUNDS=20
out=$(mktemp) err=$(mktemp)

# --- threads created and exiting continuously, next to stable ones ---
start_target churn_threads
pid=$TARGET_PID
# "stable TID NAME": the threads that stay; each must be in every dump under its tid and name
mapfile -t stable < <(awk '/^stable /{print $2 " " $3}' "$TARGET_OUT")
[ "${#stable[@]}" -eq 4 ] || fail "churn_threads listed ${#stable[@]} stable threads, expected 4"
partial=0
for i in $(seq $ROUNDS); do
    mode=(); [ $((i % 2)) -eq 0 ] && mode=(--json)
    [ $((i % 3)) -eq 0 ] && mode+=(--no-stacks)
    [ $((i % 5)) -eq 1 ] && mode+=(--consistent)   # all stopped together while threads come and go
    dump "$out" "$err" dump "${mode[@]}" "$pid"
    expect_rc 0 1
    [ "$RC" -eq 1 ] && partial=$((partial + 1))
    stderr_is_one_line_each "$err" "round $i"
    if [ "${mode[0]:-}" = --json ]; then
        json_ok "$out" "round $i"
        for s in "${stable[@]}"; do
            jq -e --arg n "${s#* }" --argjson t "${s%% *}" --argjson p "$pid" \
                '[.processes[] | select(.pid == $p) | .threads[] | select(.tid == $t and .name == $n)] | length == 1' \
                "$out" >/dev/null || fail "round $i: thread $s missing from the JSON dump"
        done
        jq -e 'if .partial then (.notes | length) > 0 else true end' "$out" >/dev/null \
            || fail "round $i: partial without a note saying why"
    else
        for s in "${stable[@]}"; do
            grep -qE "^\"${s#* }\" #[0-9]+ tid=${s%% *} " "$out" || fail "round $i: thread $s missing from the text dump"
        done
        if [ "$RC" -eq 1 ]; then
            grep -q '^note: ' "$out" || fail "round $i: exit 1 but no note in the dump"
            [ -s "$err" ] || fail "round $i: exit 1 but nothing on stderr"
        fi
    fi
done
[ -z "$(threads_stopped "$pid")" ] || fail "threads left stopped: $(threads_stopped "$pid")"
echo "churn: $ROUNDS dumps, $partial partial (threads exited mid-read), all with the stable threads"

# --- whole processes exiting while being read: a race, so every outcome is allowed but a
#     crash or a hang; each outcome must be consistent ---
declare -A seen=()
for i in $(seq $ROUNDS); do
    delay=$(( (i * 7) % 40 + 1 ))
    "$TL_TARGETS/short_lived" 200 "$delay" >/dev/null &
    victim=$!
    TL_PIDS+=("$victim")
    mode=(); [ $((i % 2)) -eq 0 ] && mode=(--json)
    dump "$out" "$err" dump "${mode[@]}" "$victim"
    expect_rc 0 1 2
    seen[$RC]=1
    stderr_is_one_line_each "$err" "short-lived round $i"
    case $RC in
        2) [ -s "$out" ] && fail "round $i: exit 2 with a dump on stdout"
           grep -q "$victim" "$err" || fail "round $i: exit 2 and the message does not name PID $victim: $(cat "$err")" ;;
        *) if [ "${mode[0]:-}" = --json ]; then
               json_ok "$out" "short-lived round $i"
               jq -e --argjson p "$victim" '.processes[0].pid == $p' "$out" >/dev/null || fail "round $i: no process $victim"
           else
               grep -q "^Process $victim " "$out" || fail "round $i: exit $RC without the process header"
           fi ;;
    esac
    wait "$victim" 2>/dev/null
done
echo "short-lived: $ROUNDS dumps racing exits, outcomes seen: ${!seen[*]}"
rm -f "$out" "$err"
echo "ok"
