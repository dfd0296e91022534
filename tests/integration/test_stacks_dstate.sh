# Threads in uninterruptible sleep (D) are never stopped with ptrace (they could not reach the
# stop until the kernel wakes them: a dump used to wait forever): a vfork parent, and every
# thread of a process reading a FUSE file whose daemon is stopped. Each dump returns at once
# with exit 1, a one-line note, each D thread's entry "not stopped: in uninterruptible sleep
# (D) in <wchan>" and (root) its kernel stack; no thread of the target is ever in t/T (polled
# while the dumps run); plain, --consistent, text and JSON. Those dumps take every thread with
# a stop (THREADLENS_NO_ZERO_STOP=1); by default (zero-stop capture, issue 15) a D thread whose
# stack unwinds from SP and PC alone gets its user stack too, still never stopped, and keeps its
# kernel frames: the FUSE readers do; the vfork parent (glibc's vfork keeps its return address
# in a register) falls back, counted as "register".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stacks_lib.sh"
. "$(dirname "$0")/dstate_lib.sh"
need jq
out=$(mktemp)
watch=$(mktemp)

# dump_bounded ARGS...: the dump must end within 10 s (it used to hang for good); exit 1.
# EXPECT_RC (default 1) is the exit code wanted; ZS=1 lets it take threads without a stop.
dump_bounded() {
    local t0 rc
    t0=$(ms_now)
    if [ "${ZS:-0}" = 1 ]; then
        timeout 10 "$THREADLENS" dump "$@" >"$out" 2>/dev/null
    else
        THREADLENS_NO_ZERO_STOP=1 timeout 10 "$THREADLENS" dump "$@" >"$out" 2>/dev/null
    fi
    rc=$?
    [ "$rc" -ne 124 ] || fail "dump $* did not return within 10 s"
    [ "$rc" -eq "${EXPECT_RC:-1}" ] || fail "dump $*: exit code $rc, expected ${EXPECT_RC:-1}"
    echo "dump $* (zero-stop ${ZS:-0}): $(( $(ms_now) - t0 )) ms"
}

# expect_d_user_stacks JSON N FUNCTION: N threads in D carry a user stack holding FUNCTION, no
# stack_error, were not stopped, and (root) keep their kernel frames.
expect_d_user_stacks() {
    local got
    got=$(jq --arg f "$3" '[.processes[0].threads[] | select(.state == "D" and .stack_error == null and
              ([.frames[].function] | index($f)) != null and (.stall.stopped | not))] | length' "$1")
    [ "$got" -eq "$2" ] || fail "$got D threads (expected $2) have a user stack with $3: $(jq -c '[.processes[0].threads[] | {name, state, stack_error, f: [.frames[].function]}]' "$1")"
    if [ "$(id -u)" -eq 0 ]; then
        got=$(jq '[.processes[0].threads[] | select(.state == "D" and .stack_error == null and (.kernel_frames | length) > 0)] | length' "$1")
        [ "$got" -eq "$2" ] || fail "$got of $2 D threads with user stacks kept kernel_frames"
    fi
}

# --- a vfork parent: main thread in D (wait_for_vfork_done), a second thread stoppable ---
start_target vfork_parent
pid=$TARGET_PID
watch_states "$pid" "$watch" "$pid"   # the D thread: the other one is stopped for µs, legitimately
dump_bounded --json --no-children "$pid"
expect_d_entries "$out" 1
jq -e '.processes[0].threads[] | select(.name == "vf-other") | [.frames[].function] | index("vf_park")' "$out" >/dev/null ||
    fail "vfork: the stoppable thread lost its stack"
jq -e '.notes | map(select(test("in uninterruptible sleep \\(D\\)"))) | length == 1' "$out" >/dev/null ||
    fail "vfork: no one-line note about the D thread: $(jq -c .notes "$out")"
dump_bounded --json --no-children --consistent "$pid"
expect_d_entries "$out" 1
jq -e '.processes[0].threads[] | select(.name == "vf-other") | [.frames[].function] | index("vf_park")' "$out" >/dev/null ||
    fail "vfork --consistent: the stoppable thread lost its stack"
ZS=1 dump_bounded --json --stats --no-children "$pid"
expect_d_entries "$out" 1
[ "$(jq '.stall.fallbacks.register' "$out")" -ge 1 ] || fail "vfork: the parent's fallback is not counted as register: $(jq -c .stall "$out")"
dump_bounded --no-children "$pid"
grep -q '^   stack unavailable: not stopped: in uninterruptible sleep (D) in ' "$out" || fail "vfork: text has no D line"
if [ "$(id -u)" -eq 0 ]; then
    grep -A1 '^   kernel:$' "$out" | grep -qP '^\tin [A-Za-z_][A-Za-z0-9_.]*\+0x' || fail "vfork: text has no kernel frames"
