# Condition variables of every clock, waited on every way (issue 14, item 2), semaphores and
# rwlocks timed against each clock: each named, at the address of the object itself (not 4
# bytes off), checked against what the target prints and against gdb's view of glibc's frames.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/waits_lib.sh"
need jq

# check_target NAME: every "wait" line of the target matched by the dump (and gdb when there)
check_target() {
    local name=$1 json lines n=0 tid kind addr owner gdb_out=""
    start_target "$name"
    json=$(dump_json "$TARGET_PID")
    lines=$(grep '^wait ' "$TARGET_OUT")
    if command -v gdb >/dev/null && [ "${TL_NO_GDB:-}" = "" ]; then
        gdb_out=$("$TL_SOURCE/scripts/gdb-wait-objects.sh" "$TARGET_PID" || true)
        [ -n "$gdb_out" ] || echo "note: gdb could not attach to $name: its addresses are not compared" >&2
    fi
    while read -r _ wname wtid wkind waddr wowner; do
        tid=${wtid#tid=} kind=${wkind#kind=} addr=${waddr#addr=} owner=${wowner#owner=}
        local want_owner=null
        [ "$owner" != 0 ] && want_owner=$owner
        expect_jq "$json" "[.processes[].threads[] | select(.tid == $tid) | .waiting_on | {kind, address, owner_tid}] == [{\"kind\": \"$kind\", \"address\": \"$addr\", \"owner_tid\": $want_owner}]" \
            "$name ${wname#name=} ($tid): expected $kind at $addr, owner $owner"
        if [ -n "$gdb_out" ]; then
            local g
            g=$(awk -v t="$tid" '$1 == t {print $2}' <<<"$gdb_out")
            [ "$g" = "$addr" ] || fail "$name ${wname#name=} ($tid): gdb says $kind ${g:-(none)}, the target printed $addr"
        fi
        n=$((n + 1))
    done <<<"$lines"
    echo "ok: $name: $n waits named${gdb_out:+ (and as gdb says)}"
    NAMED=$((NAMED + n))
}

NAMED=0
check_target waits_condvar_clocks
[ "$NAMED" -eq 12 ] || fail "waits_condvar_clocks: $NAMED waits checked, expected 12"
if [ -x "$TL_TARGETS/waits_cxx_condvar" ]; then
    check_target waits_cxx_condvar
    [ "$NAMED" -eq 16 ] || fail "waits_cxx_condvar: $((NAMED - 12)) waits checked, expected 4"
else
    skip "waits_cxx_condvar was not built (no C++ compiler: make deps installs g++); the C cases passed"
fi
echo "ok"
