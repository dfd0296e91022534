#!/bin/busybox sh
# shellcheck shell=dash
# (busybox ash: POSIX sh plus `local`)
# /init of the test VM (tests/vm/run.sh builds the initramfs around it): mounts the
# kernel file systems, runs the dump tests against the vm_chains targets, prints one line per
# check and a summary on the console, then powers off. The host reads the console:
#   TL-RESULT PASS|FAIL|SKIP <check>: <detail>
#   TL-JSON-BEGIN <name> ... TL-JSON-END <name>     (--json output, validated on the host)
#   TL-SUMMARY pass=N fail=N skip=N
# Every wait here is bounded; the host also kills the VM after its own timeout.

/bin/busybox mkdir -p /bin /proc /sys /dev /tmp
/bin/busybox --install -s /bin
CROWD_THREADS=500
LIBDIR=/usr/lib/aarch64-linux-gnu
[ -r /tl/config ] && . /tl/config   # written by run.sh (--crowd, the architecture's libraries)
export PATH=/bin:/tl LD_LIBRARY_PATH=$LIBDIR
# For sanitizer builds (make check-arm64-asan): any report fails the run that printed it.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
# no tmpfs on /tmp: the initramfs root is already writable memory, and the unit tests' data
# sits at the checkout's own path, which may well be under /tmp (a CI clone)

DUMP_TIMEOUT=60      # seconds for one threadlens run
CROWD_DUMP_TIMEOUT=240   # one dump of the crowd's hundreds of threads: emulated, a loaded host
                         # took over 60 s for 502 threads (exit 143, CI 2026-12-03)
UNIT_TIMEOUT=240     # seconds for one unit test program (emulated, on a loaded 2-core host)
READY_TRIES=300      # x 0.1 s for a target to print ready
NPASS=0 NFAIL=0 NSKIP=0
TARGET_PIDS=""

result() {   # result PASS|FAIL|SKIP CHECK DETAIL
    echo "TL-RESULT $1 $2: $3"
    case $1 in
        PASS) NPASS=$((NPASS + 1)) ;;
        FAIL) NFAIL=$((NFAIL + 1)) ;;
        *) NSKIP=$((NSKIP + 1)) ;;
    esac
}

check() {    # check CHECK DETAIL COMMAND...: PASS when COMMAND succeeds, else FAIL
    local name=$1 detail=$2
    shift 2
    if "$@"; then result PASS "$name" "$detail"; else result FAIL "$name" "$detail"; fi
}

