/* What changed between two snapshots of the same processes (threadlens diff A B): pure
 * analysis, no I/O. Entries point into the two snapshots (names are raw: escape them); free
 * the diff before them. */
#ifndef THREADLENS_SNAPDIFF_H
#define THREADLENS_SNAPDIFF_H

#include <stddef.h>
#include <stdint.h>

#include "threadlens/error.h"
#include "threadlens/model.h"

typedef enum tl_change_kind {
    TL_CHANGE_PROCESS_NEW, TL_CHANGE_PROCESS_ENDED,
    TL_CHANGE_THREAD_NEW, TL_CHANGE_THREAD_ENDED,
    TL_CHANGE_STATE,              /* old_state -> new_state */
    TL_CHANGE_STACK,              /* its top frames or its wait changed */
    TL_CHANGE_GROUP,              /* a stack group (by its frames) grew or shrank */
    TL_CHANGE_DEADLOCK_NEW, TL_CHANGE_DEADLOCK_CLEARED,
} tl_change_kind;

typedef struct tl_change {
    tl_change_kind kind;
    int pid, tid;                 /* tid 0 for process-level changes */
    const char *name;             /* thread (or process) name, from whichever dump has it */
    char old_state, new_state;
    char *old_top, *new_top;      /* "f < g < h" (top frames), NULL when none; malloc'd */
    const char *old_wait, *new_wait;  /* wait descriptions, NULL when none */
    size_t old_count, new_count;  /* groups: threads in it */
    const tl_deadlock *deadlock;  /* the cycle, in A (cleared) or B (new) */
} tl_change;

typedef struct tl_cpu_use {
    int pid, tid;                 /* tid 0: a whole process */
    const char *name;
    uint64_t ms;                  /* CPU used from A to B */
} tl_cpu_use;

#define TL_DIFF_TOP_CPU 10

typedef struct tl_snapdiff {
    tl_change *changes;
    size_t nchanges;
    tl_cpu_use top_threads[TL_DIFF_TOP_CPU];   /* most CPU first, only those that used some */
    size_t ntop_threads;
    tl_cpu_use *procs;            /* per process in both dumps, in B's order */
    size_t nprocs;
    int64_t elapsed_ms;           /* B taken - A taken */
} tl_snapdiff;

/* TL_EINVAL when a and b are not dumps of the same processes (their first process differs in
 * PID or start time): err says so. */
tl_status snapdiff_build(const tl_snapshot *a, const tl_snapshot *b, tl_snapdiff **out, tl_error *err);
void snapdiff_free(tl_snapdiff *d);

#endif
