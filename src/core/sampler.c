#include "threadlens/sampler.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "carry.h"
#include "platform/platform.h"
#include "process_tree.h"
#include "regions.h"
#include "stacks.h"
#include "stacks_reuse.h"
#include "stacks_subset.h"
#include "jvm/jvm.h"
#include "threadlens/analysis.h"
#include "waits.h"

struct tl_sampler {
    int *roots;
    size_t nroots;
    tl_sampler_options opt;
    platform_reader *reader;
    stacks_ctx *stacks;
    carry *carry;                 /* incremental samplers only */
};

void sampler_default_options(tl_sampler_options *o)
{
    memset(o, 0, sizeof *o);
    o->children = true;
    o->stacks = true;
    o->waits = true;
    o->jvm = true;
    o->max_frames = 256;
    o->max_stack_bytes = 512 * 1024;
    o->max_processes = 4096;
}

tl_status sampler_open(tl_sampler **out, const int *pids, size_t npids,
                       const tl_sampler_options *o, tl_error *err)
{
    *out = NULL;
    if (npids == 0)
        return tl_error_set(err, TL_EINVAL, "no PID given");
    tl_sampler *s = calloc(1, sizeof *s);
    if (!s || !(s->roots = malloc(npids * sizeof *s->roots))) {
        free(s);
        return tl_error_set(err, TL_ENOMEM, "out of memory opening the sampler");
    }
    memcpy(s->roots, pids, npids * sizeof *pids);
    s->nroots = npids;
    if (o)
        s->opt = *o;
    else
        sampler_default_options(&s->opt);
    tl_status st = platform_reader_open(&s->reader, s->opt.incremental, err);
    if (st == TL_OK)
        st = stacks_open(&s->stacks, err);
    if (st == TL_OK && s->opt.incremental)
        platform_reader_skip_quiet(s->reader, s->opt.skip_quiet);
    if (st == TL_OK && s->opt.incremental && !(s->carry = carry_new(s->opt.calls_refresh_every, s->opt.skip_quiet)))
        st = tl_error_set(err, TL_ENOMEM, "out of memory opening the sampler");
    if (st != TL_OK) {
        sampler_close(s);
        return st;
    }
    *out = s;
    return TL_OK;
}

void sampler_set_options(tl_sampler *s, const tl_sampler_options *o)
{
    bool incremental = s->opt.incremental;   /* fixed at sampler_open */
    s->opt = *o;
    s->opt.incremental = incremental;
}

const tl_sampler_options *sampler_options(const tl_sampler *s)
{
    return &s->opt;
}

void sampler_close(tl_sampler *s)
{
    if (!s)
        return;
    stacks_close(s->stacks);
    platform_reader_close(s->reader);
    carry_free(s->carry);
    free(s->roots);
    free(s);
}

static uint64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void stamp(tl_snapshot *snap)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snap->taken_unix_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    snap->monotonic_ns = monotonic_ns();
    snap->uptime_ms = platform_uptime_ms();
    snap->clock_ticks = platform_clock_ticks();
}

/* Folds a stage's result into the take's: PARTIAL is remembered, hard errors stop. */
static bool stage_ok(tl_snapshot *snap, tl_status st, const tl_error *stage_err)
{
    if (st == TL_OK)
        return true;
    if (st == TL_PARTIAL) {
        snap->partial = true;
        if (stage_err->msg[0])
            snapshot_add_note(snap, "%s", stage_err->msg);
        return true;
    }
    return false;
}

/* Incremental takes: what this take saw of each thread (before the stacks, which would not be
 * kept anyway). Out of memory only means the next take reads everything. */
static void remember(tl_sampler *s, tl_snapshot *snap)
{
    tl_error e = {0};
    if (carry_record(s->carry, snap, &e) != TL_OK)
        snapshot_add_note(snap, "%s; the next refresh reads every thread again", e.msg);
}

tl_status sampler_take(tl_sampler *s, tl_snapshot **out, tl_error *err)
{
    *out = NULL;
    tl_snapshot *snap = calloc(1, sizeof *snap);
    if (!snap)
        return tl_error_set(err, TL_ENOMEM, "out of memory for a snapshot");
    stamp(snap);
    tl_error stage_err = {0};
    tl_status st = process_tree_read(s->reader, s->roots, s->nroots, &s->opt, s->carry, snap, &stage_err);
    bool ok = stage_ok(snap, st, &stage_err);
    if (ok && s->opt.regions) {   /* shared state: /proc only, before any stop */
        tl_error_clear(&stage_err);
        st = regions_read(snap, s->opt.regions_pid, &stage_err);
        ok = stage_ok(snap, st, &stage_err);
    }
    if (ok && s->opt.waits) {
        tl_error_clear(&stage_err);
        st = waits_observe(snap, &stage_err);
        ok = stage_ok(snap, st, &stage_err);
    }
    if (ok && s->carry)
        remember(s, snap);
    if (ok && s->opt.jvm) {   /* after /proc and waits: asks the JVM itself, stops nothing of ours */
        tl_error_clear(&stage_err);
        st = jvm_observe(snap, s->reader, &stage_err);
        ok = stage_ok(snap, st, &stage_err);
    }
    if (ok && s->opt.stacks) {
        tl_error_clear(&stage_err);
        st = s->opt.stacks_since ? stacks_take_since(s->stacks, s->opt.stacks_since, snap, &s->opt, &stage_err)
             : s->opt.nstack_tids ? stacks_take_subset(s->stacks, snap, &s->opt, &stage_err)
                                  : stacks_take(s->stacks, snap, &s->opt, &stage_err);
        ok = stage_ok(snap, st, &stage_err);
        if (ok && s->carry)
            carry_mark_stopped(s->carry, s->reader, snap);
    } else {
        stacks_idle(s->stacks);
    }
    if (ok && s->opt.regions)   /* after the stacks: their registers find each thread's stack */
        regions_attribute(snap);
    if (ok) {
        tl_error_clear(&stage_err);
        st = analysis_find_deadlocks(snap, &stage_err);
        ok = stage_ok(snap, st, &stage_err);
        if (ok && s->opt.jvm)
            jvm_report_deadlocks(snap);   /* after the native analysis, which resets the marks */
    }
    platform_reader_sweep(s->reader);
    if (!ok) {
        if (err)
            *err = stage_err;
        snapshot_free(snap);
        return st;
    }
    *out = snap;
    return snap->partial ? TL_PARTIAL : TL_OK;
}
