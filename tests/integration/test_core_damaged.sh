# dump --core on cores that are not whole or not where they were: a kernel core cut short
# (ulimit -c) says it is truncated and still gives the threads and waits its notes and memory
# hold; an executable moved after the core was taken loses its names until --exe gives it back,
# and an --exe of another build is refused by its build ID; zstd, lz4 and xz cores (as
# systemd-coredump keeps them) give the plain core's dump; a core of another architecture, a
# file that is no core, a FIFO and a cut compressed core (and a FIFO where the core names a
# module never hangs the dump) fail with exit 2 and say why.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/waits_lib.sh"
source "$(dirname "$0")/core_lib.sh"
need jq
need gcore
need zstd
need lz4
need xz

dump_rc() {   # dump_rc CORE [OPTIONS...]: the exit code in $rc, the output in $CORE_OUT
    local core=$1
    shift
    rc=0
    CORE_OUT=$(timeout 60 "$THREADLENS" dump "$@" --core "$core" 2>&1) || rc=$?
}

# --- a moved executable: no names for its frames, until --exe ---
cp "$TL_TARGETS/waits_abba" "$CORE_DIR/abba_copy"
saved_targets=$TL_TARGETS
TL_TARGETS=$CORE_DIR
start_target abba_copy
TL_TARGETS=$saved_targets
a=$(field a) b=$(field b)
core=$(take_core "$TARGET_PID" moved)
mv "$CORE_DIR/abba_copy" "$CORE_DIR/abba_moved"
json=$(core_json "$core")
expect_jq "$json" '.partial and ([.notes[] | select(contains("abba_copy: file not found"))] | length == 1)' \
    "moved exe: no note naming the missing executable"
expect_jq "$json" "[.processes[0].threads[] | select(.tid == $a) | .frames[] | select(.function == \"take\")] | length == 0" \
    "moved exe: frames of the missing executable still named"
expect_jq "$json" "[.processes[0].threads[] | select(.tid == $a) | .frames[] | select(.function == \"__pthread_mutex_lock\")] | length == 1" \
    "moved exe: the libraries' frames must keep their names"
expect_jq "$json" "[.processes[0].threads[] | select(.tid == $a) | .waiting_on.owner_tid] == [$b]" \
    "moved exe: the wait's owner does not need the executable"
json=$(core_json "$core" --exe "$CORE_DIR/abba_moved")
expect_jq "$json" "(.partial | not) and ([.processes[0].threads[] | select(.tid == $a) | .frames[] | select(.function == \"take\")] | length == 1)" \
    "--exe: the executable's frames are not named again"
# --sysroot: the executable at its own path under another root
mkdir -p "$CORE_DIR/root$CORE_DIR"
cp "$CORE_DIR/abba_moved" "$CORE_DIR/root$CORE_DIR/abba_copy"
json=$(core_json "$core" --sysroot "$CORE_DIR/root")
expect_jq "$json" "(.partial | not) and ([.processes[0].threads[] | select(.tid == $a) | .frames[] | select(.function == \"take\")] | length == 1)" \
    "--sysroot: the executable's frames are not named from the copy under the root"
# a FIFO planted where the core's NT_FILE note names the executable must not hang the dump
mkfifo "$CORE_DIR/abba_copy"
dump_rc "$core" --json
[ "$rc" -eq 1 ] || fail "a FIFO at the executable's path: exit $rc (124: it hung), $CORE_OUT"
expect_jq "$CORE_OUT" '[.notes[] | select(contains("abba_copy: file not found"))] | length == 1' \
    "a FIFO at the executable's path: not named as missing"
rm "$CORE_DIR/abba_copy"
json=$(core_json "$core" --exe "$TL_TARGETS/waits_cycle3")
expect_jq "$json" '[.notes[] | select(contains("another build"))] | length == 1' "--exe of another build: not refused"
expect_jq "$json" '[.processes[0].threads[].frames[] | select(.function == "main" or .function == "take")] | length == 0' \
    "--exe of another build: its names were used"

# --- compressed as systemd-coredump keeps them: the same dump as the plain core ---
plain=$(shape "$(core_json "$core" --exe "$CORE_DIR/abba_moved")")
for z in zstd lz4 xz; do
    "$z" -c "$core" >"$core.$z" </dev/null 2>/dev/null || fail "$z could not compress the core"
    got=$(shape "$(core_json "$core.$z" --exe "$CORE_DIR/abba_moved")")
    [ "$got" = "$plain" ] || fail "$z core: differs from the plain core: $(diff <(echo "$plain") <(echo "$got"))"
