# Live view, incremental refreshes: the table follows what changes in the target between two
# refreshes. live_changes obeys commands on its stdin (a FIFO here); after each one is complete
# it renames its main thread "lc-step-N". A sample reads the main thread (the lowest tid) before
# the others, so a screen showing lc-step-N shows the others as they were after command N: that
# very screen must show the change. A refresh that reused what an earlier one read (a stale
# table) fails here even when a later refresh (every thread is re-read every 10th) would have
# corrected it. A thread that appears is waited for: the thread list is read before the marker.
#   lock      lc-reader's wait goes from a pipe read to the mutex held by lc-holder
#   spawn / end-late   a thread row lc-late appears / is gone
#   fork / reap        a process lc-child appears in the tree / is gone
#   rename    lc-holder, asleep all along, is renamed lc-renamed from another thread
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"

LC_FIFO=$(mktemp -u /tmp/tl-live-changes.XXXXXX)
mkfifo "$LC_FIFO" || fail "cannot make the FIFO $LC_FIFO"
LC_OUT=$(mktemp)
TL_UI_FILES+=("$LC_FIFO" "$LC_OUT")
LC_STEP=0
# Still running = still our child and not a zombie: once reaped, its PID may already name another
# test's process (other tests churn through pid_max in parallel).
lc_running() { is_our_child "$pid" && [ "$(awk '{ s = $0; sub(/.*\) /, "", s); print substr(s, 1, 1) }' "/proc/$pid/stat" 2>/dev/null)" != Z ]; }

# lc_start: the target reads the FIFO; this shell keeps its write end as fd 3 (opened after the
# fork, so only this shell holds it: closing it is the target's end of input).
lc_start() {
    "$TL_TARGETS/live_changes" <"$LC_FIFO" >"$LC_OUT" &
    pid=$!
    TL_PIDS+=("$pid")
    exec 3>"$LC_FIFO"
    local i
    for i in $(seq $((UI_WAIT_S * 10))); do
        grep -qx ready "$LC_OUT" && break
        lc_running || fail "live_changes exited before it was ready"
        sleep 0.1
    done
    grep -qx ready "$LC_OUT" || fail "live_changes did not print ready"
    reader=$(sed -n 's/^reader=\([0-9]*\)$/\1/p' "$LC_OUT")
    [ -n "$reader" ] || fail "live_changes did not print the reader's tid"
}

# lc_send COMMAND: sends it and waits for the target's answer (its done count reaching the
# step); an "error:" answer or a dead target fails the test.
lc_send() {
    lc_running || fail "live_changes died before '$1'"
    echo "$1" >&3 || fail "cannot send '$1' to live_changes"
    LC_STEP=$((LC_STEP + 1))
    local i
    for i in $(seq $((UI_WAIT_S * 10))); do
        grep -q "^error:" "$LC_OUT" && fail "live_changes refused '$1': $(grep "^error:" "$LC_OUT")"
        [ "$(grep -cx done "$LC_OUT")" -ge "$LC_STEP" ] && return 0
        lc_running || fail "live_changes died during '$1'"
        sleep 0.1
    done
    fail "live_changes never answered '$1'"
}

# lc_step_screen [REGEX]: waits for the main thread's row "lc-step-N" of the last command (and
# a line matching REGEX: a thread the command started, which a sample whose thread list was
# read before it cannot show) and sets SCREEN to that very capture: the checks below read the
# same screen, not a later one.
lc_step_screen() {
    local i mark="^ +$pid +[|\`]- lc-step-$LC_STEP "
    for i in $(seq $((UI_WAIT_S * 10))); do
        SCREEN=$(ui_screen)
        grep -Eq -- "$mark" <<<"$SCREEN" && grep -Eq -- "${1:-.}" <<<"$SCREEN" && return 0
        sleep 0.1
    done
    printf '%s\n' "$SCREEN" >&2
    fail "the screen never showed the main thread renamed lc-step-$LC_STEP (after command $LC_STEP)${1:+ with /$1/}"
}

