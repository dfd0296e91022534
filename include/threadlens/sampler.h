/* The sampler: opens a target (one or more root PIDs) and takes snapshots of it.
 * Order inside one take: discover the process tree, read every thread's counters from /proc,
 * observe what each thread waits on (no stops), then capture stacks (one thread stopped at a
 * time unless `consistent`), then run the analysis. /proc is read before anything is stopped
 * because a ptrace stop changes what /proc shows (wchan reads do_syscall_64 afterwards). */
#ifndef THREADLENS_SAMPLER_H
#define THREADLENS_SAMPLER_H

#include <stdbool.h>
#include <stddef.h>

#include "threadlens/error.h"
#include "threadlens/model.h"

typedef struct tl_sampler_options {
    bool children;            /* include descendant processes (default true) */
    bool stacks;              /* capture native stacks (default true) */
    bool waits;               /* analyse what threads wait on (default true) */
    bool consistent;          /* stop all threads of a process together (default false) */
    unsigned max_frames;      /* per thread (default 256) */
    size_t max_stack_bytes;   /* cap on the stack bytes copied per thread (default 512 KiB) */
    size_t max_processes;     /* bound on the tree walk (default 4096) */
} tl_sampler_options;

typedef struct tl_sampler tl_sampler;

void sampler_default_options(tl_sampler_options *o);

/* TL_ENOENT when none of the pids exists; one missing among several is a note, not an error. */
tl_status sampler_open(tl_sampler **out, const int *pids, size_t npids,
                       const tl_sampler_options *o, tl_error *err);

/* On TL_OK or TL_PARTIAL *out is a snapshot to free with snapshot_free(); on other codes
 * *out is NULL and err says why. */
tl_status sampler_take(tl_sampler *s, tl_snapshot **out, tl_error *err);

/* Changes options between takes (e.g. the UI turning all stacks on). */
void sampler_set_options(tl_sampler *s, const tl_sampler_options *o);
const tl_sampler_options *sampler_options(const tl_sampler *s);

void sampler_close(tl_sampler *s);

#endif
