/* One metrics sample: two takes of the same incremental sampler, a window apart. */
#include "metrics_sample.h"

#include <errno.h>
#include <time.h>

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static void mark_targets(metrics_ctx *c, const tl_snapshot *now)
{
    for (size_t i = 0; i < c->ntargets; i++)
        c->targets[i].up = now && model_find_process(now, c->targets[i].pid) != NULL;
}

static bool gone(tl_status st)
{
    return st == TL_ENOENT;
}

tl_status metrics_sample_write(metrics_ctx *c, FILE *out, tl_error *err)
{
    tl_snapshot *before = NULL, *now = NULL;
    tl_status st = sampler_take(c->sampler, &before, err);
    if (st == TL_OK || st == TL_PARTIAL) {
        sleep_ms(c->interval_ms);
        st = sampler_take(c->sampler, &now, err);
    }
    if (!now && !gone(st)) {
        snapshot_free(before);
        return st;
    }
    mark_targets(c, now);
    tl_metrics_options o = {
        .per_thread = c->per_thread,
        .window_seconds = c->interval_ms / 1000.0,
        .targets = c->targets,
        .ntargets = c->ntargets,
    };
    tl_error werr = {0};
    tl_status wst = format_openmetrics(out, before, now, &o, &werr);
    snapshot_free(before);
    snapshot_free(now);
    if (wst != TL_OK) {
        if (err)
            *err = werr;
        return wst;
    }
    for (size_t i = 0; i < c->ntargets && st == TL_OK; i++)
        if (!c->targets[i].up)
            st = TL_PARTIAL;
    return st;
}
