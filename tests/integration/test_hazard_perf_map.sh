# Perf maps (issue 14, item 6) are written by the target: hostile input. A thread runs code in
# an anonymous mapping (tests/targets/jit_anon); its frame has no module and no name until
# /tmp/perf-PID.map names it ("[perf-map]"). Planted maps are refused without blocking or
# following: a FIFO, a symbolic link to /etc/shadow, a file over 64 MiB, one owned by another
# user; garbage lines are skipped and a valid line among them still names the frame.
source "$(dirname "$0")/lib.sh"
need jq
[ "$(id -u)" = 0 ] || skip "needs root (a map owned by another user is planted)"
start_target jit_anon
code=$(sed -n 's/^code=\(0x[0-9a-f]*\) size=.*/\1/p' "$TARGET_OUT")
size=$(sed -n 's/^code=.* size=\([0-9]*\)$/\1/p' "$TARGET_OUT")
[ -n "$code" ] && [ -n "$size" ] || fail "jit_anon did not say where its code is: $(cat "$TARGET_OUT")"
map=/tmp/perf-$TARGET_PID.map
cleanup_map() { rm -f "$map" "$notes"; cleanup_targets; }
trap cleanup_map EXIT
rm -f "$map"
notes=$(mktemp)

# first_jit_frame: "function|module|offset" of the first frame whose pc is in the code, "" if none.
first_jit_frame() {
    local json
    json=$(timeout 20 "$THREADLENS" dump --json "$TARGET_PID") || fail "dump failed or blocked (rc $?) with map: $1"
    jq -r '.notes[]?' <<<"$json" >"$notes"
    jq -r '.processes[0].threads[].frames[]? | "\(.pc) \(.function // "-")|\(.module // "-")|\(.offset)"' <<<"$json" |
        while read -r pc rest; do
            if (( pc >= code && pc < code + size )); then echo "$rest"; break; fi
        done
}

got=$(first_jit_frame "none")
[ "$got" = "-|-|0" ] || fail "a frame in anonymous code got a name or a module without a perf map: '$got'"

printf '%x %x jit_spin_fn\n' "$((code - 0x10))" "$((size + 0x10))" >"$map"
got=$(first_jit_frame "valid")
case "$got" in
    "jit_spin_fn|[perf-map]|"*) ;;
    *) fail "the perf map did not name the anonymous frame: '$got'" ;;
esac
off=${got##*|}
(( off >= 0x10 && off < 0x10 + size )) || fail "offset $off is not from the map's start"

# garbage around a valid line (0x prefix, CR, a line without its newline at the end)
{ head -c 4096 /dev/urandom | tr -d '\n'; echo
  printf 'zz 10 bad\n0 0 zero\nffffffffffffffff 10 wraps\n%x\n' "$code"
  printf '0x%x 0x%x jit_garbage_ok\r\n' "$code" "$size"
  printf '%x %x jit_partial' "$code" "$size"; } >"$map"
got=$(first_jit_frame "garbage")
case "$got" in
    "jit_garbage_ok|[perf-map]|"*) ;;
    *) fail "a valid line among garbage did not name the frame: '$got'" ;;
esac

refused() {   # refused WHAT WHY: the map now at $map names nothing, the dump did not block, a note says WHY
    local got
    got=$(first_jit_frame "$1")
    [ "$got" = "-|-|0" ] || fail "$1: the frame was named from it: '$got'"
    grep -q "perf map $map: $2" "$notes" || fail "$1: no note says '$2': $(cat "$notes")"
}
[ "$(grep -c "perf map" "$notes")" = 0 ] || fail "a note about a perf map that was read: $(cat "$notes")"
rm -f "$map"; mkfifo "$map"; refused "FIFO" "not a regular file"
rm -f "$map"; secret=$(mktemp); printf '%x %x jit_secret\n' "$code" "$size" >"$secret"
ln -s "$secret" "$map"; refused "symbolic link" "not a regular file"; rm -f "$map"
ln -s /etc/shadow "$map"; refused "link to /etc/shadow" "not a regular file"; rm -f "$map" "$secret"
printf '%x %x jit_huge\n' "$code" "$size" >"$map"; truncate -s 65M "$map"; refused "65 MiB" "larger than 64 MiB"
rm -f "$map"; printf '%x %x jit_foreign\n' "$code" "$size" >"$map"; chown nobody "$map"
refused "owned by nobody" "not owned by the process's user"
echo "ok: anonymous frame unnamed without a map, named from a valid one; FIFO, links, huge and foreign maps refused"
