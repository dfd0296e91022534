# Frame-pointer guesses (issue 14, item 4): fp_guess has frame pointers and no unwind
# information at all. Its frames are found by following frame pointers, each marked guessed
# (JSON "guessed": true, text " ?"), a frame pointer out of the thread's stack is not followed,
# the walk ends at start_thread's caller clone3 (no "0x1",
# no second start_thread after it), and the names agree with gdb's. Frames found by CFI
# (stacks_chain) are never marked guessed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stacks_lib.sh"
. "$(dirname "$0")/gdb_lib.sh"
need jq

start_target fp_guess
nthreads=$(awk '$1 == "threads" {print $2}' "$TARGET_OUT")
out=$(mktemp)
rc=0
"$THREADLENS" dump --json "$TARGET_PID" >"$out" || rc=$?
[ "$rc" -eq 0 ] || fail "fp_guess: exit code $rc, expected 0 (complete: the walks end at their first frame)"

chain="clock_nanosleep __nanosleep guess_wait guess_three guess_two guess_one guess_thread start_thread __clone3"
# frames found by a frame-pointer step: those above guess_wait (whose callee, libc, has CFI)
flags="false false false true true true true true false"
checked=$(jq -r --arg chain "$chain" --arg flags "$flags" '
    [.processes[0].threads[] | select(.name == "guess")
     | select(([.frames[] | .function] | join(" ")) == $chain
              and ([.frames[] | .guessed | tostring] | join(" ")) == $flags
              and .stack_warning == null and (.frames_truncated | not))] | length' "$out")
[ "$checked" -eq "$nthreads" ] || fail "fp_guess: $checked of $nthreads guess threads have the chain '$chain' with guessed '$flags': $(functions_of "$out" guess) / $(jq -c '[.processes[0].threads[] | select(.name == "guess")][0].frames | map(.guessed)' "$out")"
jq -e '[.processes[0].threads[].frames[] | select(.function == null)] | length == 0' "$out" >/dev/null \
    || fail "fp_guess: an unnamed frame (a guess past the thread's first frame?): $(functions_of "$out" guess)"
jq -e '[.processes[0].threads[] | [.frames[] | select(.function == "start_thread")] | length] | max <= 1' "$out" >/dev/null \
    || fail "fp_guess: a thread shows start_thread twice"
# a frame pointer outside the thread's stack is not followed (it leads to a record on the main thread's stack
# whose return address is in guess_two)
[ "$(functions_of "$out" corrupt)" = "clock_nanosleep __nanosleep corrupt_wait" ] \
    || fail "fp_guess: the walk followed a frame pointer out of the stack: $(functions_of "$out" corrupt)"
# the main thread: main is guessed too, the walk ends at _start
expect_chain "$out" fp_guess "guess_one main __libc_start_call_main __libc_start_main _start"
jq -e '[.processes[0].threads[] | select(.name == "fp_guess")][0].frames
       | (map(select(.function == "main"))[0].guessed) and (.[-1].function == "_start")' "$out" >/dev/null \
    || fail "fp_guess: main not marked guessed, or the main thread's walk does not end at _start"

# text: " ?" after a guessed frame, nothing after the others
text=$("$THREADLENS" dump "$TARGET_PID")
grep -Eq '^	at guess_three\+0x[0-9a-f]+ \(.*/fp_guess\) \?$' <<<"$text" \
    || fail "fp_guess: no text frame 'at guess_three+0x.. (module) ?'"
grep -Eq '^	at guess_wait\+0x[0-9a-f]+ \(.*/fp_guess\)$' <<<"$text" \
    || fail "fp_guess: guess_wait (found by libc's CFI) is shown as a guess"

if command -v gdb >/dev/null; then
    # gdb follows the corrupt thread's frame pointer out of its stack: it is the one that is
    # wrong there, and shows a guess_two that is not on the stack
    corrupt=$(tid_of "$TARGET_PID" corrupt) || fail "fp_guess: no thread named corrupt"
    expect_gdb_agreement "$out" "$TARGET_PID" fp_guess 95 "$corrupt"
    g=$(awk -F'\t' -v t="$corrupt" '$1 == t {$1 = ""; print}' "$GDB_NAMES_FILE")
    echo "gdb on the corrupt thread (where it is wrong):$g"
    rm -f "$GDB_NAMES_FILE"
else
    echo "note: gdb is not installed (make deps): fp_guess not compared with gdb"
fi
expect_none_stopped "$TARGET_PID"
kill -9 "$TARGET_PID"

# code with CFI: nothing is a guess
start_target stacks_chain
"$THREADLENS" dump --json "$TARGET_PID" >"$out" || fail "stacks_chain: dump failed"
n=$(jq '[.processes[0].threads[].frames[] | select(.guessed)] | length' "$out")
[ "$n" -eq 0 ] || fail "stacks_chain: $n frames marked guessed, though all of its code has CFI"
jq -e '[.processes[0].threads[].frames[] | has("guessed")] | all' "$out" >/dev/null \
    || fail "stacks_chain: a frame object without the key guessed"
kill -9 "$TARGET_PID"
rm -f "$out"
echo "ok"
