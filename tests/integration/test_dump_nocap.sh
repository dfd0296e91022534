# Root without CAP_SYS_PTRACE (what a container gets by default; here through setpriv, which
# drops it from the bounding and inheritable sets): the dump still shows every thread's
# counters, exit 1, and its notes and stack errors name the missing capability and the option
# that adds it (--cap-add SYS_PTRACE) and what Yama's kernel.yama.ptrace_scope says.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
need setpriv
need jq
[ "$(id -u)" -eq 0 ] || skip "dropping CAP_SYS_PTRACE from root needs root"
start_target named_threads
out=$(mktemp) err=$(mktemp)
# `dump` runs $THREADLENS ARGS: point it at setpriv for this test
THREADLENS_REAL=$THREADLENS
THREADLENS=setpriv
nocap() {
    dump "$out" "$err" --bounding-set=-sys_ptrace --inh-caps=-sys_ptrace "$THREADLENS_REAL" "$@"
}
nocap dump "$TARGET_PID"
expect_rc 1
n=$(tids "$TARGET_PID" | wc -l)
[ "$(grep -c ' tid=' "$out")" -eq "$n" ] || fail "not every thread's counters shown without the capability"
[ "$(grep -c 'stack unavailable: .*without the CAP_SYS_PTRACE capability.*--cap-add SYS_PTRACE' "$out")" -eq "$n" ] \
    || fail "the stack errors do not name the capability and --cap-add SYS_PTRACE: $(grep -m1 'stack unavailable' "$out")"
if [ -r /proc/sys/kernel/yama/ptrace_scope ]; then
    grep -q "kernel.yama.ptrace_scope is $(cat /proc/sys/kernel/yama/ptrace_scope)" "$out" || fail "Yama's scope not named"
else
    grep -q 'no Yama here, so kernel.yama.ptrace_scope is not the cause' "$out" || fail "kernel.yama.ptrace_scope not named"
fi
grep -q '^note: cannot see what the threads .*CAP_SYS_PTRACE' "$out" || fail "the waits note does not name the capability"
nocap dump --json "$TARGET_PID"
expect_rc 1
jq -e '[.processes[0].threads[].stack_error | test("CAP_SYS_PTRACE")] | all' "$out" >/dev/null \
    || fail "JSON stack_error does not name the capability"
# with the capability (plain root) the hint is not given
THREADLENS=$THREADLENS_REAL
dump "$out" "$err" dump "$TARGET_PID"
expect_rc 0
grep -q CAP_SYS_PTRACE "$out" && fail "a capability hint although nothing was refused"
rm -f "$out" "$err"
echo "ok: without CAP_SYS_PTRACE: $n threads' counters, every stack error names the capability and --cap-add SYS_PTRACE"
