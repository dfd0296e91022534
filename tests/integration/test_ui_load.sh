# top --load FILE: a saved dump in the live view, frozen: the title names the file and when it
# was taken, the table lists its threads (even after the target is gone), the stack pane shows
# a thread's saved frames, the shared pane shows the saved --shared parts (the process's
# regions, the thread's own stack), the group view works, Space does not resume, q quits with
# 0; a dump saved without --shared says so in that pane; a bad file is one line and exit 2
# before any screen is drawn.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
need tmux
saved=$(mktemp) plain=$(mktemp) err=$(mktemp)
TL_UI_FILES+=("$saved" "$plain" "$err")
start_target over_time
pid=$TARGET_PID
"$THREADLENS" dump --json --shared --save "$saved" "$pid" >/dev/null 2>"$err" || fail "dump: $(cat "$err")"
"$THREADLENS" dump --json --save "$plain" "$pid" >/dev/null 2>"$err" || fail "dump: $(cat "$err")"
waiter_stack=$(jq -r '.processes[0].threads[] | select(.name == "lock-waiter") | .private.stack |
                      "\(.start | ltrimstr("0x"))-\(.end | ltrimstr("0x"))"' "$saved")
[[ $waiter_stack =~ ^[0-9a-f]+-[0-9a-f]+$ ]] || fail "the --shared dump has no stack for lock-waiter: '$waiter_stack'"
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
ui_keys Escape s
ui_wait_for "^SHARED by all 10 threads of process $pid \"over_time\"" "the saved shared part"
ui_wait_for "^  heap +[0-9.]+ [KMGT]iB mapped" "the saved heap line"
ui_wait_for "OWNED by thread [0-9]+ \"lock-waiter\"" "the saved private part of lock-waiter"
ui_wait_for " stack +$waiter_stack reserved" "lock-waiter's saved stack mapping $waiter_stack"
ui_keys s
ui_wait_gone "OWNED by thread" "the shared pane after a second s"
ui_keys Escape Escape g
ui_wait_for "pool-1..pool-4|4 threads" "the group view"
ui_keys Space
ui_wait_for "a saved dump: nothing to resume" "Space refused"
ui_keys q
status=$(ui_wait_exit)
[ "$status" = 0 ] || fail "q: exit status $status"

ui_start 160 40 top --no-color --load "$plain"
ui_wait_for " lock-waiter " "the thread lock-waiter in the table of the plain dump"
ui_keys s
ui_wait_for "not in this saved dump \(save one with: threadlens dump --shared" "the shared pane of a dump without --shared"
ui_keys q
status=$(ui_wait_exit)
[ "$status" = 0 ] || fail "q on the plain dump: exit status $status"

: >"$saved"
"$THREADLENS" top --load "$saved" >"$err" 2>&1
rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$err")" -eq 1 ] && grep -q "is empty" "$err" || fail "top --load of an empty file: rc $rc: $(cat "$err")"
echo PASS
