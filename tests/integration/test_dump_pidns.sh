# A process in another PID namespace (a container's): the dump shows both PIDs, "Process 4451
# (1 in its namespace)", and JSON "ns_pid"; processes in our own namespace show ns_pid = pid
# and no such note. Its stacks are taken as anyone's.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
need unshare
need jq
[ "$(id -u)" -eq 0 ] || skip "a new PID namespace needs root (unshare -pf)"
out=$(mktemp) err=$(mktemp)
unshare -pf "$TL_TARGETS/named_threads" >"$out" &
outer=$!
TL_PIDS+=("$outer")
for i in $(seq 100); do grep -qx ready "$out" && break; sleep 0.1; done
grep -qx ready "$out" || fail "named_threads did not start in a new PID namespace: $(cat "$out")"
inner=$(tr -d ' \n' <"/proc/$outer/task/$outer/children")
[ -n "$inner" ] || fail "unshare has no child"
grep -q "^NSpid:[[:space:]]*$inner[[:space:]]*1\$" "/proc/$inner/status" || fail "the child is not PID 1 of a new namespace"

dump "$out" "$err" dump "$outer"
expect_rc 0
grep -q "^Process $inner (1 in its namespace) \"tl-named-main\" " "$out" || fail "both PIDs not shown: $(grep '^Process' "$out")"
grep -q "^Process $outer \"unshare\" " "$out" || fail "the process in our namespace got a namespace note: $(grep '^Process' "$out")"
[ "$(grep -c 'in its namespace' "$out")" -eq 1 ] || fail "not exactly one namespace note"
grep -q 'at .*(.*named_threads)' "$out" || fail "no stack frames from the namespaced target"

dump "$out" "$err" dump --json --no-stacks "$outer"
expect_rc 0
[ "$(jq --argjson p "$inner" '.processes[] | select(.pid == $p) | .ns_pid' "$out")" = 1 ] || fail "JSON ns_pid of the child is not 1"
[ "$(jq --argjson p "$outer" '.processes[] | select(.pid == $p) | .ns_pid' "$out")" = "$outer" ] || fail "JSON ns_pid of unshare is not its pid"
kill -9 "$inner" 2>/dev/null
rm -f "$out" "$err"
echo "ok: pid $inner (1 in its namespace) in text and JSON ns_pid"
