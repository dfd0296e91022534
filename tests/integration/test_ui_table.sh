# Live view: the table lists the target's threads; "/name" Enter filters, selects the first
# matching thread, and Esc clears;
# resizing redraws to the new size; q exits, the terminal is restored, the target runs on.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
start_target ui_target
pid=$TARGET_PID
ui_start 80 24 top --no-color "$pid"

for name in ui-main ui-chain ui-alpha ui-beta; do
    ui_wait_for " $name " "thread $name in the table"
done
ui_screen | grep -Eq "^ +$pid +ui-main +process" || fail "no process row for $pid"

ui_keys /
ui_wait_for "^Filter" "the filter prompt after /"
ui_type "alpha"
ui_keys Enter
ui_wait_gone " ui-beta " "ui-beta after filtering on alpha"
ui_screen | grep -q " ui-alpha " || fail "the filter hid the matching ui-alpha"
ui_screen | grep -q "filter: alpha" || fail "the summary line does not show the filter"
# the selection moved to the first matching thread (reverse video on the ui-alpha row only)
# (a table row: reverse video from its first column, then a TID)
sel=$(ui_screen -e | grep -E $'^\e\\[[0-9;]*7m(\e\\[[0-9;]*m)* +[0-9]+ ' || true)
[ "$(grep -c . <<<"$sel")" -eq 1 ] && grep -q " ui-alpha " <<<"$sel" ||
    { ui_screen -e | cat -v >&2; fail "after /alpha Enter the selection is not on ui-alpha: $(cat -v <<<"$sel")"; }
ui_keys Escape
ui_wait_for " ui-beta " "ui-beta again after Esc cleared the filter"

ui_tmux resize-window -t "$UI_SESSION" -x 200 -y 50
ui_wait_for "^ {5}TID NAME {30,}S .*WAITING ON" "the wider NAME column of a 200-column screen"
[ "$(ui_screen | wc -l)" -eq 50 ] || fail "the screen is not 50 lines after the resize"
ui_tmux resize-window -t "$UI_SESSION" -x 80 -y 24
ui_wait_for "^ {5}TID NAME {10,20}S .*WAITING ON" "the narrow NAME column of 80 columns again"

ui_keys q
status=$(ui_wait_exit)
[ "$status" = 0 ] || fail "q: exit status $status, expected 0"
ui_assert_restored
ui_assert_target_running "$pid"
echo "ok: threads listed, filter applied and cleared, resize redrawn, q exited with the target running"
