/* What `threadlens metrics` and its HTTP server share: a sampler kept open across samples
 * (incremental: each thread's /proc files stay open) and one sample = two takes a window apart. */
#ifndef THREADLENS_METRICS_SAMPLE_H
#define THREADLENS_METRICS_SAMPLE_H

#include <stdio.h>

#include "threadlens/metrics.h"
#include "threadlens/sampler.h"

typedef struct metrics_ctx {
    tl_sampler *sampler;
    tl_metrics_target *targets;   /* one per PID given */
    size_t ntargets;
    unsigned interval_ms;         /* the window of the blocked-thread count */
    bool per_thread;
} metrics_ctx;

/* Takes two snapshots interval_ms apart and writes the OpenMetrics text to out. TL_OK or
 * TL_PARTIAL (something could not be read, or a target is gone: the text says which is down);
 * TL_ENOENT when every target is gone (the text says so too); other codes: nothing usable. */
tl_status metrics_sample_write(metrics_ctx *c, FILE *out, tl_error *err);

/* Serves GET /metrics on addr ("HOST:PORT", "[V6]:PORT") until SIGINT or SIGTERM; a
 * non-loopback address is refused unless any_address. Returns the exit code. */
int http_serve_metrics(metrics_ctx *c, const char *addr, bool any_address);

#endif