# start_target NAME [ARGS...]: sets TPID; 1 when it does not print ready in time.
start_target() {
    local name=$1 i=0
    shift
    /tl/targets/"$name" "$@" >/tmp/"$name".out 2>&1 &
    TPID=$!
    TARGET_PIDS="$TARGET_PIDS $TPID"
    while [ $i -lt $READY_TRIES ]; do
        grep -qx ready /tmp/"$name".out && return 0
        kill -0 "$TPID" 2>/dev/null || return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# stopped_tids PID: tids of PID in state t or T (stopped), one a line.
stopped_tids() {
    local f
    for f in /proc/"$1"/task/*/stat; do
        sed 's/.*) //' "$f" 2>/dev/null | awk -v f="$f" '$1 == "t" || $1 == "T" { print f }'
    done
}

# thread_section FILE NAME: the text dump's lines of the thread named NAME (to the blank line).
thread_section() {
    awk -v q="\"$2\" #" 'index($0, q) == 1 { on = 1 } on && $0 == "" { exit } on { print }' "$1"
}

# frame_functions: the function names of "	at FUNC+0xOFF ..." lines on stdin, one a line.
frame_functions() {
    awk '$1 == "at" { f = $2; sub(/\+0x[0-9a-f]+$/, "", f); print f }'
}

# has_chain FILE THREAD F1 F2...: the thread's frames hold F1, F2, ... consecutively, in order.
has_chain() {
    local file=$1 thread=$2
    shift 2
    thread_section "$file" "$thread" | frame_functions | awk -v want="$*" '
        BEGIN { n = split(want, w, " ") }
        { f[NR] = $0 }
        END {
            for (i = 1; i + n - 1 <= NR; i++) {
                ok = 1
                for (j = 1; j <= n; j++) if (f[i + j - 1] != w[j]) { ok = 0; break }
                if (ok) exit 0
            }
            exit 1
        }'
}

# frames_after FILE THREAD FUNC WANT: WANT appears among the frames below FUNC.
frames_after() {
    thread_section "$1" "$2" | frame_functions | awk -v a="$3" -v b="$4" '
        $0 == a { seen = 1 } seen && $0 == b { found = 1 } END { exit !found }'
}

run_dump() {  # run_dump OUT ARGS...: threadlens dump, exit code in DUMP_RC
    timeout "$DUMP_TIMEOUT" threadlens dump "$@" >"$OUT" 2>/tmp/dump.err
    DUMP_RC=$?
    [ "$DUMP_RC" -eq 0 ] || sed 's/^/threadlens stderr: /' /tmp/dump.err
}

check_names() {  # check_names TARGET FILE
    local n missing=""
    # the main thread's name is the program's, cut to 15 bytes by the kernel (TASK_COMM_LEN)
    for n in "$(echo "$1" | cut -c1-15)" vm-sleeper vm-locker vm-reader; do
        grep -q "^\"$n\" #" "$2" || missing="$missing $n"
    done
    if [ -z "$missing" ] && grep -q "1 process, 4 threads" "$2"; then
        result PASS "$1.names" "4 threads listed, each with its name"
    else
        result FAIL "$1.names" "missing:${missing:- none} (header: $(head -n 1 "$2"))"
    fi
}

check_syscalls() {  # check_syscalls TARGET FILE: /proc was read before the threads were stopped
    local bad="" pair
    for pair in vm-sleeper:clock_nanosleep vm-reader:read vm-locker:futex; do
        thread_section "$2" "${pair%%:*}" | grep -q "syscall: ${pair#*:}(" || bad="$bad ${pair%%:*}"
    done
    if [ -z "$bad" ]; then
        result PASS "$1.syscalls" "sleeper in clock_nanosleep, reader in read, locker in futex"
    else
        result FAIL "$1.syscalls" "wrong or missing syscall for:$bad"
    fi
}

# no_chains_reason TARGET: why the call chains of TARGET cannot be checked, or nothing.
no_chains_reason() {
    case $1 in
        *_static) echo "static binary: libunwind 1.6.2 finds no unwind tables without" \
            ".eh_frame_hdr (known limitation, docs/arm64.md); only safety, names and JSON checked" ;;
    esac
}

check_chains() {  # check_chains TARGET FILE
    local why
    why=$(no_chains_reason "$1")
    if [ -n "$why" ]; then
        result SKIP "$1.chains" "$why"
        return
    fi
    if head -n 1 "$2" | grep -q "(no stacks)"; then
        result SKIP "$1.chains" "this threadlens takes no stacks yet (dump header says '(no stacks)')"
        return
    fi
    local bad=""
    has_chain "$2" vm-sleeper vm_sleep_inner vm_sleep_middle vm_sleep_outer || bad="$bad vm-sleeper"
    has_chain "$2" vm-locker vm_lock_inner vm_lock_outer || bad="$bad vm-locker"
    has_chain "$2" vm-reader vm_read_inner vm_read_outer || bad="$bad vm-reader"
    if [ -z "$bad" ]; then
        result PASS "$1.chains" "the three known call chains named in order"
    else
        result FAIL "$1.chains" "chain missing or out of order in:$bad"
        local th
        for th in $bad; do thread_section "$2" "$th"; done
    fi
    check "$1.libc_frames" "start_thread named below vm_sleep_outer (libc6-dbg)" \
        frames_after "$2" vm-sleeper vm_sleep_outer start_thread
}

check_not_stopped() {  # check_not_stopped TARGET PID WHEN
    local s
    s=$(stopped_tids "$2")
    if [ -z "$s" ]; then
        result PASS "$1.not_stopped_$3" "no thread left in state t/T"
    else
        result FAIL "$1.not_stopped_$3" "left stopped: $s"
    fi
}

stamp() {  # stamp WHAT: seconds since boot, to see where the time goes
    echo "TL-VM-TIME $(cut -d' ' -f1 /proc/uptime)s $1"
}

test_target() {  # test_target NAME
    local t=$1
    stamp "$t"
    if [ ! -x /tl/targets/"$t" ]; then
        result SKIP "$t" "not in this build (aarch64-only target; vm_chains_static is not built with sanitizers)"
        return
    fi
    if ! start_target "$t"; then
        result FAIL "$t.start" "did not print ready: $(cat /tmp/"$t".out)"
        return
    fi
    OUT=/tmp/"$t".txt
    run_dump "$TPID"
    echo "--- threadlens dump $t (exit $DUMP_RC) ---"
    cat "$OUT" /tmp/dump.err
    echo "--- end of dump ---"
    check "$t.exit" "dump exit code $DUMP_RC (0 = complete)" [ "$DUMP_RC" -eq 0 ]
    check_not_stopped "$t" "$TPID" text
    check_names "$t" "$OUT"
    check_syscalls "$t" "$OUT"
    check_chains "$t" "$OUT"
    OUT=/tmp/"$t".json
    run_dump --json "$TPID"
    check "$t.json_exit" "dump --json exit code $DUMP_RC" [ "$DUMP_RC" -eq 0 ]
    echo "TL-JSON-BEGIN $t"
    cat "$OUT"
    echo "TL-JSON-END $t"
    check_not_stopped "$t" "$TPID" json
    test_consistent "$t"
    kill -9 "$TPID" 2>/dev/null
}

test_consistent() {  # test_consistent TARGET: --consistent stops all threads together
    OUT=/tmp/"$1".consistent
    run_dump --consistent "$TPID"
    check "$1.consistent_exit" "dump --consistent exit code $DUMP_RC" [ "$DUMP_RC" -eq 0 ]
    check_not_stopped "$1" "$TPID" consistent
    if head -n 1 "$OUT" | grep -q "(no stacks)"; then
        result SKIP "$1.consistent_chains" "this threadlens takes no stacks yet"
        return
    fi
    [ -z "$(no_chains_reason "$1")" ] || return 0
    check "$1.consistent_chains" "the sleeper's chain named in order with --consistent" \
        has_chain "$OUT" vm-sleeper vm_sleep_inner vm_sleep_middle vm_sleep_outer
}

# has_chain_anywhere FILE F1 F2...: some thread's frames hold F1, F2, ... consecutively (a
# core keeps no thread names to find the thread by).
has_chain_anywhere() {
    local file=$1
    shift
    frame_functions <"$file" | awk -v want="$*" '
        BEGIN { n = split(want, w, " ") }
        { f[NR] = $0 }
        END {
            for (i = 1; i + n - 1 <= NR; i++) {
                ok = 1
                for (j = 1; j <= n; j++) if (f[i + j - 1] != w[j]) { ok = 0; break }
                if (ok) exit 0
            }
            exit 1
        }'
}

# A kernel core of vm_chains (ulimit -c, SIGABRT; the VM's own core_pattern) read by
# threadlens dump --core: the known chains, and the system calls from the registers and the
# kernel's NT_ARM_SYSTEM_CALL notes (x0 was rewound to the first argument).
test_core() {
    local t=vm_chains pid i=0 core
    stamp core
    if [ ! -x /tl/targets/$t ]; then
        result SKIP core "no $t in this build"
        return
    fi
    if ! echo "/tmp/core.%p" >/proc/sys/kernel/core_pattern; then
        result SKIP core "cannot set the VM's core_pattern"
        return
    fi
    (ulimit -c unlimited && exec /tl/targets/$t) >/tmp/core_target.out 2>&1 &
    pid=$!
    while [ $i -lt $READY_TRIES ] && ! grep -qx ready /tmp/core_target.out; do
        sleep 0.1
        i=$((i + 1))
    done
    if grep -q libasan "/proc/$pid/maps" 2>/dev/null; then
        kill -9 "$pid"
        wait "$pid" 2>/dev/null
        result SKIP core "an ASan build: ASan turns core dumps off (disable_coredump), and its shadow would fill the VM"
        return
    fi
    kill -ABRT "$pid"
    wait "$pid" 2>/dev/null
    core=/tmp/core.$pid
    if [ ! -s "$core" ]; then
        result FAIL core.written "the kernel wrote no $core"
        return
    fi
    OUT=/tmp/core.txt
    run_dump --core "$core"
    echo "--- threadlens dump --core $core (exit $DUMP_RC) ---"
    cat "$OUT" /tmp/dump.err
    echo "--- end of dump ---"
    check core.exit "dump --core exit code $DUMP_RC (0 = complete)" [ "$DUMP_RC" -eq 0 ]
    check core.threads "4 threads in the core" grep -q "1 process, 4 threads" "$OUT"
    check core.chain_sleeper "the sleeper's chain from the core" \
        has_chain_anywhere "$OUT" vm_sleep_inner vm_sleep_middle vm_sleep_outer
    check core.chain_locker "the locker's chain from the core" has_chain_anywhere "$OUT" vm_lock_inner vm_lock_outer
    check core.chain_reader "the reader's chain from the core" has_chain_anywhere "$OUT" vm_read_inner vm_read_outer
    case $(uname -m) in
    s390x | ppc64le)   # arch_core_syscall is not written for these ABIs yet (README, issue 21)
        result SKIP core.syscalls "system calls from a core's registers are not decoded on $(uname -m) yet"
        rm -f "$core"
        return ;;
    esac
    check core.syscalls "futex and read calls from the registers" \
        sh -c "grep -q 'syscall: futex(' $OUT && grep -q 'syscall: read(' $OUT"
    check core.fd "the reader's fd is not in the core" grep -q "on fd [0-9]* (not in the core)" "$OUT"
    check core.pause "the main thread's pause() (ppoll on no fds) is a sleep" \
        grep -q "waiting on: sleep (ppoll with no fds)" "$OUT"
    rm -f "$core"
}

CROWD_THREADS=500
[ -r /tl/config ] && . /tl/config   # written by run.sh (--crowd)

# Many threads: every one listed, none left stopped, one at a time and all together.
test_crowd() {
    local want=$((CROWD_THREADS + 2)) mode   # main + sleepers + heartbeat
    local DUMP_TIMEOUT=$CROWD_DUMP_TIMEOUT   # run_dump's bound, for this test's dumps
    if [ ! -x /tl/targets/crowd ] || [ "$CROWD_THREADS" -eq 0 ]; then
        result SKIP crowd "the crowd target is not in this build or run.sh --crowd 0"
        return
    fi
    if ! start_target crowd "$CROWD_THREADS"; then
        result FAIL crowd.start "did not print ready: $(cat /tmp/crowd.out)"
        return
    fi
    for mode in --stats --consistent; do
        OUT=/tmp/crowd$mode.txt
        run_dump $mode "$TPID"
        check "crowd$mode.exit" "dump $mode of $want threads, exit code $DUMP_RC" [ "$DUMP_RC" -eq 0 ]
        check "crowd$mode.threads" "header counts $want threads" grep -q "1 process, $want threads" "$OUT"
        check_not_stopped crowd "$TPID" "${mode#--}"
    done
    grep '^Stall:' /tmp/crowd--stats.txt | sed 's/^/TL-VM-STATS crowd: /'
    kill -9 "$TPID" 2>/dev/null
}

# The cmocka unit tests, when the build has them: 0 pass, 77 skip (with its reason), else fail.
run_unit_tests() {
    local u name rc
    for u in /tl/unit/test_*; do
        [ -x "$u" ] || continue
        name=unit.${u##*/}
        TL_SYMBOL_SAMPLE_EVERY=16 timeout "$UNIT_TIMEOUT" "$u" >/tmp/unit.out 2>&1
        rc=$?
        case $rc in
            0) result PASS "$name" "$(grep -c '^\[       OK \]' /tmp/unit.out) cmocka tests passed" ;;
            77) result SKIP "$name" "$(tail -n 1 /tmp/unit.out)" ;;
            *) result FAIL "$name" "exit $rc"; sed 's/^/  | /' /tmp/unit.out ;;
        esac
    done
}

echo "TL-VM-START $(uname -m) $(uname -r) cpu-features:$(grep -m1 Features /proc/cpuinfo | cut -d: -f2)"
grep -qw paca /proc/cpuinfo && echo "TL-VM-PAC yes" || echo "TL-VM-PAC no"
threadlens --version 2>&1 | sed 's/^/TL-VM-VERSION /'
for t in $(cat /tl/targets.list); do
    test_target "$t"
done
for p in $TARGET_PIDS; do kill -9 "$p" 2>/dev/null; done
stamp crowd
test_crowd
test_core
stamp "unit tests"
run_unit_tests
stamp end
echo "TL-SUMMARY pass=$NPASS fail=$NFAIL skip=$NSKIP"
sync
poweroff -f
