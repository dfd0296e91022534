# Issue 6: valgrind memcheck finds no error and no leak in threadlens dumping real targets
# (text, JSON, no stacks, consistent), the demo included.
source "$(dirname "$0")/lib.sh"
need valgrind
if grep -q __asan_init "$THREADLENS" 2>/dev/null; then
    skip "this is the ASan build: valgrind cannot run ASan binaries (the plain build runs this test)"
fi
vg() {
    valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect --track-fds=no "$@"
}
start_target crowd 20
pid=$TARGET_PID
for args in "dump $pid" "dump --json $pid" "dump --no-stacks $pid" "dump --consistent --stats $pid" \
            "dump --json --max-frames 3 $pid" "demo --dump" "dump 999999999" "dump --bogus"; do
    # shellcheck disable=SC2086
    vg "$THREADLENS" $args >/dev/null 2>"$TARGET_OUT.vg"; rc=$?
    [ "$rc" -ne 99 ] || { cat "$TARGET_OUT.vg" >&2; fail "valgrind reports errors for: threadlens $args"; }
    [ -z "$(threads_stopped "$pid")" ] || fail "threads left stopped after: $args"
done
echo "ok: memcheck clean (errors and definite/indirect leaks) on 8 invocations"
