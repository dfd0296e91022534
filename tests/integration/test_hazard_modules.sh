# Module files a hostile target planted (issue 12, items 4, 9, 10). The symbols of a mapped
# library are read from the mapped inode itself (/proc/PID/map_files), never from its path:
#  - deleted, its "(deleted)" path replaced by a FIFO: no open blocks, the frames keep the
#    library's names;
#  - deleted, "libevil.so (deleted)" planted as a link to /etc/shadow: never opened;
#  - a "container" (own mount namespace) whose library path is, on the host, another library
#    (evil_park): the frames name the container's function (container_only_park), then the
#    same with a FIFO bind-mounted over that path inside the namespace;
#  - as a user (map_files needs root): the path resolved inside the target's root and checked
#    against the mapping's device and inode; the FIFO is refused without blocking, with a note
#    and exit 1 (the frames are there, unnamed).
# Each dump returns within a bound, holds no thread, and strace shows no descriptor to a
# non-regular file and no open of a planted path.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stacks_lib.sh"
. "$(dirname "$0")/hazard_lib.sh"
need jq
need strace
need unshare
need nsenter
need setpriv
[ "$(id -u)" -eq 0 ] || skip "needs root (mount namespaces, map_files)"
container_lib=$TL_TARGETS/libpark_container.so
host_lib=$TL_TARGETS/libpark_host.so
[ -f "$container_lib" ] && [ -f "$host_lib" ] || fail "the park libraries were not built"
dir=$(mktemp -d /tmp/tl_modules.XXXXXX)
chmod 755 "$dir"
out=$(mktemp)
trace=$(mktemp)
cleanup() { cleanup_targets; rm -rf "$dir"; rm -f "$out" "$out.err" "$trace"; }
trap cleanup EXIT

# start_user OUT ARGS...: starts ARGS (a command ending in module_user LIB) in the background,
# waits for its "ready"; sets TARGET_PID.
start_user() {
    local o=$1; shift
    : >"$o"
    "$@" >"$o" 2>&1 &
    TARGET_PID=$!
    TL_PIDS+=("$TARGET_PID")
    local i
    for i in $(seq 100); do grep -qx ready "$o" && return 0; sleep 0.1; done
    fail "module_user did not get ready: $(cat "$o")"
}

# expect_park JSON PID FUNCTION: the "parked" thread of process PID runs FUNCTION under park().
expect_park() {
    local got
    got=$(jq -r --argjson p "$2" '.processes[] | select(.pid == $p) | .threads[] | select(.name == "parked")
        | [.frames[] | .function // "?"] | join(" ")' "$1")
    case " $got " in *" pause $3 park parker "*) ;; *) fail "process $2: expected pause $3 park parker, got: $got" ;; esac
}

# traced_dump PIDS COMMAND...: a bounded dump (under strace: LeakSanitizer cannot run traced,
# so an ASan build checks leaks in the other tests only); no thread held, none left stopped.
traced_dump() {
    local pids=$1; shift
    bounded_run 30 "$out" env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$@"
    local p
    for p in $pids; do expect_none_stopped "$p"; done
    [ "$HELD" -eq 0 ] || fail "$*: a thread was seen held stopped"
}

# 1. deleted libraries: the "(deleted)" path a FIFO, and a link to /etc/shadow
cp "$container_lib" "$dir/libpark.so"
cp "$container_lib" "$dir/libevil.so"
start_user "$dir/fifo.out" "$TL_TARGETS/module_user" "$dir/libpark.so"
fifo_pid=$TARGET_PID
start_user "$dir/evil.out" "$TL_TARGETS/module_user" "$dir/libevil.so"
evil_pid=$TARGET_PID
rm "$dir/libpark.so" "$dir/libevil.so"
mkfifo "$dir/libpark.so (deleted)"
ln -s /etc/shadow "$dir/libevil.so (deleted)"
grep -q "libpark.so (deleted)" "/proc/$fifo_pid/maps" || fail "the kernel does not show the library as deleted"
TARGET_PID=$fifo_pid
traced_dump "$fifo_pid $evil_pid" strace -f -y -e trace=open,openat,openat2 -o "$trace" "$THREADLENS" dump --json "$fifo_pid" "$evil_pid"
[ "$DUMP_RC" -eq 0 ] || fail "deleted libraries: exit code $DUMP_RC: $(cat "$out.err")"
expect_park "$out" "$fifo_pid" container_only_park
expect_park "$out" "$evil_pid" container_only_park
jq -e --argjson p "$evil_pid" '[.processes[] | select(.pid == $p) | .threads[].frames[] | select(.function == "container_only_park")
    | .module | endswith("/libevil.so (deleted)")] | length == 1 and all' "$out" >/dev/null ||
    fail "the module is not named as the target maps it"
strace_clean "$trace" "name:$dir/libpark.so (deleted)" "name:$dir/libevil.so (deleted)" fd:/etc/shadow \
    "fd:$dir/libpark.so (deleted)"
