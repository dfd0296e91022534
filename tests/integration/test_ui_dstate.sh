# Live view: the stack of a thread in uninterruptible sleep (D: a vfork parent) is asked for;
# the pane says at once why there is none ("not stopped: in uninterruptible sleep (D) in ...")
# and, as root, shows its kernel stack; q and then Ctrl-C quit promptly (time from the key to
# the exit measured and printed; bound 2 s) and no target thread is left stopped.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
start_target vfork_parent
pid=$TARGET_PID
now_ms() { local t=${EPOCHREALTIME/./}; echo $(( t / 1000 )); }

open_d_stack() {
    ui_start 120 40 top --no-color --no-children "$pid"
    ui_wait_for "vf-other" "the thread vf-other"
    ui_keys /
    ui_type "tl-vforkparent"
    ui_keys Enter
    ui_wait_gone "vf-other" "the other thread after filtering"
    local i
    for i in $(seq 5); do   # down to the thread row (the process row comes first)
        ui_screen | grep -Eq '^\* +[0-9]+ +`- tl-vforkparent' && break
        ui_keys Down
        sleep 0.2
    done
    ui_keys Enter
    ui_wait_for "Stack of thread $pid " "the stack pane of the D thread"
    ui_wait_for "not stopped: in uninterruptible sleep \(D\) in " "the reason there is no user stack"
    if [ "$(id -u)" -eq 0 ]; then
        ui_wait_for "kernel stack:" "the kernel stack of the D thread"
        ui_wait_for "#0 +[A-Za-z_][A-Za-z0-9_.]*\+0x" "a kernel frame"
    fi
    ui_assert_target_running_d
}

# the D thread is D (not t/T); vf-other runs
ui_assert_target_running_d() {
    local stopped
    stopped=$(threads_stopped "$pid")
    [ -z "$stopped" ] || fail "threads of $pid left stopped: $stopped"
}

quit_with() {
    local t0 t1 i status
    t0=$(now_ms)
    ui_keys "$1"
    for i in $(seq 400); do [ -s "$UI_STATUS" ] && break; sleep 0.005; done
    t1=$(now_ms)
    status=$(ui_wait_exit)
    [ "$status" = "$2" ] || fail "$1: exit status $status, expected $2"
    echo "$1 with the D thread's stack open: exited after $((t1 - t0)) ms"
    [ $((t1 - t0)) -lt 2000 ] || fail "$1 took $((t1 - t0)) ms to quit"
    ui_assert_restored
    ui_assert_target_running_d
}

open_d_stack
quit_with q 0
open_d_stack
quit_with C-c 130
echo "ok"