# shows REGEX WHAT / lacks REGEX WHAT: a line of SCREEN matches / none does.
shows() { grep -Eq -- "$1" <<<"$SCREEN" || { printf '%s\n' "$SCREEN" >&2; fail "after command $LC_STEP the screen lacks $2"; }; }
lacks() { ! grep -Eq -- "$1" <<<"$SCREEN" || { printf '%s\n' "$SCREEN" >&2; fail "after command $LC_STEP the screen still shows $2"; }; }
# row_re TID NAME: a thread row of the tree ("   TID |- NAME   S ..."), marks allowed.
row_re() { printf '^[ !*]+%s +[|`]- %s +[A-Z] ' "$1" "$2"; }
# name_re NAME: any thread row named NAME.
name_re() { printf '^[ !*]+[0-9]+ +[|`]- %s +[A-Z] ' "$1"; }

lc_start
ui_start 200 50 top --no-color -d 0.2 "$pid" 3>&-

lc_step_screen
shows "$(row_re "$reader" lc-reader).* read on fd [0-9]+: pipe:\[[0-9]+\]" "lc-reader ($reader) waiting in a pipe read"

lc_send lock
lc_step_screen "$(name_re lc-holder)"
holder=$(grep -E -- "$(name_re lc-holder)" <<<"$SCREEN" | awk '{print ($1 ~ /^[!*]$/) ? $2 : $1}')
# the reading order above holds only when tids did not wrap around pid_max after the main's
[ "$reader" -gt "$pid" ] && [ "$holder" -gt "$pid" ] ||
    skip "tids wrapped around pid_max (main $pid, lc-reader $reader, lc-holder $holder): a sample may read them before the main thread"
shows "$(row_re "$reader" lc-reader).* mutex \([a-z ]+\) 0x[0-9a-f]+ held by tid $holder \"lc-holder\"" \
    "lc-reader's wait on the mutex held by lc-holder ($holder) (a stale pipe read means the refresh reused an old wait)"
lacks "$(row_re "$reader" lc-reader).* pipe:" "lc-reader's old pipe read"

lc_send spawn
ui_wait_for "$(name_re lc-late)" "a row lc-late after spawn"

lc_send end-late
lc_step_screen
lacks " lc-late " "lc-late, which exited and was joined"

lc_send fork
ui_wait_for "^ +[0-9]+ +lc-child +process, 1 thread" "a process row lc-child after fork"
ui_wait_for "$(name_re lc-child)" "the thread row of lc-child"

lc_send reap
lc_step_screen
lacks "lc-child" "lc-child, which was killed and reaped"

lc_send rename
lc_step_screen
shows "$(row_re "$holder" lc-renamed)" "thread $holder renamed lc-renamed"
lacks "$(name_re lc-holder)" "a row lc-holder (renamed lc-renamed while asleep)"
# The reader did not run either: its wait is reused, but the holder's name in it must be today's.
# Checked last (after q) so that the other checks still run when only this one fails.
stale_owner=
grep -Eq -- "$(row_re "$reader" lc-reader).* held by tid $holder \"lc-renamed\"" <<<"$SCREEN" &&
    ! grep -q "lc-holder" <<<"$SCREEN" || stale_owner=$SCREEN

ui_keys q
status=$(ui_wait_exit)
[ "$status" = 0 ] || fail "q: exit status $status, expected 0"
ui_assert_restored
ui_assert_target_running "$pid"

exec 3>&-
for i in $(seq $((UI_WAIT_S * 10))); do
    lc_running || break
    sleep 0.1
done
! lc_running || fail "live_changes did not exit when its stdin closed"
if [ -n "$stale_owner" ]; then
    printf '%s\n' "$stale_owner" >&2
    fail "after rename (command $LC_STEP) lc-reader's wait still names its holder $holder by the old name" \
        "lc-holder on the first screen showing lc-renamed: a reused wait kept a stale owner name"
fi
echo "ok: $LC_STEP commands followed: lc-reader's wait pipe -> mutex, lc-late in and out," \
    "lc-child in and out, lc-holder renamed (changes and removals on the first screen sampled after them)"
