# The live view's state-history column (issue 17): H shows it, named in the ? help; on a thread
# that alternates burn() and a mutex it shows both R and L over the last refreshes, on a
# sleeper only S; H again hides it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
start_target record_split
pid=$TARGET_PID
trap 'ui_cleanup' EXIT
# refreshes every 0.13 s: the burner's cycle is 100 ms, and a refresh of 0.1 s could see the
# same phase of it every time (a CI run saw 20 R and no L)
ui_start 150 30 top --no-color -d 0.13 "$pid"
ui_wait_for " burner " "the thread burner"
ui_screen | grep -q HISTORY && fail "the history column is shown before H"
ui_keys "?"
ui_wait_for "show/hide the state history" "H in the ? help"
ui_keys q
ui_wait_gone "show/hide the state history" "the help"
ui_keys H
ui_wait_for "HISTORY" "the history column after H"
# 20 refreshes fill the strip; the burner (70 % burn, 30 % mutex) shows R and L
ok=
for i in $(seq 100); do
    line=$(ui_screen | grep " burner ")
    hist=$(echo "$line" | grep -oE '[RSLID.]{20} *$' | tr -d ' ')
    if [ "${#hist}" -eq 20 ] && [[ $hist != *.* ]] && [[ $hist == *R* ]] && [[ $hist == *L* ]]; then ok=1; break; fi
    sleep 0.2
done
[ -n "$ok" ] || { ui_screen >&2; fail "burner's history '$hist' does not show 20 refreshes with R and L"; }
sleeper=$(ui_screen | grep " sleeper " | grep -oE '[RSLID.]{20} *$' | tr -d ' ')
[ "$sleeper" = SSSSSSSSSSSSSSSSSSSS ] || fail "the sleeper's history is '$sleeper', expected 20 S"
ui_keys H
ui_wait_gone "HISTORY" "the history column after a second H"
ui_keys q
ui_wait_exit
echo PASS
