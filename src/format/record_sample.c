/* One sample of every thread into a recording. The sampler (stacks_since, stacks_reuse.c)
 * stops again only the threads that ran since the previous sample; the others' frames are the
 * previous ones, so their previous stack id counts again without interning it anew. */
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* A frame as one string: its function, else [module]+offset, else its pc. */
static uint32_t frame_id(recording *r, const tl_frame *f)
{
    char buf[512];
    if (f->function)
        return record_string(r, f->function);
    if (f->module)
        snprintf(buf, sizeof buf, "[%s]", base_name(f->module));
    else
        snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)f->pc);
    return record_string(r, buf);
}

/* The thread's stack from its frames (innermost first in the snapshot; root first here). */
static uint32_t stack_of(recording *r, const tl_thread *t)
{
    if (!t->nframes) {
        uint32_t f = record_string(r, t->stack_error ? "[no stack]" : "[no frames]");
        return f == REC_NONE ? REC_NONE : record_stack(r, &f, 1);
    }
    uint32_t small[256], *ids = t->nframes <= 256 ? small : malloc(t->nframes * sizeof *ids);
    if (!ids)
        return REC_NONE;
    uint32_t st = 0;
    for (size_t i = 0; i < t->nframes && st != REC_NONE; i++)
        if ((ids[t->nframes - 1 - i] = frame_id(r, &t->frames[i])) == REC_NONE)
            st = REC_NONE;
    if (st != REC_NONE)
        st = record_stack(r, ids, (uint32_t)t->nframes);
    if (ids != small)
        free(ids);
    return st;
}

static uint32_t wait_of(recording *r, const tl_thread *t)
{
    if (t->wait.kind == TL_WAIT_NONE)
        return REC_NONE;
    char obj[160];
    const tl_wait *w = &t->wait;
    if (w->kind == TL_WAIT_FD)
        snprintf(obj, sizeof obj, "%s on fd %d%s%s", w->syscall_name ? w->syscall_name : "wait", w->fd,
                 w->object ? ": " : "", w->object ? w->object : "");
    else if (w->address)
        snprintf(obj, sizeof obj, "%s 0x%llx", record_wait_kind_name(w->kind), (unsigned long long)w->address);
    else
        snprintf(obj, sizeof obj, "%s", w->syscall_name ? w->syscall_name : record_wait_kind_name(w->kind));
    return record_wait(r, w->kind, obj, w->owner_tid);
}

static tl_status add_thread(recording *r, const tl_process *p, const tl_thread *t, uint32_t tick, tl_error *err)
{
    /* taken again (stopped, or blocked and copied without a stop): it ran since the previous
     * sample (or is new) */
    bool ran = t->stall.stopped || t->stall.zero_stop;
    uint32_t id = record_thread_find(r, t->tid, t->start_time_ms);
    if (id == REC_NONE)
        id = record_thread_add(r, p->pid, t->tid, t->start_time_ms, p->name, t->name);
    if (id == REC_NONE)
        return tl_error_set(err, TL_ENOMEM, "out of memory recording thread %d", t->tid);
    rec_thread *rt = &r->threads[id];
    if (t->name && strcmp(rt->name, t->name)) {   /* renamed: keep the latest name */
        char *n = strdup(t->name);
        if (n) {
            free(rt->name);
            rt->name = n;
        }
    }
    uint32_t stack = rt->last_stack;
    if (ran || stack == REC_NONE || (!t->nframes && t->stack_error)) {
        if ((stack = stack_of(r, t)) == REC_NONE)
            return tl_error_set(err, TL_ENOMEM, "out of memory interning a stack");
        r->stops += t->stall.stopped;
    }
    uint32_t wait = wait_of(r, t);
    if (t->wait.kind != TL_WAIT_NONE && wait == REC_NONE)
        return tl_error_set(err, TL_ENOMEM, "out of memory interning a wait");
    rt = &r->threads[id];
    rt->last_stack = stack;
    if (r->only_cpu && t->state != 'R')
        return TL_OK;
    rec_sample s = {.tick = tick, .thread = id, .stack = stack, .wait = wait, .state = t->state, .ran = ran};
    if (!record_push_sample(r, &s))
        return tl_error_set(err, TL_ENOMEM, "out of memory for a sample");
    return TL_OK;
}

tl_status record_add_snapshot(recording *r, const tl_snapshot *snap, uint64_t since_start_ms, tl_error *err)
{
    rec_tick *ticks = realloc(r->ticks, (r->nticks + 1) * sizeof *ticks);
    if (!ticks)
        return tl_error_set(err, TL_ENOMEM, "out of memory for a sample");
    r->ticks = ticks;
    uint32_t tick = (uint32_t)r->nticks;
    r->ticks[r->nticks++] = (rec_tick){.unix_ms = snap->taken_unix_ms, .ms = since_start_ms};
    for (size_t i = 0; i < snap->nprocs; i++) {
        const tl_process *p = &snap->procs[i];
        for (size_t j = 0; j < p->nthreads; j++) {
            tl_status st = add_thread(r, p, &p->threads[j], tick, err);
            if (st != TL_OK)
                return st;
        }
    }
    return TL_OK;
}
