# Helpers of the tests on real programs (Python, Node, a JVM): sourced after lib.sh.

# start_program CMD ARGS...: like start_target, for any program that prints "ready" (sets
# TARGET_PID and TARGET_OUT). Fails after 30 s without "ready" (a JVM starts slowly under load).
start_program() {
    TARGET_OUT=$(mktemp)
    "$@" >"$TARGET_OUT" &
    TARGET_PID=$!
    TL_PIDS+=("$TARGET_PID")
    local i
    for i in $(seq 300); do
        grep -qx ready "$TARGET_OUT" && return 0
        kill -0 "$TARGET_PID" 2>/dev/null || fail "$1 exited before it was ready: $(cat "$TARGET_OUT")"
        sleep 0.1
    done
    fail "$* did not print ready within 30 s"
}

# dump_rc ARGS...: the exit code of threadlens dump ARGS (its output thrown away).
dump_rc() {
    local rc=0
    "$THREADLENS" dump "$@" >/dev/null 2>&1 || rc=$?
    echo "$rc"
}
