# threadlens record's command line: bad rates, durations and formats are one line and exit 64,
# an unwritable -o is one line and exit 2; Ctrl-C mid-recording writes a valid file (exit 0);
# a target exiting mid-recording keeps what was sampled, says so and exits 1; report refuses
# a file that is not a recording in one line (exit 2).
source "$(dirname "$0")/lib.sh"
need jq
tmp=$(mktemp -d)
trap 'cleanup_targets; rm -rf "$tmp"' EXIT
start_target record_split
pid=$TARGET_PID

# one_line CODE ARGS...: record ARGS exits CODE with exactly one line on stderr, nothing on stdout
one_line() {
    local want=$1 rc=0; shift
    "$THREADLENS" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
    [ "$rc" -eq "$want" ] || fail "'$*' exited $rc, expected $want ($(cat "$tmp/err"))"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "'$*' wrote $(wc -l <"$tmp/err") lines on stderr, expected 1: $(cat "$tmp/err")"
    [ -s "$tmp/out" ] && fail "'$*' wrote to stdout"
    return 0
}
one_line 64 record -r 0 "$pid"
one_line 64 record -r 100000 "$pid"
one_line 64 record -r abc "$pid"
one_line 64 record -d -1 "$pid"
one_line 64 record -d abc "$pid"
one_line 64 record -d 0 "$pid"
one_line 64 record --format xml "$pid"
one_line 64 record --bogus "$pid"
one_line 64 record -d
one_line 64 record
one_line 64 record notapid
one_line 2 record -d 1 -o /nonexistent-dir/x.folded "$pid"
one_line 64 report --format xml "$tmp/none.jsonl"
one_line 2 report "$tmp/none.jsonl"
printf '{"type":"recording","format_version":1,"rate_hz":20,"pids":[1]}\n{"type":"sample","tick":0,"t_ms":0,"threads":[[7,"R",null,null,true]]}\n' >"$tmp/bad.jsonl"
one_line 2 report "$tmp/bad.jsonl"
grep -q 'line 2' "$tmp/err" || fail "the report error does not name the line: $(cat "$tmp/err")"
echo 'not json' >"$tmp/bad2.jsonl"
one_line 2 report "$tmp/bad2.jsonl"

# Ctrl-C mid-recording: the file is complete and valid
for fmt in jsonl folded; do
    "$THREADLENS" record -o "$tmp/int.$fmt" "$pid" 2>"$tmp/int.err" &
    rec=$!
    sleep 1.5
    kill -INT "$rec"
    rc=0
    wait "$rec" || rc=$?
    [ "$rc" -eq 0 ] || fail "record after Ctrl-C exited $rc ($(cat "$tmp/int.err"))"
    [ -s "$tmp/int.$fmt" ] || fail "record after Ctrl-C wrote no $fmt file"
done
jq -c . "$tmp/int.jsonl" >/dev/null || fail "the jsonl written after Ctrl-C is not valid JSON lines"
[ "$(head -1 "$tmp/int.jsonl" | jq -r .ended_by)" = interrupt ] || fail "the header does not say the recording was interrupted"
ticks=$(jq -r 'select(.type == "sample") | .tick' "$tmp/int.jsonl" | wc -l)
[ "$ticks" -ge 10 ] || fail "only $ticks samples in 1.5 s at 20 Hz before Ctrl-C"
"$THREADLENS" report "$tmp/int.jsonl" >/dev/null || fail "report cannot read the jsonl written after Ctrl-C"
grep -qE '^record_split-[0-9]+;burner-[0-9]+;.* [0-9]+$' "$tmp/int.folded" || fail "the folded file written after Ctrl-C has no burner"

# the target exits mid-recording (after 1 s): what was sampled is kept, exit 1, said so
start_target record_split 1
rc=0
"$THREADLENS" record -d 10 -o "$tmp/exit.jsonl" "$TARGET_PID" 2>"$tmp/exit.err" || rc=$?
[ "$rc" -eq 1 ] || fail "record of an exiting target exited $rc, expected 1 ($(cat "$tmp/exit.err"))"
grep -q 'the target exited after' "$tmp/exit.err" || fail "record does not say the target exited: $(cat "$tmp/exit.err")"
[ "$(head -1 "$tmp/exit.jsonl" | jq -r .ended_by)" = "target exited" ] || fail "the header does not say the target exited"
ticks=$(jq -r 'select(.type == "sample") | .tick' "$tmp/exit.jsonl" | wc -l)
[ "$ticks" -ge 5 ] && [ "$ticks" -le 30 ] || fail "$ticks samples kept of a target that lived ~1 s at 20 Hz"

# a process that does not exist
one_line 2 record -d 1 999999999
echo PASS
