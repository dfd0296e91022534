# threadlens demo --lesson: four steps, each a sentence on the status line and its view (the
# thread table; the shared pane; one thread's stack; the child process selected beside its
# parent); Space goes on, then the lesson ends and q quits with status 0.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
ui_start 150 45 demo --lesson --no-color
ui_wait_for "Lesson 1/4 \(Space: next\): Each row is a thread" "step 1's sentence"
ui_wait_for " request-1 " "the thread table"
ui_keys Space
ui_wait_for "Lesson 2/4 \(Space: next\): Shared pane" "step 2's sentence"
ui_wait_for "Shared vs private" "the shared pane in step 2"
ui_keys Space
ui_wait_for "Lesson 3/4 \(Space: next\): One thread's stack" "step 3's sentence"
ui_wait_for "Stack of thread [0-9]+ \"request-1\"" "request-1's stack pane in step 3"
ui_wait_for "demo_request_thread" "request-1's call chain in step 3"
ui_keys Space
ui_wait_for "Lesson 4/4 \(Space: next\): The child process" "step 4's sentence"
ui_wait_gone "Stack of thread" "the stack pane closed in step 4"
# the selected (reverse video) line is the child process's row
for i in $(seq 50); do
    ui_screen -e | grep -aE $'^\e\\[(0;)?7m' | grep -q "demo-child" && break
    sleep 0.1
done
ui_screen -e | grep -aE $'^\e\\[(0;)?7m' | grep -q "demo-child" || { ui_screen >&2; fail "step 4 did not select demo-child"; }
ui_keys Space
ui_wait_for "Lesson done" "the end of the lesson"
ui_keys q
status=$(ui_wait_exit)
[ "$status" = 0 ] || fail "q: exit status $status"
echo "ok: 4 steps and the end, each with its view"
