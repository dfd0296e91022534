# A process you may not read: threadlens run as an unprivileged user against a root-owned
# target still shows every thread's counters, says on stderr in one line what is missing and
# what to do, and exits 1 (partial).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
need jq
need setpriv
[ "$(id -u)" -eq 0 ] || skip "needs root: to own the target and to switch to an unprivileged user"
user_id=$(id -u nobody 2>/dev/null) || skip "no user 'nobody' to run threadlens as"
as_user() { setpriv --reuid="$user_id" --regid="$user_id" --clear-groups "$@"; }
as_user test -x "$THREADLENS" || skip "uid $user_id cannot run $THREADLENS (build dir not readable)"
start_target named_threads
pid=$TARGET_PID
out=$(mktemp) err=$(mktemp)

# dump_as_user ARGS...: threadlens dump ARGS as the unprivileged user (output files stay root's:
# the redirections are made by this shell); sets RC, fails on a crash, hang or sanitizer report.
dump_as_user() {
    as_user timeout 60 "$THREADLENS" dump "$@" >"$out" 2>"$err"
    RC=$?
    [ "$RC" -eq 124 ] && fail "dump $* as uid $user_id hung"
    [ "$RC" -ge 128 ] && fail "dump $* as uid $user_id died of signal $((RC - 128)): $(head -c 2000 "$err")"
    grep -q Sanitizer "$err" && fail "dump $* as uid $user_id: sanitizer report: $(head -c 2000 "$err")"
    return 0
}

for stacks in --no-stacks ""; do
    # shellcheck disable=SC2086
    dump_as_user $stacks "$pid"
    expect_rc 1
    check_threads_text "$out" "$pid"
    [ "$(wc -l <"$err")" -ge 1 ] || fail "dump $stacks as uid $user_id: nothing said on stderr"
    stderr_is_one_line_each "$err" "dump $stacks as uid $user_id"
    grep -iE '^note: .*(permission|not permitted)' "$out" | grep -qiE 'run (threadlens )?as|as root' \
        || fail "dump $stacks: no note saying permission was denied and what to do: $(grep '^note' "$out")"

    # shellcheck disable=SC2086
    dump_as_user --json $stacks "$pid"
    expect_rc 1
    json_ok "$out" "JSON as uid $user_id"
    check_threads_json "$out" "$pid"
    jq -e '.partial == true and (.notes | map(test("permission|not permitted"; "i")) | any)
           and all(.processes[0].threads[]; .cpu_user_ms >= 0 and .voluntary_ctxt_switches >= 0)' "$out" >/dev/null \
        || fail "JSON as uid $user_id: $(jq -c '{partial, notes}' "$out")"
done
[ -z "$(threads_stopped "$pid")" ] || fail "threads left stopped"
rm -f "$out" "$err"
echo "ok: root's process seen by uid $user_id: counters of all threads, a permission note, exit 1"
