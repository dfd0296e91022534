# A JIT in a container (issue 14, item 6): its perf map is /tmp/perf-NSPID.map in its own
# mount namespace, named by its PID in its PID namespace. threadlens reads that one through
# /proc/PID/root; a map planted on the host under the host PID is not it.
source "$(dirname "$0")/lib.sh"
need jq
[ "$(id -u)" = 0 ] || skip "needs root (PID and mount namespaces)"
unshare -pmf --mount-proc true 2>/dev/null || skip "cannot make PID and mount namespaces here"
out=$(mktemp)
# the program is opened before the namespace's own /tmp hides it (a checkout under /tmp, as CI's)
unshare -pmf --kill-child --mount-proc sh -c 'exec 3<"$0" && mount -t tmpfs tl-tmp /tmp && exec /proc/self/fd/3' \
    "$TL_TARGETS/jit_anon" >"$out" &
NS_PID=$!; TL_PIDS+=("$NS_PID")
for i in $(seq 100); do grep -qx ready "$out" && break; sleep 0.1; done
grep -qx ready "$out" || fail "jit_anon in namespaces did not get ready: $(cat "$out")"
pid=$(cat /proc/$NS_PID/task/*/children | awk '{print $1; exit}')
[ -n "$pid" ] || fail "no child of unshare"
nspid=$(awk '/^NSpid:/ { print $NF }' "/proc/$pid/status")
[ "$nspid" != "$pid" ] || fail "the target is not in a PID namespace of its own (NSpid $nspid)"
code=$(sed -n 's/^code=\(0x[0-9a-f]*\) size=.*/\1/p' "$out")
size=$(sed -n 's/^code=.* size=\([0-9]*\)$/\1/p' "$out")
host_map=/tmp/perf-$pid.map
# the target is PID 1 of its namespace: it dies with unshare (--kill-child), killed here too
kill_ns() {
    local ppid
    ppid=$(awk '{ s = $0; sub(/.*\) /, "", s); split(s, a, " "); print a[2] }' "/proc/$pid/stat" 2>/dev/null)
    [ "$ppid" = "$NS_PID" ] && kill -9 "$pid" 2>/dev/null
    rm -f "$host_map" "$out"
    cleanup_targets
}
trap kill_ns EXIT
printf '%x %x jit_in_container\n' "$code" "$size" >"/proc/$pid/root/tmp/perf-$nspid.map"
printf '%x %x jit_host_wrong\n' "$code" "$size" >"$host_map"
json=$(timeout 20 "$THREADLENS" dump --json --no-children "$pid") || fail "dump failed (rc $?)"
names=$(jq -r '[.processes[0].threads[].frames[]? | select(.module == "[perf-map]") | .function] | unique | join(",")' <<<"$json")
[ "$names" = "jit_in_container" ] || fail "frames named '$names' (expected jit_in_container, from the container's own /tmp)"
echo "ok: pid $pid (nspid $nspid): named from its own /tmp/perf-$nspid.map, not the host's /tmp/perf-$pid.map"
