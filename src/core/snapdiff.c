/* threadlens diff: two snapshots of the same processes compared thread by thread (by PID and
 * TID; a TID reused by a new thread is told apart by its start time). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "threadlens/groups.h"
#include "threadlens/java.h"
#include "threadlens/snapdiff.h"

typedef struct builder {
    tl_snapdiff *d;
    size_t cap;
    bool oom;
} builder;

static tl_change *add(builder *b, tl_change_kind kind, int pid, int tid, const char *name)
{
    if (b->d->nchanges == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 32;
        tl_change *c = realloc(b->d->changes, cap * sizeof *c);
        if (!c)
            return b->oom = true, NULL;
        b->d->changes = c;
        b->cap = cap;
    }
    tl_change *c = &b->d->changes[b->d->nchanges++];
    memset(c, 0, sizeof *c);
    c->kind = kind, c->pid = pid, c->tid = tid, c->name = name;
    return c;
}

static bool same_str(const char *x, const char *y)
{
    return x == y || (x && y && !strcmp(x, y));
}

/* "f < g < h": the top three named frames (the pc when unnamed), "+N frames" for the rest;
 * NULL when none. */
static char *top_frames(const tl_thread *t)
{
    char buf[512] = "";
    size_t len = 0;
    for (size_t i = 0; i < t->nframes && i < 3 && len < sizeof buf; i++) {
        const tl_frame *f = &t->frames[i];
        int n = f->function ? snprintf(buf + len, sizeof buf - len, "%s%s", i ? " < " : "", f->function)
                            : snprintf(buf + len, sizeof buf - len, "%s0x%llx", i ? " < " : "", (unsigned long long)f->pc);
        len += n > 0 ? (size_t)n : 0;
    }
    if (t->nframes > 3 && len < sizeof buf)
        snprintf(buf + len, sizeof buf - len, " (+%zu frames)", t->nframes - 3);
    return len ? strdup(buf) : NULL;
}

/* The same sequence of functions (pcs where unnamed; offsets do not count, as in the groups). */
static bool same_stack(const tl_thread *x, const tl_thread *y)
{
    if (x->nframes != y->nframes)
        return false;
    for (size_t i = 0; i < x->nframes; i++) {
        const tl_frame *f = &x->frames[i], *g = &y->frames[i];
        if (f->function || g->function ? !same_str(f->function, g->function) : f->pc != g->pc)
            return false;
    }
    return true;
}


static const tl_thread *find_in(const tl_process *p, const tl_thread *t)
{
    for (size_t i = 0; p && i < p->nthreads; i++)
        if (p->threads[i].tid == t->tid && p->threads[i].start_time_ms == t->start_time_ms)
            return &p->threads[i];
    return NULL;
}

static const tl_process *find_proc(const tl_snapshot *s, const tl_process *p)
{
    for (size_t i = 0; i < s->nprocs; i++)
        if (s->procs[i].pid == p->pid && s->procs[i].start_time_ms == p->start_time_ms)
            return &s->procs[i];
    return NULL;
}

static uint64_t cpu_ms(const tl_thread *t)
{
    return t->cpu_user_ms + t->cpu_system_ms;
}

static void note_cpu(tl_snapdiff *d, int pid, const tl_thread *t, uint64_t ms)
{
    if (!ms)
        return;
    size_t at = d->ntop_threads;
    while (at > 0 && d->top_threads[at - 1].ms < ms)
        at--;
    if (at >= TL_DIFF_TOP_CPU)
        return;
    size_t n = d->ntop_threads < TL_DIFF_TOP_CPU ? d->ntop_threads + 1 : TL_DIFF_TOP_CPU;
    memmove(&d->top_threads[at + 1], &d->top_threads[at], (n - at - 1) * sizeof d->top_threads[0]);
    d->top_threads[at] = (tl_cpu_use){.pid = pid, .tid = t->tid, .name = t->name, .ms = ms};
    d->ntop_threads = n;
}

