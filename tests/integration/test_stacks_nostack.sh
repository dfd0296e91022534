# Threads that have no user stack are said to have none without making the dump partial: a
# kernel thread (kthreadd, PID 2) and a zombie. threadlens's own process (a descendant of the
# dumped shell) is not traced either.
. "$(dirname "$0")/lib.sh"
need jq
out=$(mktemp)

[ "$(cat /proc/2/comm 2>/dev/null)" = kthreadd ] || skip "PID 2 is not kthreadd here (a PID namespace?)"
"$THREADLENS" dump --json --no-children 2 >"$out" || fail "kernel thread: exit code $?, expected 0"
jq -e '.processes[0].threads[0].stack_error | test("kernel thread")' "$out" >/dev/null \
    || fail "kernel thread: stack_error is $(jq -c '.processes[0].threads[0].stack_error' "$out")"

start_target zombie_parent
zombie=$(awk '/^zombie/ {print $2}' "$TARGET_OUT")
[ -n "$zombie" ] || fail "zombie_parent did not say its zombie's PID"
"$THREADLENS" dump --json "$TARGET_PID" >"$out" || fail "zombie: exit code $?, expected 0"
jq -e --argjson z "$zombie" '.processes[] | select(.pid == $z) | .threads[0].stack_error | test("zombie")' \
    "$out" >/dev/null || fail "zombie: no stack_error saying so"
jq -e --argjson p "$TARGET_PID" '.processes[] | select(.pid == $p) | .threads[0].frames | length > 0' \
    "$out" >/dev/null || fail "the zombie's parent has no stack"

# a dump of our own shell includes threadlens itself: it is skipped, not an error
bash -c '"$THREADLENS" dump --json $$' >"$out" || fail "dump of the parent shell: exit code $?, expected 0"
jq -e '.processes[] | select(.name == "threadlens") | .threads[0].stack_error | test("threadlens itself")' \
    "$out" >/dev/null || fail "threadlens's own process is not marked as skipped"
rm -f "$out"
echo "ok"
