# skip_quiet's clock check (counters_live.c's sched_accounting) must never call a thread that
# ran quiet: record_clock's "sleeper" wakes at random moments 20 to 90 ms apart (so wakes land
# inside the check's windows, and between a thread's read and the clock's), next to a "beat"
# thread running every 200 us (always read by the check, often failing an attempt) and 100
# idle threads. For every sample whose interval holds a wake (from 15 ms after the previous
# sample's stamp, for the time a take takes to reach the thread, to this sample's stamp), the
# jsonl must say the sleeper ran, in that sample or the next: a thread still on its first
# slice of CPU at the check has no run time accounted yet, in its schedstat or in the
# process's clock, so it is seen when that slice ends (the next sample). A check that took an
# inexact clock for exact would miss it until its once-a-second full read.
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'cleanup_targets; rm -rf "$tmp"' EXIT
start_target record_clock "$tmp/wakes"
pid=$TARGET_PID
"$THREADLENS" record -d 4 -r 20 -o "$tmp/r.jsonl" "$pid" 2>"$tmp/err" || fail "record exited $? ($(cat "$tmp/err"))"
cat "$tmp/err"
id=$(jq -r 'select(.type == "thread" and .name == "sleeper") | .id' "$tmp/r.jsonl")
[ -n "$id" ] || fail "no sleeper thread in the recording"
jq -r --argjson id "$id" 'select(.type == "sample") | "\(.unix_ms) \([.threads[] | select(.[0] == $id) | .[4]][0])"' \
    "$tmp/r.jsonl" >"$tmp/samples"
cp "$tmp/wakes" "$tmp/wakes.now"   # the target keeps writing
awk -v slack=15 '
    NR == FNR { w[++nw] = $1 / 1e6; next }
    { u[++n] = $1; ran[n] = ($2 == "true") }
    END {
        checked = late = missed = 0
        for (k = 2; k <= n; k++) {
            woke = 0
            for (i = 1; i <= nw; i++)
                if (w[i] > u[k - 1] + slack && w[i] < u[k]) { woke = 1; break }
            if (!woke) continue
            checked++
            if (ran[k]) continue
            if (k < n && ran[k + 1]) { late++; continue }
            missed++
            printf "sample %d (unix_ms %d): the sleeper woke at %.3f but did not run in it or the next\n", k, u[k], w[i]
        }
        printf "%d samples with a wake checked, %d seen a sample late, %d missed\n", checked, late, missed
        exit (missed > 0) ? 1 : (checked < 10) ? 2 : 0
    }' "$tmp/wakes.now" "$tmp/samples"
rc=$?
[ "$rc" -ne 2 ] || fail "fewer than 10 samples with a wake to check ($(wc -l <"$tmp/samples") samples)"
[ "$rc" -eq 0 ] || fail "skip_quiet called the sleeper quiet in a sample it ran in"
