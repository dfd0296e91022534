# Shared helpers for integration tests (sourced, not a test: its name has no test_ prefix).
set -u
: "${THREADLENS:?run through ctest, or set THREADLENS to the binary}"
: "${TL_TARGETS:?run through ctest, or set TL_TARGETS to build/targets}"

TL_PIDS=()
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
need() { command -v "$1" >/dev/null 2>&1 || skip "$1 is not installed (make deps installs it)"; }
# is_our_child PID: PID is still a child of this test's shell. pid_max may be as low as 32768
# and thousands of threads a second are created here, so a PID kept from earlier may name
# another test's process by now: never kill a PID on the strength of a number alone.
is_our_child() {
    local st
    st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    st=${st##*) }
    set -- $st
    [ "${2:-}" = "$$" ]
}
cleanup_targets() {
    local p
    for p in "${TL_PIDS[@]}"; do is_our_child "$p" && kill -9 "$p" 2>/dev/null; done
    wait 2>/dev/null
}
trap cleanup_targets EXIT

# start_target NAME [ARGS...]: starts a target that prints "ready" on stdout once set up;
# sets TARGET_PID and TARGET_OUT (its stdout file). Fails after 10 s without "ready".
start_target() {
    local name=$1; shift
    TARGET_OUT=$(mktemp)
    "$TL_TARGETS/$name" "$@" >"$TARGET_OUT" &
    TARGET_PID=$!
    TL_PIDS+=("$TARGET_PID")
    local i
    for i in $(seq 100); do
        grep -qx ready "$TARGET_OUT" && return 0
        kill -0 "$TARGET_PID" 2>/dev/null || fail "$name exited before it was ready"
        sleep 0.1
    done
    fail "$name did not print ready within 10 s"
}

# threads_stopped PID: prints the stat lines of PID's threads in state t or T (one awk over all
# of them: 2000 threads must not mean 2000 processes). The state follows the last ") ".
threads_stopped() {
    cat /proc/"$1"/task/*/stat 2>/dev/null |
        awk '{ s = $0; sub(/.*\) /, "", s); if (s ~ /^[tT] /) print }'
}
