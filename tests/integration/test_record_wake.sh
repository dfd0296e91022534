# skip_quiet must never hide a thread that ran: "waker" sleeps through the first 2 s of a 4 s
# recording at 20 Hz (its schedstat does not move, so record reuses its previous read), then
# SIGUSR1 wakes it to spend 0.5 s (wall clock) in burn() and sleep again. The folded output must
# show the waker in burn for at least 70 % of the samples 0.5 s holds at the rate reached (about
# 10 at 20 Hz), and the idle threads in their one sleeping stack. A recorder that saw the waker
# only at its once-a-second full read would catch the burn late or not at all.
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'cleanup_targets; rm -rf "$tmp"' EXIT
start_target record_wake
pid=$TARGET_PID
"$THREADLENS" record -d 4 -r 20 -o "$tmp/w.folded" "$pid" 2>"$tmp/err" &
rec=$!
sleep 2
kill -USR1 "$pid"
wait "$rec" || fail "record exited $? ($(cat "$tmp/err"))"
cat "$tmp/err"
burn=$(grep -E "^record_wake-$pid;waker-[0-9]+;.*;burn(\.[^; ]*)?( |;)" "$tmp/w.folded" | awk '{n += $NF} END {print n + 0}')
waiting=$(grep -E "^record_wake-$pid;waker-[0-9]+;.*;wait_for_go;" "$tmp/w.folded" | awk '{n += $NF} END {print n + 0}')
echo "waker: $waiting samples waiting, $burn in burn"
[ "$waiting" -ge 10 ] || fail "the waker's sleep before SIGUSR1 has $waiting samples (>= 10 expected): $(grep waker "$tmp/w.folded")"
samples=$(sed -n 's/.*: \([0-9]*\) samples of.*/\1/p' "$tmp/err")
need=$(( (samples * 5 / 40) * 7 / 10 ))   # 0.5 s of a 4 s recording, 70 % of it
[ "$need" -ge 3 ] || need=3
[ "$burn" -ge "$need" ] || fail "the waker ran burn() for 0.5 s but has $burn samples in burn ($need expected of $samples samples in 4 s): $(grep waker "$tmp/w.folded")"
idle=$(grep -cE "^record_wake-$pid;idle-[0-9]+;" "$tmp/w.folded")
[ "$idle" -eq 20 ] || fail "$idle idle threads in the folded output, 20 expected"
