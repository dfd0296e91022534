# A TID reused between a dump's listing and its capture: tid_recycler gives one TID to thread
# after thread ("rc-even" in recycle_even, "rc-odd" in recycle_odd, 11 ms each) through
# ns_last_pid. A dump must never show one thread's name with the other's stack: the stack of a
# thread whose start time changed since the listing is dropped with its reason.
# It runs in a PID namespace of its own (and a /proc of that namespace): there ns_last_pid steers
# only its own processes' PIDs, never those of tests running alongside (which would otherwise
# get the recycled PID, or see their stale PIDs reused within milliseconds).
source "$(dirname "$0")/lib.sh"
if [ -z "${TL_IN_OWN_PIDNS:-}" ]; then
    need unshare
    unshare --pid --fork --mount-proc true 2>/dev/null || skip "cannot make a PID namespace here (unshare --pid): needs root"
    TL_IN_OWN_PIDNS=1 exec unshare --pid --fork --mount-proc bash "$0" "$@"
fi
source "$(dirname "$0")/waits_lib.sh"
need jq
[ -w /proc/sys/kernel/ns_last_pid ] || skip "choosing TIDs needs root (ns_last_pid): TID reuse cannot be made here"
start_target tid_recycler
tid=$(field tid)
mismatch=0 reused=0 shown=0 missing=0
for i in $(seq 150); do
    rc=0
    json=$("$THREADLENS" dump --json "$TARGET_PID") || rc=$?
    [ "$rc" -le 1 ] || fail "dump $i exited $rc"
    line=$(jq -r --argjson t "$tid" '[.processes[].threads[] | select(.tid == $t)][0] |
        if . == null then "none" else "\(.name) \([.frames[]?.function // empty] | map(select(startswith("recycle_"))) | join(",")) \(.stack_error // "")" end' <<<"$json")
    case "$line" in
        none) missing=$((missing + 1)) ;;
        "rc-even recycle_odd"* | "rc-odd recycle_even"*) mismatch=$((mismatch + 1)); echo "dump $i: $line" >&2 ;;
        "rc-even recycle_even"* | "rc-odd recycle_odd"*) shown=$((shown + 1)) ;;
        *"TID was reused"*) reused=$((reused + 1)) ;;
    esac
done
echo "150 dumps: $shown stacks shown, $reused dropped as a reused TID, $missing without the thread, $mismatch mismatched"
[ "$mismatch" -eq 0 ] || fail "$mismatch dumps showed one thread's name with another's stack"
[ "$shown" -gt 0 ] || fail "no dump showed the recycled thread's stack (recycle_even or recycle_odd)"
[ "$reused" -gt 0 ] || skip "in 150 dumps the TID was never reused between listing and capture: the guard was not exercised"
kill -0 "$TARGET_PID" || fail "the target died"
[ -z "$(threads_stopped "$TARGET_PID")" ] || fail "threads of the target left stopped"
echo "ok: the reused TID never got another thread's stack"
