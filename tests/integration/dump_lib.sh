# Helpers for the dump tests (sourced after lib.sh; not a test: its name has no test_ prefix).

# dump OUTFILE ERRFILE ARGS...: runs threadlens with ARGS; sets RC. A death by signal (a crash,
# a sanitizer abort) or a hang (timeout) fails the test at once.
dump() {
    local out=$1 err=$2; shift 2
    timeout 60 "$THREADLENS" "$@" >"$out" 2>"$err"
    RC=$?
    [ "$RC" -eq 124 ] && fail "threadlens $* hung (killed after 60 s)"
    [ "$RC" -ge 128 ] && fail "threadlens $* died of signal $((RC - 128)): $(head -c 2000 "$err")"
    grep -q 'Sanitizer' "$err" && fail "threadlens $* reported a sanitizer error: $(head -c 2000 "$err")"
    return 0
}

# stderr_is_one_line_each ERRFILE WHAT: every message is one line "threadlens ...: what; do".
stderr_is_one_line_each() {
    local err=$1 what=$2 line
    while IFS= read -r line; do
        case $line in
            "threadlens: "* | "threadlens "*) ;;
            *) fail "$what: stderr line not from threadlens (a multi-line message?): '$line'" ;;
        esac
    done <"$err"
}

# expect_rc WANTED... : RC must be one of them.
expect_rc() {
    local want
    for want in "$@"; do [ "$RC" -eq "$want" ] && return 0; done
    fail "exit code $RC, expected one of: $*"
}

# tids PID: the thread ids of PID, one per line, sorted.
tids() { ls "/proc/$1/task" 2>/dev/null | sort -n; }

# comm PID TID: the thread's name as the kernel has it (raw bytes; only the kernel's final
# newline dropped, a newline inside the name stays).
comm() {
    local c
    c=$(head -c -1 "/proc/$1/task/$2/comm"; echo .)
    printf '%s' "${c%.}"
}

# json_ok FILE WHAT: FILE is valid JSON.
json_ok() { jq -e . "$1" >/dev/null 2>&1 || fail "$2: the JSON dump does not parse: $(head -c 500 "$1")"; }

# check_threads_json FILE PID: every tid of PID in /proc is in the dump with the same name,
# and the dump has no tid that /proc does not list (threads are stable in the targets used).
check_threads_json() {
    local file=$1 pid=$2 tid want got
    for tid in $(tids "$pid"); do
        got=$(jq -r --argjson p "$pid" --argjson t "$tid" \
              '.processes[] | select(.pid == $p) | .threads[] | select(.tid == $t) | .name' "$file")
        want=$(comm "$pid" "$tid")
        [ -n "$got" ] || fail "tid $tid of process $pid is missing from the JSON dump"
        [ "$got" = "$want" ] || fail "tid $tid: JSON name '$got', /proc says '$want'"
    done
    local in_dump in_proc
    in_dump=$(jq -r --argjson p "$pid" '.processes[] | select(.pid == $p) | .threads[].tid' "$file" | sort -n | tr '\n' ' ')
    in_proc=$(tids "$pid" | tr '\n' ' ')
    [ "$in_dump" = "$in_proc" ] || fail "process $pid: tids in the dump [$in_dump] differ from /proc [$in_proc]"
}

# check_threads_text FILE PID: a jstack-shaped line per tid of PID with its name (plain names).
check_threads_text() {
    local file=$1 pid=$2 tid name
    for tid in $(tids "$pid"); do
        name=$(comm "$pid" "$tid")
        grep -qE "^\"$name\" #[0-9]+ tid=$tid state=[A-Za-z] \([a-z-]+\) cpu=[0-9]+ms .*elapsed=[0-9]+\.[0-9]+s" "$file" \
            || fail "no thread line for tid $tid \"$name\" in the text dump of process $pid"
    done
}

# alive PID...: those of the PIDs that still run (exist and are not zombies).
alive() {
    local pid
    for pid in "$@"; do
        [ -r "/proc/$pid/stat" ] || continue
        [ "$(awk '{ s = $0; sub(/.*\) /, "", s); print substr(s, 1, 1) }' "/proc/$pid/stat" 2>/dev/null)" = Z ] || echo "$pid"
    done
}

# gone_within_10s PID...: waits (bounded) for the PIDs to stop running; prints those that did not.
gone_within_10s() {
    local i
    for i in $(seq 100); do
        [ -z "$(alive "$@")" ] && return 0
        sleep 0.1
    done
    alive "$@"
}
