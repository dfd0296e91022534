/* "Has not run": found in prev with the same start time, not running now nor then, and its
 * context switches grew by exactly what our own stop in prev added (a ptrace stop and its
 * release switch a sleeping thread out twice: measured; none when prev did not stop it). A
 * thread that ran even once adds at least one more. Any doubt takes the stack again. */
#include <stdlib.h>
#include <string.h>

#include "carry.h"
#include "stacks_reuse.h"
#include "stacks_subset.h"


/* prev's threads sorted by (pid, tid): a lookup is a binary search, not a scan of the process
 * (1000 threads looked up in 1000: a million comparisons a sample, twice). */
typedef struct prev_ref {
    int pid, tid;
    tl_thread *t;
} prev_ref;

typedef struct prev_index {
    prev_ref *refs;
    size_t n;
} prev_index;

static int cmp_ref(const void *a, const void *b)
{
    const prev_ref *x = a, *y = b;
    if (x->pid != y->pid)
        return (x->pid > y->pid) - (x->pid < y->pid);
    return (x->tid > y->tid) - (x->tid < y->tid);
}

static bool index_build(prev_index *ix, tl_snapshot *prev)
{
    size_t total = model_thread_count(prev);
    ix->n = 0;
    if (!(ix->refs = malloc((total ? total : 1) * sizeof *ix->refs)))
        return false;
    for (size_t i = 0; i < prev->nprocs; i++)
        for (size_t j = 0; j < prev->procs[i].nthreads; j++)
            ix->refs[ix->n++] = (prev_ref){prev->procs[i].pid, prev->procs[i].threads[j].tid, &prev->procs[i].threads[j]};
    qsort(ix->refs, ix->n, sizeof *ix->refs, cmp_ref);
    return true;
}

static tl_thread *find_prev(const prev_index *ix, int pid, const tl_thread *t)
{
    prev_ref key = {.pid = pid, .tid = t->tid};
    prev_ref *r = ix->n ? bsearch(&key, ix->refs, ix->n, sizeof key, cmp_ref) : NULL;
    return r && r->t->start_time_ms == t->start_time_ms ? r->t : NULL;
}

static bool has_not_run(const tl_thread *old, const tl_thread *t)
{
    uint64_t was = old->voluntary_ctxt_switches + old->nonvoluntary_ctxt_switches;
    uint64_t now = t->voluntary_ctxt_switches + t->nonvoluntary_ctxt_switches;
    uint64_t ours = old->stall.stopped ? CARRY_STOP_SWITCHES : 0;
    return t->state != 'R' && old->state != 'R' && t->state == old->state && now == was + ours &&
           old->cpu_user_ms + old->cpu_system_ms == t->cpu_user_ms + t->cpu_system_ms &&
           (old->nframes > 0 || old->stack_error) && !old->java && !t->java;
}

/* Moves old's stack into t (t took none). */
static void move_stack(tl_thread *old, tl_thread *t)
{
    t->frames = old->frames, t->nframes = old->nframes, t->frames_truncated = old->frames_truncated;
    t->stack_error = old->stack_error, t->stack_warning = old->stack_warning;
    memcpy(t->skipped, old->skipped, sizeof t->skipped);
    t->nskipped = old->nskipped;
    t->kernel_frames = old->kernel_frames, t->nkernel_frames = old->nkernel_frames;
    t->regs_valid = old->regs_valid, t->pc = old->pc, t->sp = old->sp, t->tls = old->tls;
    t->stall.stopped = false;
    old->frames = NULL, old->nframes = 0, old->stack_error = NULL, old->stack_warning = NULL;
    old->kernel_frames = NULL, old->nkernel_frames = 0;
}

tl_status stacks_take_since(stacks_ctx *ctx, tl_snapshot *prev, tl_snapshot *s, const tl_sampler_options *o,
                            tl_error *err)
{
    size_t total = model_thread_count(s), n = 0;
    int *tids = malloc((total ? total : 1) * sizeof *tids);
    prev_index ix = {0};
    if (!tids || !index_build(&ix, prev)) {
        free(tids);
        return tl_error_set(err, TL_ENOMEM, "out of memory choosing the threads to stop");
    }
    for (size_t i = 0; i < s->nprocs; i++)
        for (size_t j = 0; j < s->procs[i].nthreads; j++) {
            tl_thread *t = &s->procs[i].threads[j], *old = find_prev(&ix, s->procs[i].pid, t);
            if (!old || !has_not_run(old, t))
                tids[n++] = t->tid;
        }
    tl_status st = TL_OK;
    if (n) {
        tl_sampler_options sub = *o;
        sub.stack_tids = tids, sub.nstack_tids = n;
        st = stacks_take_subset(ctx, s, &sub, err);
    } else {
        s->stacks_taken = true;
    }
    for (size_t i = 0; (st == TL_OK || st == TL_PARTIAL) && i < s->nprocs; i++)
        for (size_t j = 0; j < s->procs[i].nthreads; j++) {
            tl_thread *t = &s->procs[i].threads[j], *old = find_prev(&ix, s->procs[i].pid, t);
            if (old && has_not_run(old, t) && !t->nframes && !t->stack_error) {
                move_stack(old, t);
                s->window.stops_saved++;
            }
        }
    free(tids);
    free(ix.refs);
    return st;
}
