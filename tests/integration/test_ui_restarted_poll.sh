# Live view: a timed poll the stack pane's takes interrupt goes on as restart_syscall; the pane
# must go on saying "poll on fd N" (issue 14, item 8), never "restart_syscall on fd N".
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
start_target waits_restarted
pid=$TARGET_PID
poller=$(grep -oE "poll=[0-9]+" "$TARGET_OUT" | cut -d= -f2)
fd=$(grep -oE "pipe=[0-9]+" "$TARGET_OUT" | cut -d= -f2)
[ -n "$poller" ] && [ -n "$fd" ] || fail "waits_restarted did not print poll= and pipe="
# the subject is what a stop does to the blocked call: with zero-stop capture (issue 15) the
# thread would never be stopped, so every thread is taken with a stop here
UI_ENV+=(THREADLENS_NO_ZERO_STOP=1)
ui_start 160 40 top --no-color -d 0.2 "$pid"
ui_wait_for " timed-poll " "the thread timed-poll"
ui_keys /
ui_type "timed-poll"
ui_keys Enter
ui_wait_gone " timed-sleep " "the other threads after filtering on timed-poll"
ui_keys Down
ui_wait_for "^[* ] +$poller +\`- timed-poll" "the timed-poll row"
ui_keys Enter
ui_wait_for "Stack of thread $poller \"timed-poll\"" "the stack pane of timed-poll"
ui_wait_for "waits on: poll on fd $fd: pipe:" "what timed-poll waits on"

case $(uname -m) in
x86_64) restart_nr=219 ;;
aarch64) restart_nr=128 ;;
*) skip "restart_syscall's number on $(uname -m) is not known here" ;;
esac
# each refresh stops the poller once: its poll is then a restart_syscall
switches() { awk '/^(non)?voluntary_ctxt_switches/ {n += $2} END {print n + 0}' "/proc/$pid/task/$poller/status"; }
start=$(switches)
restarted=0
for i in $(seq $((UI_WAIT_S * 10))); do
    screen=$(ui_screen)
    if grep -q "restart_syscall" <<<"$screen"; then
        echo "$screen" >&2
        fail "after $(($(switches) - start)) switches of timed-poll the live view says restart_syscall"
    fi
    grep -q "waits on: poll on fd $fd: pipe:" <<<"$screen" || { echo "$screen" >&2; fail "the pane no longer says timed-poll polls fd $fd"; }
    read -r nr _ < "/proc/$pid/task/$poller/syscall" 2>/dev/null && [ "$nr" = "$restart_nr" ] && restarted=$((restarted + 1))
    [ $(($(switches) - start)) -ge 8 ] && [ "$restarted" -ge 1 ] && break
    sleep 0.1
done
[ $(($(switches) - start)) -ge 8 ] || fail "timed-poll was not stopped 8 times: are its stacks re-taken each refresh?"
[ "$restarted" -ge 1 ] || skip "timed-poll was never seen in restart_syscall (its syscall file never showed nr $restart_nr): nothing checked"
ui_assert_target_running "$pid"
ui_keys q
status=$(ui_wait_exit)
[ "$status" = 0 ] || fail "q: exit status $status"
echo "ok: timed-poll shown polling fd $fd after $(($(switches) - start)) re-taken stacks ($restarted seen restarted)"
