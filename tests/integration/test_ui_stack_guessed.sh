# Live view: a frame found by following frame pointers is marked " ?" in the stack pane
# (issue 14, item 4), one found by CFI is not: a thread of fp_guess, guess_three (a guess)
# and guess_wait (found by libc's CFI).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
start_target fp_guess
pid=$TARGET_PID
ui_start 140 40 top --no-color "$pid"
ui_wait_for " guess " "the thread guess"
ui_keys /
ui_type "guess"
ui_keys Enter
ui_wait_gone " corrupt " "the other threads after filtering on guess"
ui_keys Enter
# the filter matches the process fp_guess and its guess threads: either has the chain
ui_wait_for "Stack of thread [0-9]+ \"(fp_)?guess\"" "the stack pane title"
for i in $(seq $((UI_WAIT_S * 10))); do
    ui_screen | grep -Eq "guess_three|native stacks unavailable" && break
    sleep 0.1
done
screen=$(ui_screen)
grep -q "native stacks unavailable" <<<"$screen" && skip "this build reports native stacks unavailable"
grep -Eq "guess_three\+0x[0-9a-f]+ .* \?$" <<<"$screen" || { echo "$screen" >&2; fail "guess_three is not marked ' ?'"; }
grep -Eq "guess_wait\+0x[0-9a-f]+ .*fp_guess *$" <<<"$screen" || { echo "$screen" >&2; fail "guess_wait (found by CFI) is marked as a guess"; }
ui_assert_target_running "$pid"
ui_keys Escape
echo "ok"
