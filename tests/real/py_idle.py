# Idle Python threads (issue 14: stacks compared with gdb): three wait on an Event, two on a
# queue, one sleeps; the main thread sleeps. Prints "ready".
import queue
import threading
import time

ev = threading.Event()
q = queue.Queue()
for _ in range(3):
    threading.Thread(target=ev.wait, daemon=True).start()
for _ in range(2):
    threading.Thread(target=q.get, daemon=True).start()
threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
time.sleep(0.2)
print("ready", flush=True)
time.sleep(3600)
