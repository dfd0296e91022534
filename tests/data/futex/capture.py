#!/usr/bin/env python3
"""Saves the futex window of a blocked thread for the unit tests (test_waits_futex_saved.c).

Usage: capture.py PID TID EXPECT_KIND EXPECT_ADDR [OWNER] > NAME.txt (as root, or the target's
owner with ptrace allowed). Reads the thread's futex call from /proc/PID/task/TID/syscall and
the 48 bytes before and 24 from the futex word from /proc/PID/mem, as threadlens copies them.
"""
import os
import sys

pid, tid, kind, addr = sys.argv[1:5]
owner = sys.argv[5] if len(sys.argv) > 5 else "0"
fields = open(f"/proc/{pid}/task/{tid}/syscall").read().split()
nr, args = int(fields[0]), [int(a, 16) for a in fields[1:7]]
futex_addr = args[0]
fd = os.open(f"/proc/{pid}/mem", os.O_RDONLY)
data = os.pread(fd, 72, futex_addr - 48)
os.close(fd)
comm = open(f"/proc/{pid}/comm").read().strip()
name = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
print(f"# {comm} thread \"{name}\", glibc 2.36 x86_64 (tests/data/futex/capture.py)")
print(f"nr {nr}")
print("args " + " ".join(hex(a) for a in args))
print("window " + data.hex())
print(f"live {tid} {owner}")
print(f"expect {kind} {addr} {owner}")
