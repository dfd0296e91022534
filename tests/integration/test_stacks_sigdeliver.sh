# Signals that arrive while threadlens has a thread stopped are still delivered: real-time
# signals (queued, never merged) are sent to the target while dumps run back to back, and the
# target must have handled every one of them. A signal-delivery-stop that threadlens did not
# re-inject at its detach would be lost and show as a short count.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stacks_lib.sh"

SIGNALS=${TL_SIGNALS:-20000}
start_target stacks_sigcount 8
pid=$TARGET_PID
# kill(TID) prefers that thread: the spinning one takes the signal at once, which is when one
# can land between threadlens's PTRACE_SEIZE and its interrupt stop
spin=$(tid_of "$pid" spin) || fail "no thread named spin"
sent_file=$(mktemp)
(
    sent=0
    for i in $(seq "$SIGNALS"); do
        kill -s RTMIN+1 "$spin" 2>/dev/null && sent=$((sent + 1))
    done
    echo "$sent" >"$sent_file"
) &
sender=$!
dumps=0
while kill -0 "$sender" 2>/dev/null; do
    "$THREADLENS" dump "$pid" >/dev/null 2>&1
    "$THREADLENS" dump --consistent "$pid" >/dev/null 2>&1
    dumps=$((dumps + 2))
done
wait "$sender"
expect_none_stopped "$pid"
sleep 0.5   # let the last queued signals be handled
kill -USR2 "$pid"
for i in $(seq 50); do grep -q '^count' "$TARGET_OUT" && break; sleep 0.1; done
got=$(awk '/^count/ {print $2}' "$TARGET_OUT")
sent=$(cat "$sent_file")
rm -f "$sent_file"
[ -n "$got" ] || fail "the target did not report its count"
[ "$sent" -gt 0 ] || fail "no signal could be sent"
[ "$got" -eq "$sent" ] || fail "$sent signals sent during $dumps dumps, $got handled: signals were lost"
echo "ok: $sent signals sent during $dumps dumps, all handled"
