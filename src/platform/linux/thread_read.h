/* The one reader of a thread's counters, for every path of the Linux backend: the dump
 * (counters.c), the stack pass's identity check (platform_thread_start_ms) and the live view's
 * kept descriptors (counters_live.c) all parse stat and status here, the same way; a
 * process's own stat goes through the same proc_parse_stat (counters.c). Internal to the backend. */
#ifndef THREADLENS_THREAD_READ_H
#define THREADLENS_THREAD_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "proc_parse.h"
#include "threadlens/error.h"
#include "threadlens/model.h"

/* The text of a task's stat into t: state, CPU times (clock ticks to ms at ticks_per_s),
 * faults, last CPU, priority, nice, policy, RT priority, start time, and the name (stat's
 * comm: the raw bytes, the same as status's Name without its escapes). TL_EIO when the text is
 * malformed, TL_ENOMEM. */
tl_status thread_read_fill_stat(long ticks_per_s, const char *text, tl_thread *t);

/* The same from stat's fields already parsed (the live reader keeps a quiet thread's). */
tl_status thread_read_fill_stat_fields(long ticks_per_s, const proc_stat_fields *f, tl_thread *t);

/* Context switches and the blocked-signal mask from parsed status fields. TL_ENOMEM. */
tl_status thread_read_fill_status(const proc_status_fields *sf, tl_thread *t);

/* What thread_read_counters reads besides stat and wchan. */
enum { THREAD_READ_STATUS = 1, THREAD_READ_SCHEDSTAT = 2 };

/* Thread tid of process pid through task_dir (an open /proc/PID/task, -1: full paths): stat
 * and wchan, and as `what` asks status (context switches, signal mask) and schedstat
 * (t->sched). One open and read of each file. TL_ENOENT: it exited; TL_ENOMEM; TL_EIO:
 * unreadable text. */
tl_status thread_read_counters(int task_dir, int pid, int tid, long ticks_per_s, unsigned what, tl_thread *t);

/* t->wchan of thread t->tid: the kernel function it waits in, its leading underscores dropped
 * (as ps and libproc2 show it: do_sys_poll), NULL when it waits in none or the name is not
 * ours to see. TL_ENOMEM. */
tl_status thread_read_wchan(int task_dir, int pid, tl_thread *t);

/* Thread tid's start time since boot in ms, from its stat (the same parser). TL_ENOENT: it
 * exited; TL_EIO: unreadable text. */
tl_status thread_read_start_ms(int task_dir, int pid, int tid, long ticks_per_s, uint64_t *ms);

#endif
