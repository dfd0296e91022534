/* Shared by the two thread readers of the Linux backend: counters.c (libproc2, for dumps) and
 * counters_live.c (kept descriptors, for the live view). Internal to the backend. */
#ifndef THREADLENS_COUNTERS_H
#define THREADLENS_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>

#include "live_tasks.h"
#include "proc_parse.h"
#include "threadlens/error.h"
#include "threadlens/model.h"

/* The fields of a task's stat into t (clock ticks to ms at ticks_per_s). */
void counters_fill_from_stat(long ticks_per_s, const proc_stat_fields *f, tl_thread *t);

/* Thread tid's system call, named; task_dir: an open /proc/PID/task or -1 (full paths).
 * TL_ENOENT: it exited; TL_EPERM: not allowed; TL_EIO: unreadable text. */
tl_status counters_read_syscall(int task_dir, int pid, int tid, tl_syscall *out);

/* What a pass over p's threads says: PARTIAL when some exited meanwhile (gone) or their calls
 * were not readable (denied). */
tl_status counters_threads_result(const tl_process *p, size_t gone, bool denied, tl_error *err);

/* platform_read_threads of a live reader. */
tl_status counters_read_threads_live(live_cache *c, long ticks_per_s, tl_process *p, tl_error *err);

#endif
