# A process in a frozen cgroup-v1 freezer (every thread in D, in the refrigerator): the dump
# stops none of them (it used to wait forever), returns at once with exit 1, each entry "not
# stopped: in uninterruptible sleep (D) in <wchan>" with its kernel stack, plain and
# --consistent; after a thaw every thread runs and a dump takes every stack again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stacks_lib.sh"
. "$(dirname "$0")/dstate_lib.sh"
. "$(dirname "$0")/frozen_lib.sh"
need jq
[ "$(id -u)" -eq 0 ] || skip "a freezer cgroup needs root"
root=""
for m in $(awk '$3 == "cgroup" && $4 ~ /(^|,)freezer(,|$)/ { print $2 }' /proc/mounts); do root=$m; break; done
mounted=""
if [ -z "$root" ]; then
    mounted=$(mktemp -d)
    mount -t cgroup -o freezer none "$mounted" 2>/dev/null || { rmdir "$mounted"; skip "no cgroup-v1 freezer here and it cannot be mounted (cgroup v2 only?)"; }
    root=$mounted
fi
grp="$root/tl-frozen-v1-$$"
mkdir "$grp" || skip "cannot create a freezer cgroup under $root"
out=$(mktemp)
watch=$(mktemp)
start_target stacks_chain
pid=$TARGET_PID
cleanup() {
    echo THAWED >"$grp/freezer.state" 2>/dev/null
    cleanup_targets
    rmdir "$grp" 2>/dev/null
    [ -n "$mounted" ] && { umount "$mounted"; rmdir "$mounted"; }
}
trap cleanup EXIT
cgroup_move "$pid" "$grp"
echo FROZEN >"$grp/freezer.state"
for i in $(seq 100); do [ "$(cat "$grp/freezer.state")" = FROZEN ] && break; sleep 0.05; done
[ "$(cat "$grp/freezer.state")" = FROZEN ] || fail "the cgroup did not freeze"
[ "$(thread_states "$pid")" = "D D D D D " ] || fail "frozen threads are not all in D: $(thread_states "$pid")"
watch_states "$pid" "$watch"
for mode in "" --consistent; do
    t0=$(ms_now)
    timeout 10 "$THREADLENS" dump --json $mode "$pid" >"$out"
    rc=$?
    [ "$rc" -ne 124 ] || fail "dump $mode of a frozen process did not return within 10 s"
    [ "$rc" -eq 1 ] || fail "dump $mode: exit code $rc, expected 1"
    echo "dump $mode of a v1-frozen process: $(( $(ms_now) - t0 )) ms"
    expect_d_entries "$out" 5
    jq -e '.notes | map(select(test("5 in uninterruptible sleep \\(D\\)"))) | length == 1' "$out" >/dev/null ||
        fail "no one-line note naming the 5 D threads: $(jq -c .notes "$out")"
done
stop_watch "$watch"
[ ! -s "$watch" ] || fail "a frozen thread was seen stopped ($(sort -u "$watch" | head -3))"
[ "$POLLS" -gt 0 ] || fail "the state watcher never polled"
echo THAWED >"$grp/freezer.state"
for i in $(seq 100); do [ "$(cat "$grp/freezer.state")" = THAWED ] && break; sleep 0.05; done
expect_none_stopped "$pid"
sleep 0.2
"$THREADLENS" dump --json "$pid" >"$out" || fail "after the thaw: exit code $?"
expect_chain "$out" chain "chain_wait chain_three chain_two chain_one"
rm -f "$out" "$watch"
echo "ok"
