# Live view: however it ends - q, Ctrl-C, SIGTERM, SIGHUP, its terminal closing, or after
# --iterations N - the terminal is restored and the target is left running, never stopped,
# even while the selected thread's stack is re-taken every 0.1 s.
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
