# Node's JIT frames (issue 14, items 5 and 6). Without a perf map, a frame whose pc is in no
# file mapping (V8's code space) has no module: never "/usr/bin/node", whose libdwfl range
# spans code pages V8 mapped between its own. With node --perf-basic-prof, the same frames are
# named from /tmp/perf-PID.map (JS:*spinInJs ...) with module "[perf-map]".
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/real_lib.sh"
need jq
NODE=$(command -v node || command -v nodejs || true)
[ -n "$NODE" ] || skip "node is not installed (make deps installs nodejs)"

# anon_frames JSON PID: "pc module function" of the main thread's frames whose pc lies in no
# file mapping of PID (maps read right after the dump), one per line.
anon_frames() {
    local maps
    maps=$(awk '$6 ~ /^\// { split($1, r, "-"); print r[1], r[2] }' "/proc/$2/maps")
    jq -r --argjson pid "$2" '.processes[0].threads[] | select(.tid == $pid) | .frames[] |
        "\(.pc) \(.module // "-") \(.function // "-")"' <<<"$1" |
        while read -r pc module function; do
            infile=0
            while read -r lo hi; do
                if (( pc >= 0x$lo && pc < 0x$hi )); then infile=1; break; fi
            done <<<"$maps"
            [ "$infile" = 0 ] && echo "$pc $module $function"
        done
}

# jit_dump PID: a JSON dump in which the main thread has at least one frame in no file (tries
# a few times: the thread may be between calls into the runtime at one instant).
jit_dump() {
    local i json
    for i in $(seq 10); do
        json=$("$THREADLENS" dump --json "$1") || true
        [ -n "$(anon_frames "$json" "$1")" ] && { echo "$json"; return 0; }
        sleep 0.3
    done
    fail "node: no frame of the main thread in anonymous (JIT) code in 10 dumps"
}

start_program "$NODE" "$TL_SOURCE/tests/real/node_jit.js"
json=$(jit_dump "$TARGET_PID")
frames=$(anon_frames "$json" "$TARGET_PID")
n=$(wc -l <<<"$frames")
bad=$(awk '$2 != "-" || $3 != "-"' <<<"$frames")
[ -z "$bad" ] || fail "node: JIT frames given a module or name without a perf map: $bad"
kill -9 "$TARGET_PID"; wait "$TARGET_PID" 2>/dev/null || true

map=""
cleanup_map() { [ -n "$map" ] && rm -f "$map"; cleanup_targets; }
trap cleanup_map EXIT
start_program "$NODE" --perf-basic-prof "$TL_SOURCE/tests/real/node_jit.js"
map=/tmp/perf-$TARGET_PID.map
json=$(jit_dump "$TARGET_PID")
frames=$(anon_frames "$json" "$TARGET_PID")
named=$(awk '$2 == "[perf-map]" && $3 ~ /^JS:/' <<<"$frames" | wc -l)
total=$(wc -l <<<"$frames")
[ "$named" -ge 1 ] || fail "node --perf-basic-prof: no JIT frame named from the perf map: $frames"
grep -q 'spinInJs' <<<"$frames" || fail "node --perf-basic-prof: spinInJs not among the JIT frames: $frames"
bad=$(awk '$2 != "[perf-map]" && $2 != "-"' <<<"$frames")
[ -z "$bad" ] || fail "node --perf-basic-prof: JIT frames attributed to a file: $bad"
text=$("$THREADLENS" dump "$TARGET_PID") || true
grep -q 'spinInJs.*(\[perf-map\])' <<<"$text" || grep -q 'JS:.*(\[perf-map\])' <<<"$text" ||
    fail "node --perf-basic-prof: the text dump shows no [perf-map] frame"
echo "ok: node: $n JIT frames unnamed without a map; with --perf-basic-prof $named of $total named from it"
