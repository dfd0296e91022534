# The live view's grouped table (g) on groups_pool 60 (30 workers on a condition, 20 readers
# and "solo" asleep, 10 timers and main in pause, 12 lock waiters on db-writer's mutex): one row
# per group by state and wait, by stack once every stack is taken (a); Enter opens the first
# thread's stack; g again returns to the threads with that thread selected; ? and the footer
# name the key.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
start_target groups_pool 60
pid=$TARGET_PID
ui_start 140 40 top --no-color "$pid"
ui_wait_for " db-writer " "the thread table"
selected_line() { ui_screen -e | grep -aE $'^\e\\[(0;)?7m' | sed 's/\x1b\[[0-9;]*m//g'; }
ui_screen | grep -q "gGroup" || { ui_screen >&2; fail "the footer does not name g"; }

ui_keys g
ui_wait_for "groups by state and wait \(a: by stack, g: threads\)" "the grouped table's mode"
ui_wait_for "^ +x30 worker-1\.\.worker-30 +S .*\[S 30\] condition 0x[0-9a-f]+ \(no owner known\) \(30\)" "the workers' group row"
ui_wait_for "^ +x12 lock-waiter-1\.\.lock-waiter-12 +S .*\[S 12\] mutex \(normal\) 0x[0-9a-f]+ held by tid [0-9]+ \"db-wr" "the lock waiters' row"
ui_wait_for "^ +x21 reader-1\.\.reader-20, solo +S " "the sleepers by state and wait"
ui_wait_for "^ +x11 groups_pool, timer-1\.\.timer-10 +S " "the paused threads by state and wait"
rows=$(ui_screen | grep -cE '^[ *] +x[0-9]+ ')
[ "$rows" -eq 5 ] || { ui_screen >&2; fail "$rows group rows by state and wait, expected 5"; }
ui_screen | grep -q ' ui-\| worker-2 ' && { ui_screen >&2; fail "thread rows left in the grouped table"; }

ui_keys a
ui_wait_for "groups by stack \(g: threads\)" "the grouped table by stack after a"
ui_wait_for "^\* +x20 reader-1\.\.reader-20 +S " "the readers' own stack group"
ui_wait_for "^\* +x10 timer-1\.\.timer-10 +S " "the timers' own stack group"
rows=$(ui_screen | grep -cE '^[ *] +x[0-9]+ ')
[ "$rows" -eq 7 ] || { ui_screen >&2; fail "$rows group rows by stack, expected 7"; }

for i in $(seq 10); do selected_line | grep -q "x30 worker-1\.\.worker-30" && break; ui_keys Down; sleep 0.2; done
selected_line | grep -q "x30 worker-1\.\.worker-30" || { ui_screen >&2; fail "could not select the workers' group"; }
ui_keys Enter
ui_wait_for "Stack of thread [0-9]+ \"worker-1\", first of a group of 30 " "the group's stack pane"
ui_wait_for " pool_a_wait\+0x" "the shared stack's frames"
ui_keys Escape
ui_wait_gone "Stack of thread" "the closed pane"

ui_keys g
ui_wait_for "   (tree|flat)   stacks" "the thread table again"
selected_line | grep -q " worker-1 " || { ui_screen >&2; fail "g did not return with the group's first thread selected: $(selected_line)"; }

ui_keys "?"
ui_wait_for "g +group threads: one row per stack \(or state\+wait\)" "g in the help"
ui_keys q
ui_keys q
[ "$(ui_wait_exit)" = 0 ] || fail "threadlens top did not exit 0"
ui_assert_target_running "$pid"
echo "ok: g grouped 75 threads into 5 rows by state and wait, 7 by stack; Enter showed the shared stack; g returned to worker-1"