done
head -c 2000 "$core.zstd" >"$core.cut.zst"
dump_rc "$core.cut.zst"
[ "$rc" -eq 2 ] && grep -q "not a valid zstd-compressed core" <<<"$CORE_OUT" || fail "cut zstd core: exit $rc, $CORE_OUT"
TMPDIR=$CORE_DIR/none dump_rc "$core.zstd"
[ "$rc" -eq 2 ] && grep -q "TMPDIR" <<<"$CORE_OUT" || fail "zstd core, TMPDIR missing: exit $rc, $CORE_OUT"
ls "$CORE_DIR" | grep -q threadlens-core && fail "a temporary file of the decompressed core was left behind"

# --- not a core of ours ---
cp "$core" "$CORE_DIR/other"
printf '\xb7\x00' | dd of="$CORE_DIR/other" bs=1 seek=18 conv=notrunc 2>/dev/null   # e_machine: aarch64
dump_rc "$CORE_DIR/other"
[ "$rc" -eq 2 ] && grep -q "is a core of aarch64" <<<"$CORE_OUT" || fail "another architecture: exit $rc, $CORE_OUT"
dump_rc "$TL_TARGETS/waits_abba"
[ "$rc" -eq 2 ] && grep -q "not a core" <<<"$CORE_OUT" || fail "an executable as core: exit $rc, $CORE_OUT"
mkfifo "$CORE_DIR/fifo"
dump_rc "$CORE_DIR/fifo"
[ "$rc" -eq 2 ] && grep -q "not a regular file" <<<"$CORE_OUT" || fail "a FIFO as core: exit $rc (124: it hung), $CORE_OUT"
rc=0; "$THREADLENS" dump --exe /bin/true 1 >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 64 ] || fail "--exe without --core: exit $rc (expected 64)"
rc=0; "$THREADLENS" dump --core "$core" 1 >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 64 ] || fail "--core with a PID: exit $rc (expected 64)"

# --- a kernel core cut short by ulimit -c (the kernel writes its notes first) ---
case $(cat /proc/sys/kernel/core_pattern) in
    core|core.*) ;;
    *) skip "kernel cores go elsewhere (core_pattern $(cat /proc/sys/kernel/core_pattern)); the rest passed" ;;
esac
(cd "$CORE_DIR" && ulimit -c unlimited && exec "$TL_TARGETS/waits_abba" >"$CORE_DIR/kout") &
kpid=$!
for _ in $(seq 50); do grep -qx ready "$CORE_DIR/kout" 2>/dev/null && break; sleep 0.1; done
ka=$(grep -o 'a=[0-9]*' "$CORE_DIR/kout" | cut -d= -f2) kb=$(grep -o 'b=[0-9]*' "$CORE_DIR/kout" | cut -d= -f2)
kill -ABRT "$kpid"
wait "$kpid" 2>/dev/null
kcore=$CORE_DIR/core
[ -s "$kcore" ] || kcore=$(ls "$CORE_DIR"/core.* 2>/dev/null | head -1)
[ -s "$kcore" ] || fail "the kernel wrote no core (core_pattern core, ulimit -c unlimited)"
json=$(core_json "$kcore")
expect_jq "$json" "(.partial | not) and (.deadlocks[0].threads | sort) == ([$ka, $kb] | sort)" "kernel core: the deadlock"
size=$(stat -c %s "$kcore")
head -c $((size / 2)) "$kcore" >"$CORE_DIR/cut"
dump_rc "$CORE_DIR/cut" --json
[ "$rc" -eq 1 ] || fail "truncated core: exit $rc (expected 1, partial)"
expect_jq "$CORE_OUT" '[.notes[] | select(startswith("the core is truncated: it ends at byte '$((size / 2))'"))] | length == 1' \
    "truncated core: no note saying so"
expect_jq "$CORE_OUT" "[.processes[0].threads[].tid] | sort == ([$kpid, $ka, $kb] | sort)" "truncated core: the threads"
expect_jq "$CORE_OUT" "[.processes[0].threads[] | select(.tid == $ka) | .waiting_on.owner_tid] == [$kb]" \
    "truncated core: the owner from the memory it still has"
head -c 1000 "$kcore" >"$CORE_DIR/cut2"
dump_rc "$CORE_DIR/cut2"
[ "$rc" -eq 2 ] && grep -q "truncated before its notes" <<<"$CORE_OUT" || fail "core cut in its notes: exit $rc, $CORE_OUT"
exit 0
