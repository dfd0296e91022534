# Issue 6: a hostile target (names with terminal escapes and invalid UTF-8, a 2 MiB command line
# full of ESC bytes, 30000 mappings, a stack whose frame chain loops) is dumped in bounded time
# and memory, with nothing raw reaching the terminal and JSON that stays valid.
source "$(dirname "$0")/lib.sh"
need jq
need iconv
start_target hostile --maps 30000 --cmdline-mib 2
pid=$TARGET_PID
text=$(mktemp); json=$(mktemp)
"$THREADLENS" dump "$pid" >"$text" 2>/dev/null; rc=$?
[ "$rc" -le 1 ] || fail "text dump exited $rc"
if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$text"; then
    fail "a raw control byte reached the text output"
fi
iconv -f UTF-8 -t UTF-8 "$text" >/dev/null 2>&1 || fail "the text output is not valid UTF-8"
grep -q '中文' "$text" || fail "the valid UTF-8 name was not printed as is"
grep -qF '\x1b]0;pwned\x07' "$text" || fail "the escaped terminal-title name is missing"
size=$(stat -c %s "$text")
[ "$size" -lt 1000000 ] || fail "the text dump is $size bytes: the 2 MiB command line was not bounded"
"$THREADLENS" dump --json "$pid" >"$json" 2>/dev/null; rc=$?
[ "$rc" -le 1 ] || fail "JSON dump exited $rc"
jq -e . "$json" >/dev/null || fail "invalid JSON"
names=$(jq -r '.processes[0].threads[].name' "$json")
grep -qF 'bad\xff\xfeutf8' <<<"$names" || fail "invalid UTF-8 not shown as \\xNN in JSON: $names"
grep -qF '中文' <<<"$names" || fail "UTF-8 name altered in JSON"
loop_frames=$(jq '[.processes[0].threads[] | select(.name == "loop-stack") | .frames | length] | max' "$json")
[ "$loop_frames" -le 256 ] || fail "the looping stack produced $loop_frames frames (bound is 256)"
rss=$( { /usr/bin/time -f %M "$THREADLENS" dump "$pid" >/dev/null 2>/dev/null; } 2>&1 | tail -1)
[ -z "$rss" ] || [ "$rss" -lt 65536 ] || fail "peak RSS ${rss} KiB on the hostile target"
echo "ok: escapes, UTF-8, bounded command line, looping stack ($loop_frames frames), RSS ${rss:-?} KiB"
