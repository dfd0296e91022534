# Stacks of idle threads of real programs against gdb's (issue 14): Python 3 threads waiting on
# an Event, a queue and in sleep; Node with worker threads; redis-server with its bio and I/O
# threads. The function names of the first 8
# frames agree with `gdb -batch` (>= 95 %; gdb_lib.sh says what is normalised and where gdb
# is the one that is wrong), and no frame of theirs is a guess (their code has CFI).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/real_lib.sh"
. "$(dirname "$0")/gdb_lib.sh"
need jq
need gdb

check_program() {
    local label=$1 out rc=0 g busy
    shift
    start_program "$@"
    sleep 0.5   # Node starts its workers after "ready"
    out=$(mktemp)
    "$THREADLENS" dump --json "$TARGET_PID" >"$out" || rc=$?
    [ "$rc" -eq 0 ] || fail "$label: dump exit code $rc, expected 0"
    g=$(jq '[.processes[0].threads[].frames[] | select(.guessed)] | length' "$out")
    [ "$g" -eq 0 ] || fail "$label: $g frames guessed in code that has CFI"
    # an idle program's threads still wake now and then (redis's serverCron): a thread our dump
    # caught running user code is not idle, and gdb, a moment later, sees it elsewhere
    busy=$(jq -r '[.processes[0].threads[] | select(.state == "R" or .syscall.running == true) | .tid] | join(" ")' "$out")
    [ -z "$busy" ] || echo "$label: not compared, running when dumped: $busy"
    expect_gdb_agreement "$out" "$TARGET_PID" "$label" 95 "$busy"
    rm -f "$GDB_NAMES_FILE" "$out"
    kill -9 "$TARGET_PID"
}

PY=/usr/bin/python3
[ -x "$PY" ] || skip "Debian's python3 is not installed (make deps installs it)"
check_program python3 "$PY" "$TL_SOURCE/tests/real/py_idle.py"
NODE=$(command -v node || command -v nodejs || true)
[ -n "$NODE" ] || skip "node is not installed (make deps installs nodejs); python3 passed"
check_program node "$NODE" "$TL_SOURCE/tests/real/node_workers.js" 4
command -v redis-server >/dev/null || skip "redis-server is not installed (make deps installs it); python3 and node passed"
check_program redis "$TL_SOURCE/tests/real/redis_idle.sh"
echo "ok"
