/* One metrics sample: two takes of the same incremental sampler, a window apart. */
#include "metrics_sample.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "threadlens/history.h"

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static void mark_targets(metrics_ctx *c)
{
    for (size_t i = 0; i < c->ntargets; i++)
        c->targets[i].up = !c->roots[i].gone;
}

tl_status metrics_open(metrics_ctx *c, tl_error *err)
{
    sampler_close(c->sampler);
    c->sampler = NULL;
    int *pids = malloc((c->ntargets ? c->ntargets : 1) * sizeof *pids);
    if (!pids)
        return tl_error_set(err, TL_ENOMEM, "out of memory opening the sampler");
    size_t n = 0;
    for (size_t i = 0; i < c->ntargets; i++)
        if (!c->roots[i].gone)
            pids[n++] = c->targets[i].pid;
    tl_status st = n ? sampler_open(&c->sampler, pids, n, &c->options, err) : TL_OK;
    free(pids);
    return st;
}

/* Notes which targets are gone in now (NULL: all); true when one went this time. */
static bool find_gone(metrics_ctx *c, const tl_snapshot *now)
{
    bool went = false;
    for (size_t i = 0; i < c->ntargets; i++) {
        metrics_root *r = &c->roots[i];
        if (r->gone)
            continue;
        const tl_process *p = now ? model_find_process(now, c->targets[i].pid) : NULL;
        if (p && !r->seen) {
            r->seen = true;
            r->start_time_ms = p->start_time_ms;
        }
        r->gone = !p || p->start_time_ms != r->start_time_ms;
        went = went || r->gone;
    }
    return went;
}

/* Two takes a window apart into *before and *now; the later take's status. */
static tl_status take_window(metrics_ctx *c, tl_snapshot **before, tl_snapshot **now, tl_error *err)
{
    *before = *now = NULL;
    if (!c->sampler)
        return tl_error_set(err, TL_ENOENT, "every process given has exited");
    tl_status st = sampler_take(c->sampler, before, err);
    if (st == TL_OK || st == TL_PARTIAL) {
        sleep_ms(c->interval_ms);
        st = sampler_take(c->sampler, now, err);
    }
    return st;
}

tl_status metrics_sample_write(metrics_ctx *c, FILE *out, tl_error *err)
{
    tl_snapshot *before, *now;
    tl_status st = take_window(c, &before, &now, err);
    if (!now && st != TL_ENOENT) {
        snapshot_free(before);
        return st;
    }
    if (find_gone(c, now)) {   /* sample again without them: a reused PID is someone else */
        snapshot_free(before);
        snapshot_free(now);
        before = now = NULL;
        tl_status ost = metrics_open(c, err);
        if (ost != TL_OK)
            return ost;
        if (c->sampler)
            st = take_window(c, &before, &now, err);
        else if (st != TL_ENOENT)   /* else err already says which PID is missing */
            st = tl_error_set(err, TL_ENOENT, "every process given has exited (or its PID names another now)");
        if (!now && st != TL_ENOENT) {
            snapshot_free(before);
            return st;
        }
        find_gone(c, now);
    }
    mark_targets(c);
    if (c->per_thread && before && now) {
        tl_status hst = history_pair(before, now, err);
        if (hst != TL_OK) {
            snapshot_free(before);
            snapshot_free(now);
            return hst;
        }
    }
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
