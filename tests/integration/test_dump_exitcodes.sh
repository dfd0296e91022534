# The documented exit codes and their one-line messages: unknown PID -> 2, non-numeric PID,
# unknown option, missing value, no PID -> 64, --help and --version -> 0.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
out=$(mktemp) err=$(mktemp)

# expect_usage_error ARGS...: exit 64, nothing on stdout, one line on stderr.
expect_failure() {
    local want=$1; shift
    dump "$out" "$err" "$@"
    [ "$RC" -eq "$want" ] || fail "threadlens $*: exit $RC, expected $want (stderr: $(cat "$err"))"
    [ -s "$out" ] && fail "threadlens $*: wrote to stdout on failure: $(head -3 "$out")"
    [ "$(wc -l <"$err")" -eq 1 ] || fail "threadlens $*: expected one line on stderr, got: $(cat "$err")"
    stderr_is_one_line_each "$err" "threadlens $*"
}

# a PID that existed a moment ago and is gone (reaped), and one far beyond pid_max
true & gone=$!
wait "$gone"
[ -d "/proc/$gone" ] && skip "PID $gone was reused at once; cannot test an unknown PID"
expect_failure 2 dump "$gone"
grep -q "$gone" "$err" || fail "the message does not name the PID: $(cat "$err")"
expect_failure 2 dump --json "$gone"
expect_failure 2 dump 2147483647
expect_failure 2 dump --no-children --no-stacks "$gone"

expect_failure 64 dump abc
grep -q "'abc'" "$err" || fail "the message does not quote the bad PID: $(cat "$err")"
for bad in 12abc -5 0 " 7" 99999999999999999999 ""; do
    expect_failure 64 dump -- "$bad"
done
expect_failure 64 dump --bogus 1
grep -q -- "--bogus" "$err" || fail "the message does not name the unknown option: $(cat "$err")"
expect_failure 64 dump -x 1
expect_failure 64 dump --max-frames
expect_failure 64 dump --max-frames zero 1
expect_failure 64 dump --json=yes 1
expect_failure 64 dump
expect_failure 64 dump --json
expect_failure 64 nosuchcommand
expect_failure 64
grep -qF "see 'threadlens --help'" "$err" || fail "no command: no hint to --help: $(cat "$err")"

dump "$out" "$err" dump --help
expect_rc 0
grep -q '^Usage: threadlens dump' "$out" || fail "dump --help has no usage line"
[ -s "$err" ] && fail "dump --help wrote to stderr"
dump "$out" "$err" --help
expect_rc 0
grep -q '^Usage: threadlens' "$out" || fail "--help has no usage line"
dump "$out" "$err" --version
expect_rc 0
grep -qE '^threadlens [0-9]+\.[0-9]+\.[0-9]+' "$out" || fail "--version printed: $(cat "$out")"
dump "$out" "$err" -V
expect_rc 0
rm -f "$out" "$err"
echo "ok: exit codes 2 / 64 / 0 with one-line messages"
