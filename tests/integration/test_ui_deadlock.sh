# Live view, deadlocks: the banner at the top names the cycle found by the wait analysis and
# the threads of the cycle are marked ! in the table.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
start_target waits_abba
pid=$TARGET_PID
read -r a b < <(grep -oE "a=[0-9]+ b=[0-9]+" "$TARGET_OUT" | sed 's/[ab]=//g')
[ -n "$b" ] || fail "waits_abba did not print its tids"
ui_start 100 30 top --no-color "$pid"
ui_wait_for " abba-b " "the thread abba-b"
ui_wait_for "DEADLOCK: 1 cycle: ($a -> $b -> $a|$b -> $a -> $b)" "the banner naming $a and $b"
for tid in "$a" "$b"; do
    ui_screen | grep -Eq "^! +$tid " || { ui_screen >&2; fail "thread $tid of the cycle is not marked !"; }
done
marked=$(ui_screen | grep -cE "^! ")
[ "$marked" -eq 2 ] || fail "$marked rows marked !, expected the 2 of the cycle"
ui_keys q
status=$(ui_wait_exit)
[ "$status" = 0 ] || fail "q: exit status $status"
ui_assert_target_running "$pid"
echo "ok: deadlock banner and marks for $a and $b"
