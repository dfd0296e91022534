# Live view, shared-vs-private pane (key s): the process's heap (4 MiB of small blocks in the
# target) and the selected thread's own stack mapping, the one of /proc/PID/maps that holds
# the SP the kernel reports for it; e toggles the explanations; the strip marks its stack.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
start_target ui_target
pid=$TARGET_PID
tid=
for t in /proc/"$pid"/task/*; do
    [ "$(cat "$t/comm")" = ui-alpha ] && tid=${t##*/}
done
[ -n "$tid" ] || fail "no ui-alpha thread in the target"

# The mapping holding ui-alpha's SP (it is blocked in pause: /proc/.../syscall gives the SP).
sp=$(awk '{print $(NF-1)}' /proc/"$pid"/task/"$tid"/syscall)
[[ $sp == 0x* ]] || fail "cannot read the SP of $tid from /proc (got '$sp')"
mapping=
while read -r range _; do
    start=$((16#${range%-*})) end=$((16#${range#*-}))
    (( start <= sp && sp < end )) && mapping=$range
done </proc/"$pid"/maps
[ -n "$mapping" ] || fail "no mapping of $pid holds SP $sp"

ui_start 100 40 top --no-color "$pid"
ui_wait_for " ui-alpha " "the thread ui-alpha"
ui_keys /
ui_type "ui-alpha"
ui_keys Enter Down
ui_wait_for "^ +$tid +\`- ui-alpha" "ui-alpha's row"
ui_keys s
ui_wait_for "OWNED by thread $tid \"ui-alpha\"" "the private part for ui-alpha"
ui_wait_for "^  stack +$mapping reserved" "ui-alpha's stack mapping $mapping"
screen=$(ui_screen)
heap=$(grep -E "^  heap " <<<"$screen") || { echo "$screen" >&2; fail "no heap line"; }
grep -Eq "^  heap +((([4-9]|[1-9][0-9]+)(\.[0-9])? MiB)|([0-9.]+ [GT]iB)) mapped" <<<"$heap" ||
    fail "the heap line does not show the target's 4 MiB or more: $heap"
grep -Eq "^SHARED by all 4 threads of process $pid \"ui-main\"" <<<"$screen" ||
    { echo "$screen" >&2; fail "no SHARED heading for the 4 threads of $pid"; }
grep -Eq "^  map +\[.*S.*\]" <<<"$screen" || { echo "$screen" >&2; fail "the strip does not mark the stack (S)"; }

ui_keys e
ui_wait_for "= every thread of this process sees this heap" "the heap explanation after e"
ui_keys e
ui_wait_gone "= every thread of this process sees this heap" "the explanation after a second e"
ui_keys s
ui_wait_gone "OWNED by thread" "the pane after a second s"

ui_keys q
status=$(ui_wait_exit)
[ "$status" = 0 ] || fail "q: exit status $status"
ui_assert_target_running "$pid"
echo "ok: heap ($heap) and stack mapping $mapping of tid $tid shown"
