# Helpers for the JVM tests (sourced after lib.sh; not a test itself: no test_ prefix).
# start_java [JVM OPTIONS...] -- [ARGS...]: compiles tests/java/ThreadStates.java once into a
# temp dir, starts it and waits for "ready"; sets JAVA_PID and JAVA_OUT.
: "${TL_SOURCE:?run through ctest, or set TL_SOURCE to the source tree}"

need_jdk() {
    command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 ||
        skip "no JDK (java, javac) installed: apt-get install openjdk-17-jdk-headless (make deps)"
}

JAVA_CLASSES=""
compile_java() {
    [ -n "$JAVA_CLASSES" ] && return 0
    JAVA_CLASSES=$(mktemp -d)
    javac -d "$JAVA_CLASSES" "$TL_SOURCE/tests/java/ThreadStates.java" || fail "javac failed on ThreadStates.java"
}

start_java() {
    compile_java
    local opts=() args=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    args=("$@")
    JAVA_OUT=$(mktemp)
    java "${opts[@]}" -cp "$JAVA_CLASSES" ThreadStates "${args[@]}" >"$JAVA_OUT" 2>&1 &
    JAVA_PID=$!
    TL_PIDS+=("$JAVA_PID")
    local i
    for i in $(seq 300); do
        grep -qx ready "$JAVA_OUT" && return 0
        kill -0 "$JAVA_PID" 2>/dev/null || fail "java exited before it was ready: $(head -c 500 "$JAVA_OUT")"
        sleep 0.1
    done
    fail "the Java target did not print ready within 30 s"
}

# Attach sockets and perf data files to remove at exit: a JVM killed with SIGKILL cannot
# remove its own (JAVA_LEFTOVERS: more paths, named after the JVM's PID in its namespace).
JAVA_LEFTOVERS=()
cleanup_java() {
    local p f
    cleanup_targets
    for p in "${TL_PIDS[@]}"; do JAVA_LEFTOVERS+=("/tmp/.java_pid$p" "/tmp/hsperfdata_$(id -un)/$p"); done
    for f in "${JAVA_LEFTOVERS[@]}"; do [ -S "$f" ] || [ -f "$f" ] && rm -f "$f"; done
    [ -n "$JAVA_CLASSES" ] && rm -rf "$JAVA_CLASSES"
    rm -f "${JAVA_OUT:-}"
}
trap cleanup_java EXIT