echo "deleted + FIFO, deleted + link to /etc/shadow: ${DUMP_MS} ms (under strace)"
kill -9 "$fifo_pid" "$evil_pid"
wait "$fifo_pid" "$evil_pid" 2>/dev/null

# 2. a container: its own mount namespace, where the path holds another file than the host's
mkdir "$dir/ns"
cp "$host_lib" "$dir/ns/libpark.so"
start_user "$dir/ns.out" unshare -m --propagation private sh -c \
    'mount -t tmpfs tl_ns "$1" && cp "$2" "$1/libpark.so" && exec "$3" "$1/libpark.so"' sh \
    "$dir/ns" "$container_lib" "$TL_TARGETS/module_user"
ns_pid=$TARGET_PID
traced_dump "$ns_pid" strace -f -y -e trace=open,openat,openat2 -o "$trace" "$THREADLENS" dump --json "$ns_pid"
[ "$DUMP_RC" -eq 0 ] || fail "container: exit code $DUMP_RC: $(cat "$out.err")"
expect_park "$out" "$ns_pid" container_only_park
grep -q evil_park "$out" && fail "container: frames named from the host's file (evil_park)"
strace_clean "$trace" "name:$dir/ns/libpark.so"
echo "container, host file differs: ${DUMP_MS} ms"
# now a FIFO mounted over the library's path inside the container
nsenter -t "$ns_pid" -m sh -c 'mkfifo "$1/fifo" && mount --bind "$1/fifo" "$1/libpark.so"' sh "$dir/ns" ||
    fail "could not mount a FIFO over the path in the target's namespace"
[ -p "/proc/$ns_pid/root$dir/ns/libpark.so" ] || fail "the target's path is not a FIFO now"
traced_dump "$ns_pid" strace -f -y -e trace=open,openat,openat2 -o "$trace" "$THREADLENS" dump --json "$ns_pid"
[ "$DUMP_RC" -eq 0 ] || fail "container + FIFO: exit code $DUMP_RC: $(cat "$out.err")"
expect_park "$out" "$ns_pid" container_only_park
strace_clean "$trace" "name:$dir/ns/libpark.so" "fd:$dir/ns/fifo"
echo "container, FIFO over the path: ${DUMP_MS} ms"
kill -9 "$ns_pid"
wait "$ns_pid" 2>/dev/null

# 3. as a user: no map_files; the path inside the target's root, checked against the mapping
as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
mkdir "$dir/ns2"
start_user "$dir/ns2.out" unshare -m --propagation private sh -c \
    'mount -t tmpfs -o mode=1777 tl_ns "$1" && cp "$2" "$1/libpark.so" && exec "$4" --reuid=65534 --regid=65534 --clear-groups "$3" "$1/libpark.so"' sh \
    "$dir/ns2" "$container_lib" "$TL_TARGETS/module_user" "$(command -v setpriv)"
user_pid=$TARGET_PID
bounded_run 30 "$out" "${as_nobody[@]}" "$THREADLENS" dump --json "$user_pid"
[ "$DUMP_RC" -eq 0 ] || fail "as a user, in the target's root: exit code $DUMP_RC: $(cat "$out.err")"
expect_park "$out" "$user_pid" container_only_park
grep -q evil_park "$out" && fail "as a user: frames named from the host's file"
nsenter -t "$user_pid" -m sh -c 'mkfifo "$1/fifo" && mount --bind "$1/fifo" "$1/libpark.so"' sh "$dir/ns2" ||
    fail "could not mount a FIFO over the path in the user target's namespace"
TARGET_PID=$user_pid
chmod 666 "$trace"
traced_dump "$user_pid" "${as_nobody[@]}" strace -f -y -e trace=open,openat,openat2 -o "$trace" "$THREADLENS" dump --json "$user_pid"
[ "$DUMP_RC" -eq 1 ] || fail "as a user, FIFO over the path: exit code $DUMP_RC, expected 1 (partial): $(cat "$out.err")"
jq -e --argjson p "$user_pid" --arg f "$dir/ns2/libpark.so" '[.notes[] | select(startswith("process \($p): module file \($f): not the file that is mapped"))]
    | length == 1' "$out" >/dev/null || fail "as a user, FIFO over the path: no one-line note for the refused file: $(jq -c .notes "$out")"
grep -q "openat2(.*libpark.so.*O_PATH" "$trace" || fail "as a user: the path was not resolved in the target's root (openat2)"
jq -e --argjson p "$user_pid" '.processes[] | select(.pid == $p) | .threads[] | select(.name == "parked")
    | [.frames[] | select(.module != null and (.module | endswith("/libpark.so")))] | length == 2 and all(.function == null)' \
    "$out" >/dev/null || fail "as a user, FIFO over the path: the library's frames should be unnamed (its file refused)"
strace_clean "$trace" "fd:$dir/ns2/fifo"
echo "as a user, FIFO over the path: ${DUMP_MS} ms (under strace)"
echo "ok"
