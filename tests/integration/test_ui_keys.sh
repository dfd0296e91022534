# Live view keys, exactly as issue 5 names them: a mouse click selects a row; F6 opens the sort
# menu; < and > step the sort column, I inverts it; F5 flat/tree; Space freezes; ? and F1 show
# the help, any key closes it; d writes the dump and says where.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
start_target ui_target
pid=$TARGET_PID
workdir=$(mktemp -d)
trap 'ui_cleanup; rm -rf "$workdir"' EXIT
UI_CWD=$workdir ui_start 100 30 top --no-color "$pid"
ui_wait_for " ui-beta " "the thread ui-beta"

# Thread rows in screen order.
thread_order() { ui_screen | grep -oE "[|\`]- ui-[a-z]+" | awk '{print $2}' | tr '\n' ' '; }
# The selected (reverse video) line.
selected_line() { ui_screen -e | grep -aE $'^\e\\[(0;)?7m' | sed 's/\x1b\[[0-9;]*m//g'; }

# mouse: an X10 press and release on the ui-beta row (tmux passes them on to the program)
row=$(ui_screen | grep -n " ui-beta " | cut -d: -f1)
ui_type $'\e[M '"$(printf "\\x$(printf %x $((32 + 10)))\\x$(printf %x $((32 + row)))")"
ui_type $'\e[M#'"$(printf "\\x$(printf %x $((32 + 10)))\\x$(printf %x $((32 + row)))")"
for i in $(seq 50); do selected_line | grep -q " ui-beta " && break; sleep 0.1; done
selected_line | grep -q " ui-beta " || { ui_screen -e | cat -v >&2; fail "a click on row $row did not select ui-beta"; }

# F6: the menu opens on the current column (CPU%); two up is NAME
ui_keys F6
ui_wait_for "Sort by" "the F6 sort menu"
ui_keys Up Up Enter
ui_wait_for "sort: NAME asc" "sort by NAME after F6"
[ "$(thread_order)" = "ui-alpha ui-beta ui-chain ui-main " ] || fail "NAME asc order is $(thread_order)"
ui_keys I
ui_wait_for "sort: NAME desc" "the inverted order after I"
[ "$(thread_order)" = "ui-main ui-chain ui-beta ui-alpha " ] || fail "NAME desc order is $(thread_order)"
ui_keys ">"
ui_wait_for "sort: S asc" "the next column (S) after >"
ui_keys "<"
ui_wait_for "sort: NAME asc" "the previous column (NAME) after <"
selected_line | grep -q " ui-beta " || fail "the selection did not follow ui-beta through the sorts"

ui_keys F5
ui_wait_for "sort: NAME asc   flat" "the flat list after F5"
ui_screen | grep -q "ui-main  process, 4 threads" && { ui_screen >&2; fail "the flat list still shows the process row"; }
ui_keys F5
ui_wait_for "ui-main  process, 4 threads" "the tree again after F5"

ui_keys Space
ui_wait_for "\[FROZEN" "the frozen mark after Space"
ui_keys Space
ui_wait_gone "\[FROZEN" "the frozen mark after a second Space"

for key in "?" F1; do
    ui_keys "$key"
    ui_wait_for "threadlens top: keys" "the help after $key"
    for k in "q F10" "F6" "< >" "Space" "Enter" "Esc" "/" "\? F1" "d" "p" "s" "e" "a"; do
        ui_screen | grep -Eq "^ $k " || { ui_screen >&2; fail "the help does not list $k"; }
    done
    ui_keys x
    ui_wait_gone "threadlens top: keys" "the help after a key"
done

ui_keys d
ui_wait_for "dump written to /" "the dump message after d"
path=$(ui_screen | grep -oE "dump written to /[^ ]+" | sed 's/^dump written to //')
[ "$(dirname "$path")" = "$(cd "$workdir" && pwd -P)" ] || fail "the dump went to $path, not the working directory"
grep -q '"ui-alpha"' "$path" || fail "the dump $path does not name ui-alpha"
grep -q "Process $pid " "$path" || fail "the dump $path has no Process $pid header"

ui_keys q
status=$(ui_wait_exit)
[ "$status" = 0 ] || fail "q: exit status $status"
ui_assert_target_running "$pid"
echo "ok: click, F6, I, >, <, F5, Space, ?, F1 and d work as named"
