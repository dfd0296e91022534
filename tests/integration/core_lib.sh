# Helpers of the core-file tests (sourced after lib.sh and waits_lib.sh; not a test itself).

# gcore cannot dump an ASan-built target (terabytes of shadow mappings) in any useful time: the
# ASan build of threadlens is then run on the targets of a plain build (TL_PLAIN_TARGETS).
if ldd "$TL_TARGETS/waits_abba" 2>/dev/null | grep -q libasan; then
    [ -n "${TL_PLAIN_TARGETS:-}" ] || skip "the targets are ASan-built and gcore cannot dump their shadow memory: set" \
        "TL_PLAIN_TARGETS to a plain build's targets (e.g. build/targets) to run this with the ASan threadlens"
    TL_TARGETS=$TL_PLAIN_TARGETS
fi

CORE_DIR=$(mktemp -d)
trap 'cleanup_targets; rm -rf "$CORE_DIR"' EXIT

# take_core PID NAME: gcore (gdb) of PID into $CORE_DIR/NAME; prints the path.
take_core() {
    gcore -o "$CORE_DIR/$2" "$1" >/dev/null 2>&1 || fail "gcore $1 failed"
    [ -s "$CORE_DIR/$2.$1" ] || fail "gcore wrote no $CORE_DIR/$2.$1"
    echo "$CORE_DIR/$2.$1"
}

# core_json CORE [OPTIONS...]: threadlens dump --json --core CORE; exit 0 or 1 (partial) only.
core_json() {
    local core=$1 out rc=0
    shift
    out=$("$THREADLENS" dump --json "$@" --core "$core") || rc=$?
    [ "$rc" -le 1 ] || fail "threadlens dump --json --core $core exited $rc"
    printf '%s\n' "$out"
}

# shape JSON: what a live dump and a dump of a core taken right after must agree on, one line
# per sleeping thread: tid, its frames' function names, its wait (kind, address, owner); then
# the deadlocks. Running threads (spinning) are left out: they move between the two.
shape() {
    jq -r '(.processes[0].threads[] | select(.state == "S") |
              "\(.tid) \([.frames[]? | .function // "?"] | join(" ")) | \(.waiting_on.kind // "-") \(.waiting_on.address // "-") \(.waiting_on.owner_tid // "-")"),
           (.deadlocks[] | "deadlock \(.threads) \([.edges[] | [.waiter, .holder, .kind, .address]] | sort)")' <<<"$1" | sort
}

# live_json NAME: a live JSON dump of $TARGET_PID; exit 0 or 1 (partial) only.
live_json() {
    local out rc=0
    out=$("$THREADLENS" dump --json "$TARGET_PID") || rc=$?
    [ "$rc" -le 1 ] || fail "$1: live dump exited $rc"
    printf '%s\n' "$out"
}

# settled_live NAME: a live dump whose sleeping threads (shape) a second dump 50 ms later agrees
# with, at most 20 tries. "ready" can come while a thread is still between its last barrier and
# the call it sleeps in: such a thread would be running in the live dump and asleep in the core.
settled_live() {
    local prev cur i
    prev=$(live_json "$1")
    for i in $(seq 20); do
        sleep 0.05
        cur=$(live_json "$1")
        [ "$(shape "$prev")" = "$(shape "$cur")" ] && break
        prev=$cur
    done
    printf '%s\n' "$cur"
}

# same_as_live NAME [renamed]: the live dump of $TARGET_PID just before a gcore of it and the dump of the
# core agree (shape), the core's threads are exactly the live ones, and the process name is the
# live one (unless "renamed": the target renamed its main thread, and gdb writes the program's
# name, not the thread's, into the core's NT_PRPSINFO). Leaves the core's JSON in CORE_JSON and the core in CORE_FILE.
same_as_live() {
    local name=$1 live a b
    live=$(settled_live "$name") || exit 1
    CORE_FILE=$(take_core "$TARGET_PID" "$name")
    CORE_JSON=$(core_json "$CORE_FILE")
    a=$(jq -c '[.processes[0].threads[].tid] | sort' <<<"$live")
    b=$(jq -c '[.processes[0].threads[].tid] | sort' <<<"$CORE_JSON")
    [ "$a" = "$b" ] || fail "$name: the core's threads $b are not the live ones $a"
    a=$(shape "$live") b=$(shape "$CORE_JSON")
    [ -n "$a" ] || fail "$name: no sleeping thread in the live dump"
    [ "$a" = "$b" ] || fail "$name: the core's dump differs from the live one:
$(diff <(echo "$a") <(echo "$b"))"
    [ "${2:-}" = renamed ] && return 0
    a=$(jq -r '.processes[0].name' <<<"$live") b=$(jq -r '.processes[0].name' <<<"$CORE_JSON")
    [ "$a" = "$b" ] || fail "$name: process name '$b' in the core, '$a' live"
}