fi
stop_watch "$watch"
[ ! -s "$watch" ] || fail "vfork: the D thread was seen stopped ($(sort -u "$watch" | head -3))"
[ "$POLLS" -gt 0 ] || fail "the state watcher never polled"
expect_none_stopped "$pid"
kill -9 "$pid"

# --- every thread of a process in D: a FUSE file whose daemon is stopped ---
[ -e /dev/fuse ] || skip "/dev/fuse is not available here (FUSE case); the vfork case passed"
mnt=$(mktemp -d)
"$TL_TARGETS/hang_fuse" "$mnt" >"$out.target" &
fpid=$!
TL_PIDS+=("$fpid")
# The stopped daemon goes first: a reader killed while its daemon is stopped flushes its FUSE
# file on exit and waits in D for the daemon forever (and this script with it).
unmount() { pkill -KILL -P "$fpid" 2>/dev/null; kill -9 "$fpid" 2>/dev/null; wait "$fpid" 2>/dev/null; fusermount3 -u -z "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null; rmdir "$mnt" 2>/dev/null; }
trap 'unmount; cleanup_targets' EXIT
for i in $(seq 100); do grep -qx ready "$out.target" && break; kill -0 "$fpid" 2>/dev/null || break; sleep 0.1; done
if ! grep -qx ready "$out.target"; then
    wait "$fpid"; rc=$?
    [ "$rc" -eq 77 ] && skip "FUSE case: $(grep SKIP "$out.target")"
    fail "hang_fuse did not get ready (exit $rc): $(cat "$out.target")"
fi
for i in $(seq 100); do
    [ "$(awk '{ s = $0; sub(/.*\) /, "", s); if (substr(s, 1, 1) == "D") n++ } END { print n + 0 }' /proc/"$fpid"/task/*/stat)" -eq 4 ] && break
    sleep 0.05
done
watch_states "$fpid" "$watch"
dump_bounded --json --no-children "$fpid"
expect_d_entries "$out" 4
dump_bounded --json --no-children --consistent "$fpid"
expect_d_entries "$out" 4
# every reader gets its user stack without a stop. The ASan build's targets read through ASan's
# pread interceptor, whose caller's frame is found from RBP, a register the syscall file does not
# give and libc's pread does not save: there each reader falls back, counted as "register", and
# says D as above; the counts must add up.
zs_rc=0
timeout 10 "$THREADLENS" dump --json --stats --no-children "$fpid" >"$out" 2>/dev/null || zs_rc=$?
[ "$zs_rc" -le 1 ] || fail "FUSE zero-stop dump: exit code $zs_rc"
zs_n=$(jq '.stall.threads_not_stopped' "$out")
zs_reg=$(jq '.stall.fallbacks.register' "$out")
if nm -D "$TL_TARGETS/hang_fuse" 2>/dev/null | grep -q ' __asan_init'; then
    [ $((zs_n + zs_reg)) -eq 4 ] || fail "FUSE (ASan target): $zs_n taken without a stop + $zs_reg register fallbacks != 4: $(jq -c .stall "$out")"
else
    [ "$zs_n" -eq 4 ] || fail "FUSE: $zs_n of 4 D threads taken without a stop: $(jq -c .stall "$out")"
fi
expect_d_user_stacks "$out" "$zs_n" hf_read_page
[ "$(jq '[.processes[0].threads[] | select(.stack_error // "" | startswith("not stopped: in uninterruptible sleep (D) in "))] | length' "$out")" -eq $((4 - zs_n)) ] ||
    fail "FUSE: $zs_n taken without a stop, the others do not all say D"
[ "$zs_n" -lt 4 ] || [ "$zs_rc" -eq 0 ] || fail "FUSE: every stack taken, yet exit code $zs_rc"
echo "FUSE: $zs_n of 4 D threads taken without a stop (exit $zs_rc)"
dump_bounded --no-children "$fpid"
[ "$(grep -c '^   stack unavailable: not stopped: in uninterruptible sleep (D) in ' "$out")" -eq 4 ] || fail "FUSE: text lacks the 4 D lines"
if [ "$(id -u)" -eq 0 ]; then
    [ "$(grep -c '^   kernel:$' "$out")" -eq 4 ] || fail "FUSE: text lacks the 4 kernel blocks"
fi
stop_watch "$watch"
[ ! -s "$watch" ] || fail "FUSE: a thread was seen stopped ($(sort -u "$watch" | head -3))"
[ "$POLLS" -gt 0 ] || fail "the state watcher never polled"
echo "FUSE: $POLLS state polls while the dumps ran, none stopped"
expect_none_stopped "$fpid"
rm -f "$out" "$out.target" "$watch"
echo "ok"
