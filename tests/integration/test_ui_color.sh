# Live view colours: on by default; off with NO_COLOR (any non-empty value) or --no-color,
# and then the selection and titles still stand out by attributes alone (reverse, bold), so a
# monochrome terminal reads it. Target-written names never reach the terminal raw.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
start_target ui_target
pid=$TARGET_PID

# SGR sequences that set a colour (30-37, 40-47, 90-97, 100-107, 38;..., 48;...).
has_colour() { ui_screen -e | grep -aqP '\e\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m'; }
has_reverse() { ui_screen -e | grep -aqP '\e\[(?:[0-9;]*;)?7(?:;[0-9;]*)?m'; }

UI_ENV=(TERM=xterm-256color)
ui_start 80 24 top "$pid"
ui_wait_for " ui-alpha " "the table"
has_colour || { ui_screen -e | cat -v >&2; fail "no colour by default on a colour terminal"; }
ui_keys q
[ "$(ui_wait_exit)" = 0 ] || fail "q did not exit with 0"

for how in NO_COLOR --no-color; do
    if [ "$how" = NO_COLOR ]; then
        UI_ENV=(TERM=xterm-256color NO_COLOR=1)
        ui_start 80 24 top "$pid"
    else
        UI_ENV=(TERM=xterm-256color)
        ui_start 80 24 top --no-color "$pid"
    fi
    ui_wait_for " ui-alpha " "the table"
    has_colour && { ui_screen -e | cat -v >&2; fail "$how: colours are still on"; }
    has_reverse || fail "$how: no reverse video for the selection and title (monochrome)"
    ui_keys q
    [ "$(ui_wait_exit)" = 0 ] || fail "$how: q did not exit with 0"
    echo "ok: $how turns colours off, reverse video remains"
done

# Hostile names (escape sequences, C1 controls, invalid UTF-8) are shown escaped.
start_target evil_names
UI_ENV=()
ui_start 120 30 top --no-color "$TARGET_PID"
ui_wait_for '\\x1b\[31mred' "the ESC of a thread name shown as \\x1b"
ui_screen -e | grep -aq $'\e\\[31mred' && fail "a raw ESC [31m from a thread name reached the terminal"
ui_screen | grep -q "pwned" && ! ui_screen | grep -q '\\x1b]0;pwned' && fail "the OSC title name was not escaped"
ui_keys q
[ "$(ui_wait_exit)" = 0 ] || fail "q did not exit with 0"
echo "ok: hostile names escaped"