static void compare_thread(builder *b, const tl_process *p, const tl_thread *ta, const tl_thread *tb)
{
    if (ta->state != tb->state) {
        tl_change *c = add(b, TL_CHANGE_STATE, p->pid, tb->tid, tb->name);
        if (c)
            c->old_state = ta->state, c->new_state = tb->state;
    }
    char *oa = top_frames(ta), *ob = top_frames(tb);
    if (!same_stack(ta, tb) || !same_str(ta->wait.description, tb->wait.description)) {
        tl_change *c = add(b, TL_CHANGE_STACK, p->pid, tb->tid, tb->name);
        if (c) {
            c->old_top = oa, c->new_top = ob, oa = ob = NULL;
            c->old_wait = ta->wait.description, c->new_wait = tb->wait.description;
        }
    }
    free(oa);
    free(ob);
    uint64_t used = cpu_ms(tb) > cpu_ms(ta) ? cpu_ms(tb) - cpu_ms(ta) : 0;
    note_cpu(b->d, p->pid, tb, used);
}

/* Threads of one process in both dumps; returns the process's CPU used between them. */
static uint64_t compare_process(builder *b, const tl_process *pa, const tl_process *pb)
{
    uint64_t total = 0;
    for (size_t i = 0; i < pb->nthreads; i++) {
        const tl_thread *tb = &pb->threads[i], *ta = find_in(pa, tb);
        if (!ta) {
            add(b, TL_CHANGE_THREAD_NEW, pb->pid, tb->tid, tb->name);
            note_cpu(b->d, pb->pid, tb, cpu_ms(tb));
            total += cpu_ms(tb);
            continue;
        }
        compare_thread(b, pb, ta, tb);
        total += cpu_ms(tb) > cpu_ms(ta) ? cpu_ms(tb) - cpu_ms(ta) : 0;
    }
    for (size_t i = 0; i < pa->nthreads; i++)
        if (!find_in(pb, &pa->threads[i]))
            add(b, TL_CHANGE_THREAD_ENDED, pa->pid, pa->threads[i].tid, pa->threads[i].name);
    return total;
}

static void compare_processes(builder *b, const tl_snapshot *a, const tl_snapshot *s)
{
    b->d->procs = calloc(s->nprocs + 1, sizeof *b->d->procs);
    if (!b->d->procs) {
        b->oom = true;
        return;
    }
    for (size_t i = 0; i < s->nprocs; i++) {
        const tl_process *pb = &s->procs[i], *pa = find_proc(a, pb);
        if (!pa) {
            add(b, TL_CHANGE_PROCESS_NEW, pb->pid, 0, pb->name);
            continue;
        }
        uint64_t ms = compare_process(b, pa, pb);
        b->d->procs[b->d->nprocs++] = (tl_cpu_use){.pid = pb->pid, .name = pb->name, .ms = ms};
    }
    for (size_t i = 0; i < a->nprocs; i++)
        if (!find_proc(s, &a->procs[i]))
            add(b, TL_CHANGE_PROCESS_ENDED, a->procs[i].pid, 0, a->procs[i].name);
}

/* A group is known by its process and its first thread's top frames. */
static size_t group_size(const tl_snapshot *s, const tl_groups *g, int pid, const char *top)
{
    for (size_t i = 0; i < s->nprocs; i++) {
        if (s->procs[i].pid != pid)
            continue;
        for (size_t k = 0; k < g->procs[i].ngroups; k++) {
            const tl_stack_group *grp = &g->procs[i].groups[k];
            char *t = top_frames(&s->procs[i].threads[grp->threads[0]]);
            bool same = same_str(t, top);
            free(t);
            if (same)
                return grp->count;
        }
    }
    return 0;
}

