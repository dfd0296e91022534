# Helpers for the test_hazard_*.sh scripts (issue 12: targets whose memory or files could hang
# or abuse a reader). Sourced after lib.sh and stacks_lib.sh; not a test itself.

# start_hazard ARGS...: starts mem_hazard ARGS (or skips with its reason); sets TARGET_PID,
# TARGET_OUT, RANGE_START and RANGE_END (the range it printed, if any).
start_hazard() {
    TARGET_OUT=$(mktemp)
    local err
    err=$(mktemp)
    "$TL_TARGETS/mem_hazard" "$@" >"$TARGET_OUT" 2>"$err" &
    TARGET_PID=$!
    TL_PIDS+=("$TARGET_PID")
    local i
    for i in $(seq 100); do
        grep -qx ready "$TARGET_OUT" && break
        if ! kill -0 "$TARGET_PID" 2>/dev/null; then
            wait "$TARGET_PID"
            [ $? -eq 3 ] && skip "mem_hazard $*: $(cat "$err")"
            fail "mem_hazard $* exited before it was ready: $(cat "$err")"
        fi
        sleep 0.1
    done
    grep -qx ready "$TARGET_OUT" || fail "mem_hazard $* did not get ready"
    RANGE_START=$(awk '$1 == "range" { print $2 }' "$TARGET_OUT")
    RANGE_END=$(awk '$1 == "range" { print $3 }' "$TARGET_OUT")
    rm -f "$err"
}

# bounded_dump SECONDS OUT ARGS...: bounded_run of threadlens ARGS.
bounded_dump() {
    local secs=$1 out=$2; shift 2
    bounded_run "$secs" "$out" "$THREADLENS" "$@"
}

# bounded_run SECONDS OUT COMMAND...: runs COMMAND (threadlens, maybe under strace or setpriv) with a deadline (SIGKILL after
# SECONDS: a dump stuck in D state ends only when the target goes away), stdout to OUT, while
# polling the target's threads for a stop held longer than the poll period. Sets DUMP_RC,
# DUMP_MS and HELD (how many polls, 20 ms apart, found a thread stopped twice in a row).
bounded_run() {
    local secs=$1 out=$2; shift 2
    local t0 t1 polls
    polls=$(mktemp)
    ( prev=""; while :; do cur=$(stopped_tids "$TARGET_PID" | sort | tr '\n' ' ')
        [ -n "$cur" ] && [ "$cur" = "$prev" ] && echo held; prev=$cur; sleep 0.02; done ) >"$polls" &
    local poller=$!
    t0=$(date +%s%N)
    timeout -s KILL "$secs" "$@" >"$out" 2>"$out.err"
    DUMP_RC=$?
    t1=$(date +%s%N)
    kill "$poller" 2>/dev/null
    wait "$poller" 2>/dev/null
    DUMP_MS=$(( (t1 - t0) / 1000000 ))
    HELD=$(grep -c held "$polls")
    rm -f "$polls"
    [ "$DUMP_RC" -ne 137 ] || fail "$* did not return within $secs s (hung)"
}

# strace_clean TRACE [name:PATH | fd:PATH]...: TRACE is `strace -f -y -e
# trace=open,openat,openat2` output. Fails when a call without O_PATH returned a descriptor to
# anything but a regular file or a directory (a FIFO, a device, a socket; /dev/urandom and
# /dev/null are threadlens's own); for name:PATH when a call without O_PATH was given PATH; for
# fd:PATH when any call returned a descriptor to PATH other than O_PATH.
strace_clean() {
    local trace=$1; shift
    local line path f
    [ -s "$trace" ] || fail "strace wrote nothing"
    while IFS= read -r line; do
        case "$line" in *O_PATH*) continue ;; esac
        path=${line##*= [0-9]*<}
        path=${path%>}
        case "$path" in
            /dev/urandom | /dev/null) continue ;;   # threadlens's own (libjansson's hash seed)
            /*) ;;
            *) fail "a descriptor to a non-file was opened: $line" ;;
        esac
        [ -f "$path" ] || [ -d "$path" ] || [ ! -e "$path" ] || fail "a descriptor to a non-regular file was opened: $line"
    done < <(grep -E '^[0-9]+ +open(at2?)?\(.*\) = [0-9]+<' "$trace")
    for f in "$@"; do
        case "$f" in
            name:*) grep -F -- "\"${f#name:}\"" "$trace" | grep -v O_PATH | grep -q . &&
                        fail "${f#name:} was opened by name: $(grep -F -- "\"${f#name:}\"" "$trace" | head -3)" ;;
            fd:*) grep -F -- "<${f#fd:}>" "$trace" | grep -v O_PATH | grep -q . &&
                      fail "a descriptor to ${f#fd:} was opened: $(grep -F -- "<${f#fd:}>" "$trace" | head -3)" ;;
            *) fail "strace_clean: $f is neither name: nor fd:" ;;
        esac
    done
    return 0
}
