# Ctrl-Z (SIGTSTP) and Ctrl-C (SIGINT) in the middle of a dump of a 2000-thread target, plain
# and --consistent. SIGTSTP: every target thread is let go before threadlens stops (while it
# is suspended no target thread is in t/T, polled), and after SIGCONT the dump finishes (exit
# 0 or 1) and leaves nothing stopped. SIGINT: threadlens ends within a bound (the time from
# the signal to its exit is measured and printed: median and max), nothing left stopped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stacks_lib.sh"
# the subject is threads held stopped when our signals come: the crowd's sleeping threads would
# be taken without a stop (zero-stop capture, issue 15), so every thread is taken with one here
export THREADLENS_NO_ZERO_STOP=1
start_target crowd 2000
pid=$TARGET_PID
runs=${TL_SUSPEND_RUNS:-8}
now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }

# how long a dump takes here, to aim the signals at its stack pass (its second part)
# (the quickest of three: the first, cold one took 480 ms where the next took 200 in a CI run,
# and signals aimed by it came after most dumps had ended)
dump_ms=
for k in 1 2 3; do
    t0=$(now_us)
    "$THREADLENS" dump --no-jvm "$pid" >/dev/null 2>&1
    ms=$(( ($(now_us) - t0) / 1000 ))
    [ -z "$dump_ms" ] || [ "$ms" -lt "$dump_ms" ] && dump_ms=$ms
done
echo "a plain dump takes $dump_ms ms"
# between 40 % and 80 % of it: a later aim missed dumps that ran faster than the measured one
# on a loaded machine (6 of 16 were already done)
# a dump that ended before its signal: aim sooner from then on (the dumps of the loop can be
# quicker than the measured ones; a CI run had 2 of 16 signals in time)
aim_sooner() { dump_ms=$(( dump_ms * 3 / 4 )); }
delay() {
    local ms=$(( dump_ms * 2 / 5 + RANDOM % (dump_ms * 2 / 5 + 1) ))
    printf '%d.%03d' $(( ms / 1000 )) $(( ms % 1000 ))
}

suspended=0
for mode in "" --consistent; do
    for i in $(seq "$runs"); do
        # in a process group of its own, as a shell's job: SIGTSTP really stops it
        "$TL_TARGETS/own_pgrp" "$THREADLENS" dump --no-jvm $mode "$pid" >/dev/null 2>&1 &
        tl=$!
        TL_PIDS+=("$tl")   # a failure must not leave a suspended dump (and its stopped threads) behind
        sleep "$(delay)"
        is_our_child "$tl" || { wait "$tl"; aim_sooner; continue; }
        kill -TSTP "$tl" 2>/dev/null
        state=""
        for k in $(seq 100); do   # it lets its threads go, then stops (up to 1 s)
            state=$(awk '{ s = $0; sub(/.*\) /, "", s); print substr(s, 1, 1) }' "/proc/$tl/stat" 2>/dev/null)
            [ "$state" = T ] || [ -z "$state" ] && break
            sleep 0.01
        done
        if [ "$state" = T ]; then
            suspended=$((suspended + 1))
            for k in 1 2 3 4 5; do
                stopped=$(stopped_tids "$pid")
                [ -z "$stopped" ] || fail "threadlens $mode suspended (run $i) with target threads stopped: $(echo $stopped | head -c 200)"
                sleep 0.02
            done
            kill -CONT "$tl"
        fi
        wait "$tl"
        rc=$?
        [ "$rc" -le 1 ] || fail "dump $mode after SIGTSTP/SIGCONT (run $i): exit code $rc, expected 0 or 1"
        expect_none_stopped "$pid"
    done
done
[ "$suspended" -ge $((runs / 2)) ] || fail "only $suspended of $((2 * runs)) dumps were suspended mid-run by SIGTSTP"
echo "SIGTSTP: $suspended of $((2 * runs)) dumps suspended mid-run, no target thread stopped while suspended, all finished after SIGCONT"

# SIGINT: time from the signal to the exit
lat=()
for mode in "" --consistent; do
    for i in $(seq "$runs"); do
        "$TL_TARGETS/own_pgrp" "$THREADLENS" dump --no-jvm $mode "$pid" >/dev/null 2>&1 &
        tl=$!
        TL_PIDS+=("$tl")   # a failure must not leave a suspended dump (and its stopped threads) behind
        sleep "$(delay)"
        is_our_child "$tl" || { wait "$tl"; aim_sooner; continue; }
        t0=$(now_us)
        kill -INT "$tl" 2>/dev/null
        wait "$tl"
        rc=$?
        t1=$(now_us)
        [ "$rc" -eq 130 ] || [ "$rc" -le 1 ] || fail "dump $mode after SIGINT: exit code $rc"
        [ "$rc" -eq 130 ] && lat+=($(( (t1 - t0) / 1000 )))
        expect_none_stopped "$pid"
    done
done
[ "${#lat[@]}" -ge "$runs" ] || fail "only ${#lat[@]} of $((2 * runs)) dumps were ended mid-run by SIGINT"
sorted=($(printf '%s\n' "${lat[@]}" | sort -n))
max=${sorted[-1]}
median=${sorted[$(( ${#sorted[@]} / 2 ))]}
echo "SIGINT: ${#lat[@]} dumps ended mid-run; signal to exit median $median ms, max $max ms"
# a bound, not a benchmark: no wait on the target may delay it (the design figure is 100 ms)
[ "$max" -lt 1000 ] || fail "a dump took $max ms to end after SIGINT"
kill -0 "$pid" || fail "the target died"
echo "ok"
