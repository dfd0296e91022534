# Live view: however it ends - q, Ctrl-C, SIGTERM, SIGHUP, its terminal closing, or after
# --iterations N - the terminal is restored and the target is left running, never stopped,
# even while the selected thread's stack is re-taken every 0.1 s. Ctrl-Z too leaves the target
# running and the terminal restored while the view is stopped.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
start_target ui_target
pid=$TARGET_PID

# Starts the view at -d 0.1 with the stack pane of ui-chain open.
start_sampling_stacks() {
    ui_start 100 30 top --no-color -d 0.1 "$pid"
    ui_wait_for " ui-chain " "the thread ui-chain"
    ui_keys /
    ui_type ui-chain
    ui_keys Enter Down Enter
    ui_wait_for "Stack of thread [0-9]+ \"ui-chain\"" "the stack pane of ui-chain"
}

expect_exit() {   # expect_exit HOW STATUS
    local status
    status=$(ui_wait_exit)
    [ "$status" = "$2" ] || fail "$1: exit status $status, expected $2"
    ui_assert_restored
    ui_assert_target_running "$pid"
    echo "ok: $1 -> exit $status, terminal restored, target running"
}

start_sampling_stacks
ui_keys C-c
expect_exit "Ctrl-C" 130

for sig in TERM HUP; do
    start_sampling_stacks
    kill -s "$sig" "$UI_TL_PID"
    expect_exit "SIG$sig" $((128 + $(kill -l "$sig")))
done

# Ctrl-Z, from an interactive shell with job control as people use it: the view stops only
# once no thread of the target is stopped by it, gives the terminal back, and fg brings it back.
UI_STARTS=$((UI_STARTS + 1))
UI_SESSION=ui$UI_STARTS
ui_tmux -f /dev/null new-session -d -s "$UI_SESSION" -x 100 -y 30 "exec bash --norc --noprofile -i" ||
    fail "cannot start tmux"
shell=$(ui_tmux display-message -p -t "$UI_SESSION" '#{pane_pid}')
ui_type "$(printf '%q ' "$THREADLENS" top --no-color -d 0.1 "$pid")"
ui_keys Enter
ui_wait_for " ui-chain " "the thread ui-chain"
UI_TL_PID=$(pgrep -P "$shell" | head -1)
ui_keys / && ui_type ui-chain && ui_keys Enter Down Enter
ui_wait_for "Stack of thread [0-9]+ \"ui-chain\"" "the stack pane of ui-chain"
ui_keys C-z
ui_wait_for "Stopped" "the shell's Stopped after Ctrl-Z"
[ "$(awk '{print $3}' /proc/"$UI_TL_PID"/stat)" = T ] || fail "Ctrl-Z did not stop threadlens"
ui_assert_target_running "$pid"
ui_assert_restored
ui_keys "fg" Enter
ui_wait_for "Stack of thread [0-9]+ \"ui-chain\"" "the screen again after fg"
ui_keys q
ui_wait_gone "Stack of thread" "the view after q"
ui_keys 'echo "status=$?"' Enter
ui_wait_for "^status=0" "exit status 0 after q"
ui_assert_target_running "$pid"
echo "ok: Ctrl-Z -> stopped with the target running and the terminal restored; fg, q -> exit 0"

# The terminal goes away: tmux closes the pty and the view must notice and exit.
start_sampling_stacks
tl=$UI_TL_PID
ui_tmux kill-session -t "$UI_SESSION"
for i in $(seq $((UI_WAIT_S * 10))); do
    ui_alive "$tl" || break
    sleep 0.1
done
ui_alive "$tl" && fail "threadlens $tl still runs after its terminal closed"
ui_assert_target_running "$pid"
echo "ok: closed terminal -> threadlens exited, target running"

ui_start 80 24 top --no-color -d 0.1 --iterations 5 "$pid"
expect_exit "--iterations 5" 0
