# Issue 6: threads created and destroyed at a high rate during the dump, a process exiting
# mid-dump, and exec during the dump: a correct (possibly partial) dump, exit 0 or 1, never a
# crash, valid JSON, and the steady threads always present.
source "$(dirname "$0")/lib.sh"
need jq
start_target churn
pid=$TARGET_PID
for i in $(seq 20); do
    out=$("$THREADLENS" dump --json "$pid" 2>/dev/null); rc=$?
    [ "$rc" -le 1 ] || fail "churn dump $i exited $rc"
    steady=$(jq '[.processes[0].threads[] | select(.name == "steady")] | length' <<<"$out") \
        || fail "churn dump $i: invalid JSON"
    [ "$steady" -eq 20 ] || fail "churn dump $i: $steady of 20 steady threads"
done
# a process that exits while being read: a crowd that is killed at a random moment
for i in $(seq 10); do
    start_target crowd 500
    victim=$TARGET_PID
    "$THREADLENS" dump --json "$victim" >"$TARGET_OUT.dump" 2>/dev/null &
    tl=$!
    sleep "0.0$((RANDOM % 10))"
    kill -9 "$victim"
    wait "$tl"; rc=$?
    [ "$rc" -le 2 ] || fail "dump of an exiting process exited $rc (crash?)"
    [ "$rc" -eq 2 ] || jq -e . "$TARGET_OUT.dump" >/dev/null || fail "dump of an exiting process: invalid JSON"
done
# exec during the dump: the process image changes under us
for i in $(seq 10); do
    bash -c 'sleep 0.0'$((RANDOM % 5))'; exec sleep 5' &
    victim=$!
    TL_PIDS+=("$victim")
    "$THREADLENS" dump --json "$victim" >/dev/null 2>&1; rc=$?
    [ "$rc" -le 2 ] || fail "dump during exec exited $rc (crash?)"
done
echo "ok: churn x20, exit mid-dump x10, exec mid-dump x10"
