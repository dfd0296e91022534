/* Shared by the two callers of the thread reader (thread_read.h): counters.c (dumps: the task
 * directory opened once) and counters_live.c (kept descriptors, for the live view). Internal
 * to the backend. */
#ifndef THREADLENS_COUNTERS_H
#define THREADLENS_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>

#include "live_tasks.h"
#include "proc_parse.h"
#include "threadlens/error.h"
#include "threadlens/model.h"

/* Thread tid's system call, named; task_dir: an open /proc/PID/task or -1 (full paths).
 * TL_ENOENT: it exited; TL_EPERM: not allowed; TL_EIO: unreadable text. */
tl_status counters_read_syscall(int task_dir, int pid, int tid, tl_syscall *out);

/* What a pass over p's threads says: PARTIAL when some exited meanwhile (gone) or their calls
 * were not readable (denied). */
tl_status counters_threads_result(const tl_process *p, size_t gone, bool denied, tl_error *err);

/* platform_read_threads of a live reader. */
tl_status counters_read_threads_live(live_cache *c, long ticks_per_s, tl_process *p, tl_error *err);

#endif
