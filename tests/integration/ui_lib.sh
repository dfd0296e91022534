# Helpers for the live-view tests (sourced after lib.sh; not a test: no test_ prefix).
# The real binary runs in a private tmux server (its own socket), driven by send-keys and read
# with capture-pane. Waits poll the screen with a generous bound; nothing asserts on timing.
need tmux
UI_SOCKET="tl-ui-$$"
UI_SESSION=ui
UI_STARTS=0
UI_WAIT_S=${TL_UI_WAIT_S:-15}
# Under ASan: fontconfig's font set, kept once the picture was drawn, is not ours (ui_lsan.supp).
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/ui_lsan.supp"

ui_tmux() { tmux -L "$UI_SOCKET" "$@"; }
TL_UI_FILES=()
ui_cleanup() { ui_tmux kill-server 2>/dev/null; cleanup_targets; rm -f "${TL_UI_FILES[@]}"; }
trap ui_cleanup EXIT

# ui_start COLS ROWS ARGS...: runs "threadlens ARGS..." in a COLS x ROWS terminal, in a new
# session, under a bash that writes its exit status to a file (ui_wait_exit reads it; tmux's
# own pane_dead_status proved unreliable). Sets UI_TL_PID. UI_ENV (array of NAME=VALUE) adds
# to its environment; UI_CWD sets its working directory.
UI_ENV=()
ui_start() {
    local cols=$1 rows=$2; shift 2
    local cmd env=() e i
    UI_STATUS=$(mktemp)
    TL_UI_FILES+=("$UI_STATUS")
    cmd=$(printf '%q ' bash -c '"$@"; echo $? >'"$(printf %q "$UI_STATUS")" bash "$THREADLENS" "$@")
    for e in "${UI_ENV[@]}"; do env+=(-e "$e"); done
    # a new session each time: dead ones stay (and keep the server up) until ui_cleanup
    UI_STARTS=$((UI_STARTS + 1))
    UI_SESSION=ui$UI_STARTS
    ui_tmux -f /dev/null new-session -d -s "$UI_SESSION" -x "$cols" -y "$rows" -c "${UI_CWD:-$PWD}" \
        "${env[@]}" "exec $cmd" || fail "cannot start tmux"
    ui_tmux set-option -t "$UI_SESSION" remain-on-exit on >/dev/null
    ui_tmux set-option -t "$UI_SESSION" status off >/dev/null
    local shell_pid
    shell_pid=$(ui_tmux display-message -p -t "$UI_SESSION" '#{pane_pid}')
    UI_TL_PID=
    for i in $(seq $((UI_WAIT_S * 10))); do
        UI_TL_PID=$(pgrep -P "$shell_pid" | head -1)
        [ -n "$UI_TL_PID" ] && break
        [ -s "$UI_STATUS" ] && return 0   # it ran and already exited (e.g. --iterations)
        sleep 0.1
    done
    [ -n "$UI_TL_PID" ] || fail "threadlens did not start in tmux"
}

# ui_alive PID: the process exists and is not a zombie.
ui_alive() { [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

ui_screen() { ui_tmux capture-pane -p -t "$UI_SESSION" "$@"; }
ui_keys() { ui_tmux send-keys -t "$UI_SESSION" "$@"; }
ui_type() { ui_tmux send-keys -t "$UI_SESSION" -l "$1"; }

# ui_wait_for REGEX [what]: until a line of the screen matches (grep -E), or fail with the screen.
ui_wait_for() {
    local i
    for i in $(seq $((UI_WAIT_S * 10))); do
        ui_screen | grep -Eq -- "$1" && return 0
        sleep 0.1
    done
    ui_screen >&2
    fail "the screen never showed ${2:-/$1/}"
}

# ui_wait_gone REGEX [what]: until no line matches.
ui_wait_gone() {
    local i
    for i in $(seq $((UI_WAIT_S * 10))); do
        ui_screen | grep -Eq -- "$1" || return 0
        sleep 0.1
    done
    ui_screen >&2
    fail "the screen still shows ${2:-/$1/}"
}

# ui_wait_exit: until threadlens exited; prints its exit status.
ui_wait_exit() {
    local i
    for i in $(seq $((UI_WAIT_S * 10))); do
        if [ -s "$UI_STATUS" ]; then
            cat "$UI_STATUS"
            return 0
        fi
        sleep 0.1
    done
    ui_screen >&2
    local t
    for t in /proc/"$UI_TL_PID"/task/*; do
        echo "threadlens thread ${t##*/}: $(cut -d' ' -f3 "$t/stat" 2>/dev/null) $(cat "$t/wchan" 2>/dev/null)" >&2
    done
    fail "threadlens did not exit"
}

# ui_assert_target_running PID: the target lives and none of its threads is stopped.
ui_assert_target_running() {
    kill -0 "$1" 2>/dev/null || fail "the target $1 died"
    local stopped
    stopped=$(threads_stopped "$1")
    [ -z "$stopped" ] || fail "threads of $1 left stopped: $stopped"
}

# ui_assert_restored: the program left the alternate screen (curses' endwin ran).
ui_assert_restored() {
    [ "$(ui_tmux display-message -p -t "$UI_SESSION" '#{alternate_on}')" = 0 ] ||
        fail "the terminal was left in the alternate screen (not restored)"
}
