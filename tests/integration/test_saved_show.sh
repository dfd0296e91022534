# Saved dumps: `dump --save F` writes the JSON dump of the very snapshot it prints, and
# `show F` prints that text again, byte for byte (plain, --group, --no-summary, --shared: the
# shared and private parts are read back too); `show --json`
# gives the file back unchanged; "format_version" is there; every bad file (empty, not JSON,
# truncated, newer format_version, JSON that is no dump, missing) is one line and exit 2 for
# show and diff alike, with nothing on stdout.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
need jq
dir=$(mktemp -d) out=$(mktemp) err=$(mktemp)

start_target groups_pool 24
pid=$TARGET_PID

for opts in "" "--group" "--no-summary" "--shared --group" "--shared" "--no-summary" "--group --no-summary"; do
    # shellcheck disable=SC2086
    dump "$dir/dump.txt" "$err" dump $opts --save "$dir/saved.json" "$pid"
    expect_rc 0 1
    jq -e '.format_version == 1 and (.processes[0].threads | length) > 24' "$dir/saved.json" >/dev/null ||
        fail "--save wrote no dump with format_version 1: $(head -c 300 "$dir/saved.json")"
    # shellcheck disable=SC2086
    dump "$out" "$err" show ${opts//--shared/} "$dir/saved.json"   # show has no --shared: the file says
    expect_rc 0
    cmp -s "$dir/dump.txt" "$out" || fail "show $opts differs from dump $opts: $(diff "$dir/dump.txt" "$out" | head -20)"
    grep -q "^Process $pid \"groups_pool\"" "$out" || fail "show $opts printed no process block"
    # --shared: the shared section and the threads' Private: lines are there after the round trip
    if [ "$opts" = "--shared" ]; then
        grep -q "^  Shared by all [0-9]* threads ([0-9]* mappings):" "$out" || fail "show of a --shared dump has no shared section"
        [ "$(grep -c '^   Private: stack .* pc 0x' "$out")" -gt 24 ] || fail "show of a --shared dump lost the Private: lines"
    fi
done
# ... and `dump --shared --json > F` then `show --shared F`: the text of a --shared dump
dump "$dir/shared.json" "$err" dump --shared --json "$pid"
expect_rc 0 1
jq -e '(.processes[0].regions | length) > 10 and .processes[0].threads[0].private != null' "$dir/shared.json" >/dev/null ||
    fail "dump --shared --json wrote no regions or private part"
dump "$out" "$err" show "$dir/shared.json"
expect_rc 0
grep -q "^  Shared by all [0-9]* threads" "$out" || fail "show of dump --shared --json has no shared section"
dump "$out" "$err" show --json "$dir/shared.json"
expect_rc 0
cmp -s "$dir/shared.json" "$out" || fail "show --json of a --shared dump is not the file: $(diff <(jq -S . "$dir/shared.json") <(jq -S . "$out") | head -20)"
dump "$out" "$err" show --json --no-summary "$dir/saved.json"
expect_rc 0
cmp -s "$dir/saved.json" "$out" || fail "show --json is not the saved file: $(diff <(jq -S . "$dir/saved.json") <(jq -S . "$out") | head -20)"

# bad files: one line on stderr saying which, exit 2, nothing on stdout
: >"$dir/empty.json"
echo 'this is not json' >"$dir/text.json"
head -c 2000 "$dir/saved.json" >"$dir/cut.json"
jq -c '.format_version = 99' "$dir/saved.json" >"$dir/newer.json"
echo '{"hello": [1, 2]}' >"$dir/foreign.json"
check_bad() {   # FILE WORDS-REGEX
    local cmd
    for cmd in "show $1" "diff $1 $dir/saved.json" "diff $dir/saved.json $1"; do
        # shellcheck disable=SC2086
        dump "$out" "$err" $cmd
        [ "$RC" -eq 2 ] || fail "$cmd: exit $RC, expected 2: $(cat "$err")"
        [ ! -s "$out" ] || fail "$cmd printed on stdout: $(head -c 300 "$out")"
        [ "$(wc -l <"$err")" -eq 1 ] || fail "$cmd: not one line on stderr: $(cat "$err")"
        grep -q "$2" "$err" || fail "$cmd: the line does not say '$2': $(cat "$err")"
    done
}
check_bad "$dir/empty.json" "is empty"
check_bad "$dir/text.json" "is not JSON"
check_bad "$dir/cut.json" "is truncated"
check_bad "$dir/newer.json" "format_version 99, newer"
check_bad "$dir/foreign.json" "not a threadlens JSON dump"
check_bad "$dir/missing.json" "cannot open"
echo "PASS"
