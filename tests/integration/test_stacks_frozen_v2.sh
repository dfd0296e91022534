# A process in a frozen cgroup v2 (cgroup.freeze = 1: its threads sleep interruptibly in the
# freezer trap, so a ptrace stop is reached): the dump takes every stack, exit 0, within a
# bound; no thread is left stopped, and the process is still frozen afterwards.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stacks_lib.sh"
. "$(dirname "$0")/dstate_lib.sh"
. "$(dirname "$0")/frozen_lib.sh"
need jq
[ "$(id -u)" -eq 0 ] || skip "a cgroup of our own needs root"
root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
[ -n "$root" ] || skip "no cgroup v2 hierarchy is mounted here"
grp="$root/tl-frozen-v2-$$"
mkdir "$grp" 2>/dev/null || skip "cannot create a cgroup under $root"
[ -e "$grp/cgroup.freeze" ] || { rmdir "$grp"; skip "this cgroup v2 has no cgroup.freeze (kernel < 5.2?)"; }
out=$(mktemp)
start_target stacks_chain
pid=$TARGET_PID
cleanup() {
    echo 0 >"$grp/cgroup.freeze" 2>/dev/null
    cleanup_targets
    rmdir "$grp" 2>/dev/null
}
trap cleanup EXIT
cgroup_move "$pid" "$grp" || skip "cannot move a process into $grp (a v1 controller holds it?)"
echo 1 >"$grp/cgroup.freeze"
for i in $(seq 100); do grep -qx 'frozen 1' "$grp/cgroup.events" && break; sleep 0.05; done
grep -qx 'frozen 1' "$grp/cgroup.events" || fail "the cgroup did not freeze"
for mode in "" --consistent; do
    t0=$(ms_now)
    timeout 10 "$THREADLENS" dump --json $mode "$pid" >"$out"
    rc=$?
    [ "$rc" -ne 124 ] || fail "dump $mode of a v2-frozen process did not return within 10 s"
    [ "$rc" -eq 0 ] || fail "dump $mode: exit code $rc, expected 0: $(jq -c .notes "$out")"
    echo "dump $mode of a v2-frozen process: $(( $(ms_now) - t0 )) ms"
    expect_chain "$out" chain "chain_wait chain_three chain_two chain_one"
    expect_none_stopped "$pid"
done
grep -qx 'frozen 1' "$grp/cgroup.events" || fail "the dump thawed the cgroup"
rm -f "$out"
echo "ok"
