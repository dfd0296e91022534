# Live view: the stack pane re-takes the selected thread's stack on every refresh. Each take
# stops the thread in its nanosleep, which the kernel then continues as restart_syscall; the
# pane and the table must go on saying what it waits on (a sleep), refresh after refresh, not
# "blocked in restart_syscall".
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
start_target waits_sleeper
pid=$TARGET_PID
holder=$(grep -oE "holder=[0-9]+" "$TARGET_OUT" | cut -d= -f2)
[ -n "$holder" ] || fail "waits_sleeper did not print the holder's tid"
# the subject is what a stop does to the blocked call: with zero-stop capture (issue 15) the
# thread would never be stopped, so every thread is taken with a stop here
UI_ENV+=(THREADLENS_NO_ZERO_STOP=1)
ui_start 160 40 top --no-color -d 0.2 "$pid"
ui_wait_for " holder " "the thread holder"
ui_keys /
ui_type "holder"
ui_keys Enter
ui_wait_gone " waiter " "the other threads after filtering on holder"
ui_keys Down
ui_wait_for "^[* ] +$holder +\`- holder" "the holder row"
ui_keys Enter
ui_wait_for "Stack of thread $holder \"holder\"" "the stack pane of holder"
ui_wait_for "waits on: sleep \((clock_)?nanosleep\)" "what holder waits on"

# Each refresh stops holder once: count its context switches, not seconds.
switches() { awk '/^(non)?voluntary_ctxt_switches/ {n += $2} END {print n + 0}' "/proc/$pid/task/$holder/status"; }
start=$(switches)
for i in $(seq $((UI_WAIT_S * 10))); do
    screen=$(ui_screen)
    if grep -q "blocked in restart_syscall" <<<"$screen"; then
        echo "$screen" >&2
        fail "after $(($(switches) - start)) switches of holder the live view says 'blocked in restart_syscall'"
    fi
    grep -Eq "waits on: sleep \(((clock_)?nanosleep|restart_syscall)\)" <<<"$screen" || { echo "$screen" >&2; fail "the pane no longer says holder sleeps"; }
    [ $(($(switches) - start)) -ge 8 ] && break
    sleep 0.1
done
[ $(($(switches) - start)) -ge 8 ] || fail "holder was not stopped 8 times: are its stacks re-taken each refresh?"
ui_assert_target_running "$pid"
ui_keys q
status=$(ui_wait_exit)
[ "$status" = 0 ] || fail "q: exit status $status"
echo "ok: holder still shown asleep after $(($(switches) - start)) re-taken stacks"
