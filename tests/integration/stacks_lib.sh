# Helpers for the test_stacks_*.sh scripts (sourced after lib.sh; not a test itself).

# functions_of JSON_FILE THREAD_NAME: the frames' function names of the first thread so named,
# one line, space-separated ("?" for an unnamed frame).
functions_of() {
    jq -r --arg n "$2" '[.processes[0].threads[] | select(.name == $n)][0]
        | [.frames[]? | (.function // "?")] | join(" ")' "$1"
}

# expect_chain JSON_FILE THREAD_NAME "f1 f2 ...": the names appear consecutively, in this order.
expect_chain() {
    local got
    got=$(functions_of "$1" "$2")
    case " $got " in
        *" $3 "*) ;;
        *) fail "thread $2: expected the chain '$3' in its frames, got: $got" ;;
    esac
}

# stopped_tids PID: the threads of PID in state t or T, one awk for all of them (lib.sh's
# threads_stopped starts one per thread, too slow for 2000 threads).
stopped_tids() {
    awk '{ s = $0; sub(/.*\) /, "", s); split(s, a, " "); if (a[1] == "t" || a[1] == "T") print $1 }' \
        /proc/"$1"/task/*/stat 2>/dev/null
}

# expect_none_stopped PID: no thread of PID is in state t or T.
expect_none_stopped() {
    local stopped
    stopped=$(stopped_tids "$1")
    [ -z "$stopped" ] || fail "threads left stopped: $stopped"
}

# syscall_nr PID TID: the system call number the thread is blocked in (first field).
syscall_nr() {
    cut -d' ' -f1 "/proc/$1/task/$2/syscall"
}

# tid_of PID NAME: the first thread of PID whose comm is NAME.
tid_of() {
    local f
    for f in /proc/"$1"/task/*; do
        [ "$(cat "$f/comm" 2>/dev/null)" = "$2" ] && { basename "$f"; return 0; }
    done
    return 1
}
