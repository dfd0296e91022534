# Live view: the stack pane of a thread whose walk ended at an impossible return address
# (0x17, issue 12 item 11) shows the one real frame and "walk ended: ..." instead of garbage
# frames; the target keeps running, nothing is left stopped.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/stacks_lib.sh"
source "$(dirname "$0")/ui_lib.sh"
start_target mem_hazard garbage
pid=$TARGET_PID
ui_start 140 30 top --no-color "$pid"
ui_wait_for " tiny-ret " "the thread tiny-ret"
ui_keys /
ui_type "tiny-ret"
ui_keys Enter
ui_wait_gone " sleeper " "the other threads after filtering on tiny-ret"
ui_keys Down
ui_wait_for "^\* +[0-9]+ +\`- tiny-ret|^ +[0-9]+ +\`- tiny-ret" "the tiny-ret row"
ui_keys Enter
ui_wait_for "Stack of thread [0-9]+ \"tiny-ret\"" "the stack pane title"
ui_wait_for "walk ended: return address 0x17 is in no executable mapping" "the walk-ended line"
screen=$(ui_screen)
grep -Eq "#0 .*hang_on" <<<"$screen" || { echo "$screen" >&2; fail "frame #0 is not hang_on"; }
grep -Eq "#1 " <<<"$screen" && { echo "$screen" >&2; fail "a frame #1 was shown (0x17 taken for a frame)"; }
ui_assert_target_running "$pid"
expect_none_stopped "$pid"
echo "ok"
