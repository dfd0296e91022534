/* What `threadlens metrics` and its HTTP server share: a sampler kept open across samples
 * (incremental: each thread's /proc files stay open) and one sample = two takes a window apart. */
#ifndef THREADLENS_METRICS_SAMPLE_H
#define THREADLENS_METRICS_SAMPLE_H

#include <stdio.h>

#include "threadlens/metrics.h"
#include "threadlens/sampler.h"

/* What is known of a PID given on the command line, to tell it from a later process that gets
 * the same PID: once gone, a target stays gone. */
typedef struct metrics_root {
    bool seen, gone;
    uint64_t start_time_ms;       /* when first seen */
} metrics_root;

typedef struct metrics_ctx {
    tl_sampler *sampler;          /* over the targets not gone; NULL once all are */
    tl_sampler_options options;   /* to open it again without the gone ones */
    tl_metrics_target *targets;   /* one per PID given */
    metrics_root *roots;          /* the same order */
    size_t ntargets;
    unsigned interval_ms;         /* the window of the blocked-thread count */
    bool per_thread;
} metrics_ctx;

/* Opens c->sampler over the targets not gone (NULL when none is left). */
tl_status metrics_open(metrics_ctx *c, tl_error *err);

/* Takes two snapshots interval_ms apart and writes the OpenMetrics text to out. A target that
 * is missing, or whose PID now names a process started at another time (a reused PID), is gone
 * for good: the sampler is opened again without it and the sample taken again. TL_OK or
 * TL_PARTIAL (something could not be read, or a target is gone: the text says which is down);
 * TL_ENOENT when every target is gone (the text says so too); other codes: nothing usable. */
tl_status metrics_sample_write(metrics_ctx *c, FILE *out, tl_error *err);

/* Serves GET /metrics on addr ("HOST:PORT", "[V6]:PORT") until SIGINT or SIGTERM; a
 * non-loopback address is refused unless any_address. Returns the exit code. */
int http_serve_metrics(metrics_ctx *c, const char *addr, bool any_address);

#endif
