/* Analysis of snapshots: pure functions of the model, no I/O. */
#ifndef THREADLENS_ANALYSIS_H
#define THREADLENS_ANALYSIS_H

#include "threadlens/error.h"
#include "threadlens/model.h"

/* Builds the wait-for graph from every thread's `wait` and stores its cycles in s->deadlocks
 * (marking their threads in_deadlock). */
tl_status analysis_find_deadlocks(tl_snapshot *s, tl_error *err);

/* Per-thread rates between two snapshots of the same target. */
typedef struct tl_thread_rate {
    double cpu_percent;        /* of one CPU */
    double ctxt_per_second;    /* voluntary + involuntary */
} tl_thread_rate;

/* Rates of one thread between two of its samples `seconds` apart (zeros when `before` is NULL,
 * or its start time differs: a reused tid). */
tl_thread_rate analysis_rate_between(const tl_thread *before, const tl_thread *now, double seconds);

/* Rate of thread `cur` (in snapshot `now`) against the same tid in `before` (NULL: zeros).
 * A tid whose start time differs is a reused tid and gets zeros. */
tl_thread_rate analysis_thread_rate(const tl_snapshot *before, const tl_snapshot *now,
                                    const tl_thread *cur);

#endif
