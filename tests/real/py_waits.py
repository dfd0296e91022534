"""Python programs that wait on their own pipes (tests/integration/test_waits_real_python.sh).

Usage: py_waits.py MODE. Prints "tid=<tid of the waiting thread>" (and, for "outside",
"child=<pid>"), then "ready" just before the thread blocks.
  asyncio    asyncio.run(asyncio.sleep(600)): an idle event loop on its self-pipe (a socketpair)
  selfpipe   the main thread reads a pipe whose write end is signal.set_wakeup_fd's
  thread     the same in a second thread; the main thread joins it
  timedpoll  poll() with a timeout on its own pipe
  nohandler  no signal handler at all, reads its own pipe: a real self-deadlock
  outside    a child reads its own pipe with no handler; the parent keeps the write end too
"""
import asyncio
import os
import select
import signal
import sys
import threading


def ready(**fields):
    for k, v in fields.items():
        print(f"{k}={v}", flush=True)
    print("ready", flush=True)


def read_forever(r):
    while True:
        os.read(r, 1)


def self_pipe():
    r, w = os.pipe()
    os.set_blocking(w, False)
    signal.set_wakeup_fd(w)
    signal.signal(signal.SIGTERM, lambda *a: None)
    return r


def no_handlers():
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    r, w = os.pipe()
    return r


async def idle():
    ready(tid=threading.get_native_id())
    await asyncio.sleep(600)


def main(mode):
    if mode == "asyncio":
        asyncio.run(idle())
    elif mode == "selfpipe":
        r = self_pipe()
        ready(tid=threading.get_native_id())
        read_forever(r)
    elif mode == "thread":
        r = self_pipe()
        started = threading.Event()
        tids = []

        def reader():
            tids.append(threading.get_native_id())
            started.set()
            read_forever(r)

        t = threading.Thread(target=reader, name="pipe-reader")
        t.start()
        started.wait()
        ready(tid=tids[0])
        t.join()
    elif mode == "timedpoll":
        r, w = os.pipe()
        p = select.poll()
        p.register(r, select.POLLIN)
        ready(tid=threading.get_native_id())
        while True:
            p.poll(600000)
    elif mode == "nohandler":
        r = no_handlers()
        ready(tid=threading.get_native_id())
        read_forever(r)
    elif mode == "outside":
        r, w = os.pipe()
        child = os.fork()
        if child == 0:
            import ctypes
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG: die with the parent
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            read_forever(r)
        ready(child=child)
        signal.pause()
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1])
