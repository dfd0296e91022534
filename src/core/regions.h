/* Shared versus private state: classifies a process's memory map and finds each thread's own
 * stack in it. Internal to the core; the sampler reads the regions with the counters (before
 * any stop) and attributes stacks after the stack pass (which may bring registers). */
#ifndef THREADLENS_REGIONS_H
#define THREADLENS_REGIONS_H

#include <stdint.h>

#include "threadlens/error.h"
#include "threadlens/model.h"

/* Reads and classifies the shared state of every process of snap (only of only_pid when it is
 * not 0). TL_PARTIAL (with notes in snap) when some process's state is incomplete; TL_ENOMEM
 * stops. */
tl_status regions_read(tl_snapshot *snap, int only_pid, tl_error *err);

/* Classes every region from its path and permissions (pure). */
void regions_classify(tl_shared *sh);

/* The region holding addr, or NULL (binary search: regions are sorted). */
tl_region *regions_find(tl_shared *sh, uint64_t addr);

/* Fills t->priv from its registers or its syscall file and marks its stack region. */
void regions_thread_private(tl_thread *t, tl_shared *sh, int pid);

/* Recomputes sh->by_class from the regions. */
void regions_sum(tl_shared *sh);

/* Per process: every thread's private part, stack regions, class totals. Adds a note when the
 * stacks of some threads could not be told apart from heap. */
void regions_attribute(tl_snapshot *snap);

#endif