static void compare_groups_one_way(builder *b, const tl_snapshot *x, const tl_groups *gx, const tl_snapshot *y,
                                   const tl_groups *gy, bool x_is_b)
{
    for (size_t i = 0; i < x->nprocs; i++) {
        const tl_process *p = &x->procs[i];
        for (size_t k = 0; k < gx->procs[i].ngroups; k++) {
            const tl_stack_group *grp = &gx->procs[i].groups[k];
            char *top = top_frames(&p->threads[grp->threads[0]]);
            size_t other = top ? group_size(y, gy, p->pid, top) : grp->count;
            bool changed = x_is_b ? other != grp->count && (grp->count >= 2 || other >= 2)
                                  : other == 0 && grp->count >= 2;   /* shrank to nothing */
            tl_change *c = changed ? add(b, TL_CHANGE_GROUP, p->pid, grp->first_tid, p->threads[grp->threads[0]].name) : NULL;
            if (c) {
                c->old_count = x_is_b ? other : grp->count;
                c->new_count = x_is_b ? grp->count : 0;
                c->new_top = top, top = NULL;
            }
            free(top);
        }
    }
}

static void compare_groups(builder *b, const tl_snapshot *a, const tl_snapshot *s, tl_error *err)
{
    tl_groups *ga = NULL, *gb = NULL;
    if (groups_build(a, &ga, err) == TL_OK && groups_build(s, &gb, err) == TL_OK) {
        compare_groups_one_way(b, s, gb, a, ga, true);
        compare_groups_one_way(b, a, ga, s, gb, false);
    } else {
        b->oom = true;
    }
    groups_free(ga);
    groups_free(gb);
}

static bool same_cycle(const tl_deadlock *x, const tl_deadlock *y)
{
    if (x->ntids != y->ntids)
        return false;
    for (size_t i = 0; i < x->ntids; i++) {
        bool found = false;
        for (size_t j = 0; j < y->ntids && !found; j++)
            found = x->tids[i] == y->tids[j];
        if (!found)
            return false;
    }
    return true;
}

static void compare_deadlocks(builder *b, const tl_snapshot *x, const tl_snapshot *y, tl_change_kind kind)
{
    for (size_t i = 0; i < x->ndeadlocks; i++) {
        bool found = false;
        for (size_t j = 0; j < y->ndeadlocks && !found; j++)
            found = same_cycle(&x->deadlocks[i], &y->deadlocks[j]);
        tl_change *c = found ? NULL : add(b, kind, 0, 0, NULL);
        if (c)
            c->deadlock = &x->deadlocks[i];
    }
}

tl_status snapdiff_build(const tl_snapshot *a, const tl_snapshot *s, tl_snapdiff **out, tl_error *err)
{
    *out = NULL;
    if (!a->nprocs || !s->nprocs || a->procs[0].pid != s->procs[0].pid ||
        a->procs[0].start_time_ms != s->procs[0].start_time_ms)
        return tl_error_set(err, TL_EINVAL,
                            "the two dumps are of different processes (PID %d and PID %d, or one PID restarted): "
                            "diff compares two dumps of the same process",
                            a->nprocs ? a->procs[0].pid : 0, s->nprocs ? s->procs[0].pid : 0);
    builder b = {.d = calloc(1, sizeof *b.d)};
    if (!b.d)
        return tl_error_set(err, TL_ENOMEM, "out of memory comparing the dumps");
    b.d->elapsed_ms = s->taken_unix_ms - a->taken_unix_ms;
    compare_processes(&b, a, s);
    compare_groups(&b, a, s, err);
    compare_deadlocks(&b, s, a, TL_CHANGE_DEADLOCK_NEW);
    compare_deadlocks(&b, a, s, TL_CHANGE_DEADLOCK_CLEARED);
    if (b.oom) {
        snapdiff_free(b.d);
        return tl_error_set(err, TL_ENOMEM, "out of memory comparing the dumps");
    }
    *out = b.d;
    return TL_OK;
}

void snapdiff_free(tl_snapdiff *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nchanges; i++) {
        free(d->changes[i].old_top);
        free(d->changes[i].new_top);
    }
    free(d->changes);
    free(d->procs);
    free(d);
}
