# top --load FILE: a saved dump in the live view, frozen: the title names the file and when it
# was taken, the table lists its threads (even after the target is gone), the stack pane shows
# a thread's saved frames, the group view works, Space does not resume, q quits with 0; a bad
# file is one line and exit 2 before any screen is drawn.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
need tmux
saved=$(mktemp) err=$(mktemp)
TL_UI_FILES+=("$saved" "$err")
start_target over_time
pid=$TARGET_PID
"$THREADLENS" dump --json --save "$saved" "$pid" >/dev/null 2>"$err" || fail "dump: $(cat "$err")"
kill -9 "$pid"
when=$(jq -r '.taken_unix_ms / 1000 | floor | strftime("%Y-%m-%d %H:%M:%S UTC")' "$saved")

ui_start 160 40 top --no-color --load "$saved"
ui_wait_for "FILE $saved  taken $when  1 process, 10 threads  \[SAVED DUMP: frozen\]" "the title with the file and time"
ui_wait_for " lock-waiter " "the thread lock-waiter in the table"
ui_wait_for " spinner " "the thread spinner in the table"
ui_keys /
ui_type lock-waiter
ui_keys Enter Enter
ui_wait_for "Stack of thread [0-9]+ \"lock-waiter\"" "the stack pane of lock-waiter"
ui_wait_for "lock_wait" "lock-waiter's saved frames"
ui_keys Escape Escape g
ui_wait_for "pool-1..pool-4|4 threads" "the group view"
ui_keys Space
ui_wait_for "a saved dump: nothing to resume" "Space refused"
ui_keys q
status=$(ui_wait_exit)
[ "$status" = 0 ] || fail "q: exit status $status"

: >"$saved"
"$THREADLENS" top --load "$saved" >"$err" 2>&1
rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$err")" -eq 1 ] && grep -q "is empty" "$err" || fail "top --load of an empty file: rc $rc: $(cat "$err")"
echo PASS
