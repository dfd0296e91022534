#!/usr/bin/env bash
# gdb-wait-objects.sh PID: the object each thread of PID waits on, as gdb sees it from glibc's
# frames (libc6-dbg gives their arguments): one "TID ADDRESS" line per thread blocked in
# pthread_cond_*wait / sem_*wait / pthread_rwlock_*lock, the address being the `cond`, `sem` or
# `rwlock` argument of the outermost such frame (the public entry point: inner inlined frames
# may show other registers' values). Used to check threadlens's addresses against gdb's.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 PID" >&2; exit 2; }
timeout 120 gdb -nx -batch -p "$1" -ex 'set pagination off' -ex 'thread apply all bt' 2>/dev/null |
    awk '
        /^Thread [0-9]+ \(Thread .*\(LWP [0-9]+\)/ {
            if (tid != "" && addr != "") print tid, addr
            tid = $0; sub(/.*\(LWP /, "", tid); sub(/\).*/, "", tid); addr = ""
            next
        }
        /^#[0-9]+ / && match($0, /[(, ](cond|sem|rwlock)=([a-z]+@entry=)?0x[0-9a-f]+/) {
            a = substr($0, RSTART, RLENGTH); sub(/.*0x/, "0x", a); addr = a
        }
        END { if (tid != "" && addr != "") print tid, addr }
    '
