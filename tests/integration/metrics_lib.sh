# Helpers for the metrics tests (sourced after lib.sh; not a test: its name has no test_ prefix).
# Under ASan: the same suppressions as the live view's (ui_lsan.supp says what they are).
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/ui_lsan.supp"

# start_server ERRFILE ARGS...: starts `threadlens metrics ARGS` in the background (SERVER_PID)
# and waits for its "serving http://HOST:PORT/metrics" line; sets SERVER_URL.
start_server() {
    local err=$1 i; shift
    "$THREADLENS" metrics "$@" 2>"$err" &
    SERVER_PID=$!
    TL_PIDS+=("$SERVER_PID")
    for i in $(seq 100); do
        SERVER_URL=$(sed -n 's|^threadlens metrics: serving \(http://.*/metrics\)$|\1|p' "$err")
        [ -n "$SERVER_URL" ] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || fail "threadlens metrics $* exited: $(cat "$err")"
        sleep 0.1
    done
    fail "threadlens metrics $* did not say where it serves within 10 s"
}

# stop_server ERRFILE: SIGTERM, then it must exit 0 within 10 s, without a sanitizer report.
stop_server() {
    local i rc
    kill -TERM "$SERVER_PID"
    for i in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SERVER_PID" 2>/dev/null && fail "threadlens metrics did not stop within 10 s of SIGTERM"
    wait "$SERVER_PID"
    rc=$?
    [ "$rc" -eq 0 ] || fail "threadlens metrics exited $rc after SIGTERM: $(cat "$1")"
    grep -q Sanitizer "$1" && fail "a sanitizer report: $(head -c 2000 "$1")"
    return 0
}

# sample_value FILE SERIES: the value of the one sample named exactly SERIES (name and labels).
sample_value() {
    local n
    n=$(awk -v s="$2 " 'index($0, s) == 1' "$1" | wc -l)
    [ "$n" -eq 1 ] || fail "series $2: $n samples, expected 1"
    awk -v s="$2 " 'index($0, s) == 1 {print $NF}' "$1"
}
