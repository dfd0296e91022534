# threadlens metrics -o FILE (node_exporter's textfile collector): written atomically. A reader
# polling the file while it is rewritten 40 times never sees half a file; a symlink planted at
# FILE is replaced, not followed; the file is readable by others (the collector's own user);
# no temporary file is left behind; a missing directory is a clear error.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
start_target crowd 200
dir=$(mktemp -d)
out=$(mktemp) err=$(mktemp)
file=$dir/threadlens.prom
dump "$out" "$err" metrics --per-thread --interval 0.01 -o "$file" "$TARGET_PID"
expect_rc 0
[ -s "$out" ] && fail "-o also wrote to stdout"
[ "$(tail -n 1 "$file")" = "# EOF" ] || fail "the file does not end in # EOF"
reader() {   # reads the file as fast as it can; prints a bad copy and stops
    local n=0 text
    while [ ! -e "$dir/stop" ]; do
        text=$(cat "$file") || { echo "unreadable"; return; }
        case $text in "# HELP threadlens_target_up"*"# EOF") n=$((n + 1)) ;; *) echo "torn: ${#text} bytes"; return ;; esac
    done
    echo "reads=$n"
}
reader >"$dir/reader.out" &
rpid=$!
for i in $(seq 40); do
    timeout 60 "$THREADLENS" metrics --per-thread --interval 0.01 -o "$file" "$TARGET_PID" 2>"$err" || fail "write $i failed: $(cat "$err")"
done
touch "$dir/stop"
wait "$rpid"
result=$(cat "$dir/reader.out")
case $result in reads=*) ;; *) fail "a concurrent reader saw a half-written file: $result" ;; esac
[ "${result#reads=}" -gt 40 ] || fail "the reader read only ${result#reads=} times: the check proves nothing"
left=$(ls -A "$dir" | grep -v '^threadlens.prom$\|^stop$\|^reader.out$' || true)
[ -z "$left" ] || fail "temporary files left behind: $left"
[ "$(stat -c %a "$file")" = "$(printf '%o' $((0666 & ~$(umask))))" ] || fail "mode $(stat -c %a "$file") ignores the umask"

victim=$(mktemp)
echo keep >"$victim"
rm -f "$file"
ln -s "$victim" "$file"
dump "$out" "$err" metrics -o "$file" "$TARGET_PID"
expect_rc 0
[ "$(cat "$victim")" = keep ] || fail "writing followed the symlink planted at the file"
[ -L "$file" ] && fail "the symlink is still there"
[ "$(tail -n 1 "$file")" = "# EOF" ] || fail "the file was not written over the symlink"

dump "$out" "$err" metrics -o "$dir/no/such/dir/m.prom" "$TARGET_PID"
expect_rc 2
grep -q 'cannot create a temporary file next to' "$err" || fail "no clear error for a missing directory: $(cat "$err")"
rm -rf "$dir" "$out" "$err" "$victim"
echo "ok: 40 atomic rewrites, $result by a concurrent reader, never torn; symlink replaced, not followed"
