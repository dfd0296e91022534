#include "stacks_subset.h"

#include <stdlib.h>
#include <string.h>

/* Where each thread of the view came from, to move what stacks_take filled back. */
typedef struct subset_view {
    tl_snapshot snap;
    tl_process **orig_procs;
    tl_thread **orig_threads;
    size_t nthreads;
} subset_view;

static bool tid_listed(const tl_sampler_options *o, int tid)
{
    for (size_t i = 0; i < o->nstack_tids; i++)
        if (o->stack_tids[i] == tid)
            return true;
    return false;
}

static size_t count_listed(const tl_process *p, const tl_sampler_options *o)
{
    size_t n = 0;
    for (size_t j = 0; j < p->nthreads; j++)
        n += tid_listed(o, p->threads[j].tid);
    return n;
}

/* Adds a shallow copy of p holding only its listed threads. False when out of memory. */
static bool view_add_process(subset_view *v, tl_process *p, const tl_sampler_options *o)
{
    size_t k = count_listed(p, o);
    if (k == 0)
        return true;
    tl_thread *threads = calloc(k, sizeof *threads);
    tl_thread **origs = realloc(v->orig_threads, (v->nthreads + k) * sizeof *origs);
    if (!threads || !origs) {
        free(threads);
        if (origs)
            v->orig_threads = origs;
        return false;
    }
    v->orig_threads = origs;
    tl_process *vp = &v->snap.procs[v->snap.nprocs];
    v->orig_procs[v->snap.nprocs++] = p;
    *vp = *p;
    vp->threads = threads;
    vp->nthreads = 0;
    for (size_t j = 0; j < p->nthreads; j++) {
        if (!tid_listed(o, p->threads[j].tid))
            continue;
        threads[vp->nthreads++] = p->threads[j];
        v->orig_threads[v->nthreads++] = &p->threads[j];
    }
    return true;
}

/* Moves what stacks_take filled (frames, regs, process fields, notes) back into s. */
static void view_move_back(subset_view *v, tl_snapshot *s)
{
    size_t t = 0;
    for (size_t i = 0; i < v->snap.nprocs; i++) {
        tl_process *vp = &v->snap.procs[i];
        for (size_t j = 0; j < vp->nthreads; j++)
            *v->orig_threads[t++] = vp->threads[j];
        tl_process *op = v->orig_procs[i];
        tl_thread *keep = op->threads;
        size_t nkeep = op->nthreads;
        *op = *vp;
        op->threads = keep;
        op->nthreads = nkeep;
    }
    s->stacks_taken = v->snap.stacks_taken;
    s->stall = v->snap.stall;
    s->partial = s->partial || v->snap.partial;
    for (size_t i = 0; i < v->snap.nnotes; i++)
        snapshot_add_note(s, "%s", v->snap.notes[i]);
}

static void view_free(subset_view *v)
{
    for (size_t i = 0; i < v->snap.nprocs; i++)
        free(v->snap.procs[i].threads);
    for (size_t i = 0; i < v->snap.nnotes; i++)
        free(v->snap.notes[i]);
    free(v->snap.notes);
    free(v->snap.procs);
    free(v->orig_procs);
    free(v->orig_threads);
}

tl_status stacks_take_subset(stacks_ctx *ctx, tl_snapshot *s, const tl_sampler_options *o, tl_error *err)
{
    subset_view v = {.snap = *s};
    v.snap.procs = calloc(s->nprocs ? s->nprocs : 1, sizeof *v.snap.procs);
    v.orig_procs = calloc(s->nprocs ? s->nprocs : 1, sizeof *v.orig_procs);
    v.snap.nprocs = 0;
    v.snap.notes = NULL;
    v.snap.nnotes = 0;
    v.snap.deadlocks = NULL;
    v.snap.ndeadlocks = 0;
    bool ok = v.snap.procs && v.orig_procs;
    for (size_t i = 0; ok && i < s->nprocs; i++)
        ok = view_add_process(&v, &s->procs[i], o);
    if (!ok) {
        view_free(&v);
        return tl_error_set(err, TL_ENOMEM, "out of memory choosing the threads whose stacks to take");
    }
    tl_status st = stacks_take(ctx, &v.snap, o, err);
    view_move_back(&v, s);
    view_free(&v);
    return st;
}
