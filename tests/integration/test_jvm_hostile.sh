# A fake JVM (tests/targets/fake_jvm) that answers the attach protocol one byte every 2 s,
# never, with garbage, or without end, and one whose hsperfdata path is a FIFO: every dump
# returns within a bound (one deadline for the whole conversation: JVM_DEADLINE_MS, 5 s) with
# one one-line note and exit 1; no descriptor to the FIFO is ever opened (strace); SIGINT ends
# a dump waiting on the JVM at once.
source "$(dirname "$0")/lib.sh"
need jq
need strace
BOUND_MS=9000   # 5 s deadline + start-up + a loaded machine; the old per-read timeout never ended
work=$(mktemp -d)
fake_dirs=()
cleanup_fake() {
    local p d
    cleanup_targets
    for p in "${TL_PIDS[@]}"; do rm -f "/tmp/.java_pid$p" "/tmp/.attach_pid$p"; done
    for d in "${fake_dirs[@]}"; do rm -rf "$d"; done
    rm -rf "$work"
}
trap cleanup_fake EXIT

start_fake() {
    start_target fake_jvm "$@"
    fake_dirs+=("$(grep -o '^dir=.*' "$TARGET_OUT" | cut -d= -f2)")
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# dump_fake MODE WHAT: one --json --no-stacks dump under strace; checks time, exit code, note.
dump_fake() {
    local what=$1 t0 ms rc
    t0=$(now_ms)
    # LeakSanitizer cannot run under ptrace (the ASan build of the tests): leaks off here only
    timeout 60 env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        strace -f -qq -yy -e trace=open,openat,openat2 -o "$work/strace" \
        "$THREADLENS" dump --json --no-stacks "$TARGET_PID" >"$work/out.json" 2>"$work/err"
    rc=$?
    ms=$(( $(now_ms) - t0 ))
    [ "$rc" -eq 124 ] && fail "$what: the dump hung (killed after 60 s)"
    [ "$ms" -le "$BOUND_MS" ] || fail "$what: the dump took $ms ms (bound $BOUND_MS ms)"
    [ "$rc" -eq 1 ] || fail "$what: exit $rc, expected 1 (partial): $(cat "$work/err")"
    jq -e --argjson p "$TARGET_PID" '([.notes[] | select(test("^PID \($p) \\(fake_jvm\\): no Java view: "))] | length == 1)
        and ([.notes[] | select(test("\n"))] | length == 0)' "$work/out.json" >/dev/null \
        || fail "$what: not exactly one one-line note about the JVM: $(jq -c .notes "$work/out.json")"
    # never a descriptor to a FIFO planted at the perf data path, nor to any pipe we did not make:
    # only O_PATH (checked with fstat before any real open)
    local bad
    bad=$(grep -E 'open(at2?)?\(' "$work/strace" | grep -v O_PATH |
          grep -E "= [0-9]+<(pipe:|${FIFO_RE:-^$})" || true)
    [ -z "$bad" ] || fail "$what: a descriptor to a FIFO was opened: $bad"
    stopped=$(threads_stopped "$TARGET_PID")
    [ -z "$stopped" ] || fail "$what: target threads left stopped: $stopped"
    echo "$what: exit 1 after $ms ms: $(jq -r '.notes[0]' "$work/out.json")"
}

for mode in drip silent garbage huge; do
    start_fake "$mode"
    dump_fake "$mode"
    # the note gives what was left of the one 5 s deadline when this request began (4999 ms when
    # connecting took a millisecond)
    case $mode in
    drip | silent) grep -qE "did not end within [0-9]+ ms" "$work/out.json" || fail "$mode: the note does not name the deadline" ;;
    huge) grep -q "larger than 64 MiB" "$work/out.json" || fail "huge: the note does not name the size bound" ;;
    garbage) grep -q "without a result code" "$work/out.json" || fail "garbage: the note does not say it was not the protocol" ;;
    esac
    kill -9 "$TARGET_PID"
done

# the hsperfdata path replaced by a FIFO: the probe must neither block nor open it
start_fake garbage --fifo-perf
perf=$(grep -o '/tmp/tl-fakejvm[^ ]*/hsperfdata_fake/[0-9]* (deleted)' "/proc/$TARGET_PID/maps" | head -1)
[ -p "$perf" ] || fail "the target did not plant a FIFO at its perf data path ($perf)"
FIFO_RE=$(sed 's/[][\.*^$()+?{}|]/\\&/g' <<<"$perf")
dump_fake "FIFO at hsperfdata"
grep -E 'hsperfdata' "$work/strace" | grep -q O_PATH || fail "the FIFO was not even looked at (O_PATH): the test proves nothing"

# SIGINT while the dump waits on a dripping JVM ends it at once
start_fake drip
env --default-signal=INT "$THREADLENS" dump --no-stacks "$TARGET_PID" >/dev/null 2>&1 &
tl=$!
sleep 1.5
is_our_child "$tl" || fail "the dump of the dripping JVM ended before SIGINT"
t0=$(now_ms)
kill -INT "$tl"
wait "$tl"
rc=$?
ms=$(( $(now_ms) - t0 ))
[ "$rc" -eq 130 ] || fail "SIGINT: the dump exited $rc, expected 130"
[ "$ms" -le 100 ] || fail "SIGINT: the dump took $ms ms to end (bound 100 ms)"
echo "ok: drip, silent, garbage, huge and a FIFO at hsperfdata each end with exit 1 and one note within $BOUND_MS ms; SIGINT ended a waiting dump in $ms ms"
