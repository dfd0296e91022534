/* Metrics for Prometheus: the OpenMetrics text format of a process tree (threadlens metrics).
 * Every family is a gauge, so one text is valid OpenMetrics 1.0 (what Prometheus asks a
 * server for) and valid Prometheus text 0.0.4 (what promtool and node_exporter's textfile
 * collector read): a counter's TYPE line is named differently in the two. */
#ifndef THREADLENS_METRICS_H
#define THREADLENS_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "threadlens/error.h"
#include "threadlens/model.h"

/* A PID given on the command line, and whether it could be read this time. */
typedef struct tl_metrics_target {
    int pid;
    bool up;
} tl_metrics_target;

typedef struct tl_metrics_options {
    bool per_thread;                  /* per-thread families (TIDs are unbounded label values) */
    double window_seconds;            /* between the two snapshots (blocked threads) */
    const tl_metrics_target *targets;
    size_t ntargets;
} tl_metrics_options;

/* A thread stayed blocked over the window between two of its samples: the same thread (same
 * start time), not running (S or D) in either, and never scheduled in between (the same
 * context-switch counts and CPU time). before may be NULL (a new thread: false). */
bool metrics_stayed_blocked(const tl_thread *before, const tl_thread *now);

/* A thread waits on a lock: a mutex (normal or priority-inheritance) or a rwlock. */
bool metrics_waits_on_lock(const tl_thread *t);

/* Writes the OpenMetrics text, ending in "# EOF". now is the later snapshot (NULL when every
 * target is gone: only threadlens_target_up is written), before the earlier one of the window
 * (NULL: no blocked-thread family). TL_EIO when writing failed. */
tl_status format_openmetrics(FILE *out, const tl_snapshot *before, const tl_snapshot *now,
                             const tl_metrics_options *o, tl_error *err);

/* The media type of that text, for an HTTP Content-Type. */
#define TL_OPENMETRICS_CONTENT_TYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"

#endif
