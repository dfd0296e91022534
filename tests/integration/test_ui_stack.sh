# Live view: Enter on a thread opens its native stack with the known call chain
# (ui_chain_bottom called by ui_chain_middle called by ui_chain_top), Enter closes it,
# Esc closes it too; the target keeps running.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
start_target ui_target
pid=$TARGET_PID
ui_start 100 30 top --no-color "$pid"
ui_wait_for " ui-chain " "the thread ui-chain"

ui_keys /
ui_type "ui-chain"
ui_keys Enter
ui_wait_gone " ui-alpha " "the other threads after filtering on ui-chain"
# the filter selects the first matching thread: Enter opens ui-chain, not the process row
# (before, the process row stayed selected and Enter opened ui-main's stack)
ui_wait_for "^[* ] +[0-9]+ +\`- ui-chain" "the ui-chain row"
ui_keys Enter
ui_wait_for "Stack of thread [0-9]+ \"ui-chain\"" "the stack pane title"
for i in $(seq $((UI_WAIT_S * 10))); do
    ui_screen | grep -Eq "ui_chain_top|native stacks unavailable|no stack for this thread" && break
    sleep 0.1
done
screen=$(ui_screen)
if grep -q "native stacks unavailable" <<<"$screen"; then
    grep "native stacks unavailable" <<<"$screen" >&2
    skip "this build reports native stacks unavailable; the call chain cannot be shown"
fi
chain=$(grep -oE "ui_chain_(bottom|middle|top)" <<<"$screen" | tr '\n' ' ')
[ "$chain" = "ui_chain_bottom ui_chain_middle ui_chain_top " ] ||
    { echo "$screen" >&2; fail "expected the chain bottom, middle, top in frame order; got: $chain"; }
grep -Eq "#0 .*pause" <<<"$screen" || { echo "$screen" >&2; fail "frame #0 is not pause()"; }
ui_assert_target_running "$pid"

ui_keys Enter
ui_wait_gone "Stack of thread" "the stack pane after a second Enter"
ui_keys Enter
ui_wait_for "Stack of thread" "the stack pane again"
ui_keys Escape
ui_wait_gone "Stack of thread" "the stack pane after Esc"

ui_keys F10
status=$(ui_wait_exit)
[ "$status" = 0 ] || fail "F10: exit status $status, expected 0"
ui_assert_restored
ui_assert_target_running "$pid"
echo "ok: the stack pane showed $chain and closed with Enter and Esc"
