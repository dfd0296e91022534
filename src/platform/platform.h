/* The one interface between the core and the operating system. Exactly one backend folder
 * (src/platform/linux, src/platform/unsupported, ...) implements it, chosen by the build.
 * The backend reads and captures; it never formats and never prints. */
#ifndef THREADLENS_PLATFORM_H
#define THREADLENS_PLATFORM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "threadlens/error.h"
#include "threadlens/model.h"

/* ---- counters: read-only, never stops anything ---------------------------------------- */

/* Per-sampler state of the backend (e.g. libproc2 handles). Not for concurrent use. */
typedef struct platform_reader platform_reader;

tl_status platform_reader_open(platform_reader **out, tl_error *err);
void platform_reader_close(platform_reader *r);

/* Clock facts for the snapshot header. */
uint64_t platform_uptime_ms(void);
long platform_clock_ticks(void);

/* Direct children of every thread of pid; *out is malloc'd (free it). */
tl_status platform_list_children(int pid, int **out, size_t *n, tl_error *err);

/* Process-level fields of p (p->pid must be set). TL_ENOENT when it is gone. */
tl_status platform_read_process(platform_reader *r, tl_process *p, tl_error *err);

/* Every thread of p with its counters, wchan and current syscall. TL_PARTIAL when some thread
 * could not be fully read (it exited meanwhile); p->threads is still filled. */
tl_status platform_read_threads(platform_reader *r, tl_process *p, tl_error *err);

/* Re-reads one thread's current system call (the wait analysis uses it to drop torn reads). */
tl_status platform_read_syscall(int pid, int tid, tl_syscall *out);

/* Copies target memory without stopping anything. Returns bytes read, -1 on error. */
ssize_t platform_read_memory(int pid, uint64_t addr, void *buf, size_t len);

#endif
