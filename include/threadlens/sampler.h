/* The sampler: opens a target (one or more root PIDs) and takes snapshots of it.
 * Order inside one take: discover the process tree, read every thread's counters from /proc,
 * with `regions` read each process's map, fds and signal handlers (no stops),
 * observe what each thread waits on (no stops), then capture stacks (one thread stopped at a
 * time unless `consistent`), with `regions` find each thread's stack mapping from its SP,
 * then run the analysis. /proc is read before anything is stopped
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
    bool jvm;                 /* attach to HotSpot JVMs for their Java view (default true) */
    bool regions;             /* read what threads share (maps, smaps_rollup, fds, signal
                               * handlers) and own (stack mapping, pc/sp/tls) (default false) */
    int regions_pid;          /* with regions: only this process (0: every process, default) */
    unsigned max_frames;      /* per thread (default 256) */
    size_t max_stack_bytes;   /* cap on the stack bytes copied per thread (default 512 KiB) */
    size_t max_processes;     /* bound on the tree walk (default 4096) */
    const int *stack_tids;    /* with stacks: take them only for these threads (the live view's
                               * selected thread); NULL/0 = every thread. Caller owns the array. */
    size_t nstack_tids;
    bool incremental;         /* for repeated takes of the same target (the live view), read at
                               * sampler_open: keeps each thread's /proc files open between
                               * takes, and a thread that has not run since the previous take
                               * keeps that take's system call, wait channel and wait (every
                               * thread is re-read at least every 10th take, or as
                               * calls_refresh_every says; the stack_tids threads always are).
                               * Default false. */
    bool one_stop;            /* with stacks, not consistent: never interrupt the next thread
                               * ahead while one is stopped, so that at most one thread of a
                               * process is stopped at any time (threadlens record; default false) */
    struct tl_snapshot *stacks_since;  /* with stacks: an earlier take of this sampler. Stacks are
                               * then taken only for threads that ran since (context switches
                               * beyond the two a stop of ours adds, running, or new); the others'
                               * frames are moved out of it into the new take, unstopped (their
                               * count: the new take's window.stops_saved). NULL: all. */
    bool skip_quiet;          /* with incremental, read at sampler_open: a thread whose schedstat
                               * shows it was not scheduled in since the previous take keeps that
                               * take's counters, state and name (stat, status and children are
                               * not read); each thread is read in full at least once a second,
                               * so a rename or nice change of a sleeper shows within a second
                               * (threadlens record; default false: the live view sees them at once).
                               * The hang guard's smaps ranges are then kept 2 s, not 0.5 s, and
                               * the periodic refresh of a sleeper's calls analyses its wait again
                               * from the copied system call, reading no file. */
    unsigned calls_refresh_every;  /* with incremental: a thread that has not run gets its system
                               * call and wait read again every this many takes (0: every 10th) */
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
