/* Stack groups: each process's threads sorted by a key over their frames (a hash first, the
 * frames themselves to break ties), equal neighbours joined. O(n log n) per process. */
#include <stdlib.h>
#include <string.h>

#include "threadlens/groups.h"
#include "threadlens/java.h"

typedef struct gr_item {
    uint64_t hash;
    const tl_thread *t;
    size_t index;                 /* in the process's threads */
} gr_item;

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
    return s ? hash_bytes(h, s, strlen(s) + 1) : hash_bytes(h, "", 1) * 31;
}

static int str_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static uint64_t frames_hash(const tl_thread *t)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < t->nframes; i++) {
        const tl_frame *f = &t->frames[i];
        h = hash_str(h, f->module);
        h = f->function ? hash_str(h, f->function) : hash_bytes(h, &f->pc, sizeof f->pc);
        h = hash_bytes(h, &f->signal_frame, 1);
    }
    for (size_t i = 0; t->java && i < t->java->nframes; i++) {
        h = hash_str(h, t->java->frames[i].method);
        h = hash_str(h, t->java->frames[i].location);
    }
    return h;
}

/* Threads of one process share one address space: the same pc is the same code, named the
 * same, so only frames at different pcs need their names compared (most equal stacks are
 * equal pc for pc). */
static int frame_cmp(const tl_frame *a, const tl_frame *b)
{
    if (a->pc == b->pc && a->signal_frame == b->signal_frame)
        return 0;
    int c = str_cmp(a->module, b->module);
    if (c == 0)
        c = (a->function != NULL) - (b->function != NULL);
    if (c == 0)
        c = a->function ? strcmp(a->function, b->function) : (a->pc > b->pc) - (a->pc < b->pc);
    return c ? c : (int)a->signal_frame - (int)b->signal_frame;
}

static int java_cmp(const tl_java_thread *a, const tl_java_thread *b)
{
    size_t na = a ? a->nframes : 0, nb = b ? b->nframes : 0;
    if (na != nb)
        return (na > nb) - (na < nb);
    for (size_t i = 0; i < na; i++) {
        int c = str_cmp(a->frames[i].method, b->frames[i].method);
        if (c == 0)
            c = str_cmp(a->frames[i].location, b->frames[i].location);
        if (c)
            return c;
    }
    return 0;
}

static int stack_cmp(const tl_thread *a, const tl_thread *b)
{
    if (a->nframes != b->nframes)
        return (a->nframes > b->nframes) - (a->nframes < b->nframes);
    for (size_t i = 0; i < a->nframes; i++) {
        int c = frame_cmp(&a->frames[i], &b->frames[i]);
        if (c)
            return c;
    }
    return java_cmp(a->java, b->java);
}

/* Without stacks: the state, then what the thread waits on (not the fd number: threads of a
 * pool each read their own socket). */
static uint64_t state_hash(const tl_thread *t)
{
    uint64_t h = hash_bytes(14695981039346656037ull, &t->state, 1);
    h = hash_bytes(h, &t->wait.kind, sizeof t->wait.kind);
    h = hash_bytes(h, &t->wait.address, sizeof t->wait.address);
    return hash_str(h, t->wait.object);
}

static int state_cmp(const tl_thread *a, const tl_thread *b)
{
    if (a->state != b->state)
        return (a->state > b->state) - (a->state < b->state);
    if (a->wait.kind != b->wait.kind)
        return (a->wait.kind > b->wait.kind) - (a->wait.kind < b->wait.kind);
    if (a->wait.address != b->wait.address)
        return (a->wait.address > b->wait.address) - (a->wait.address < b->wait.address);
    return str_cmp(a->wait.object, b->wait.object);
}

static int item_key_cmp(const gr_item *x, const gr_item *y, bool by_state)
{
    if (x->hash != y->hash)
        return (x->hash > y->hash) - (x->hash < y->hash);
    return by_state ? state_cmp(x->t, y->t) : stack_cmp(x->t, y->t);
}

static int tid_cmp(const gr_item *x, const gr_item *y)
{
    return (x->t->tid > y->t->tid) - (x->t->tid < y->t->tid);
}

static int cmp_by_stack(const void *a, const void *b)
{
    int c = item_key_cmp(a, b, false);
    return c ? c : tid_cmp(a, b);
}

static int cmp_by_state(const void *a, const void *b)
{
    int c = item_key_cmp(a, b, true);
    return c ? c : tid_cmp(a, b);
}

static bool has_stack(const tl_thread *t)
{
    return !t->stack_error && t->nframes > 0;
}

/* The group order: largest first, then by first tid. */
static int cmp_group(const void *a, const void *b)
{
    const tl_stack_group *x = a, *y = b;
    if (x->count != y->count)
        return (x->count < y->count) - (x->count > y->count);
    return (x->first_tid > y->first_tid) - (x->first_tid < y->first_tid);
}

/* Joins equal neighbours of the sorted items into groups (items[0..n) all take part). */
static bool make_groups(tl_process_groups *pg, gr_item *items, size_t n)
{
    pg->groups = calloc(n ? n : 1, sizeof *pg->groups);
    if (!pg->groups)
        return false;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && item_key_cmp(&items[i], &items[j], pg->by_state) == 0)
            j++;
        tl_stack_group *grp = &pg->groups[pg->ngroups++];
        grp->count = j - i;
        if (!(grp->threads = malloc(grp->count * sizeof *grp->threads)))
            return false;
        for (size_t k = i; k < j; k++)
            grp->threads[k - i] = items[k].index;
        grp->first_tid = items[i].t->tid;
        i = j;
    }
    qsort(pg->groups, pg->ngroups, sizeof *pg->groups, cmp_group);
    return true;
}

static bool process_groups(tl_process_groups *pg, const tl_snapshot *s, const tl_process *p, bool by_state)
{
    size_t nstacks = 0;
    for (size_t i = 0; i < p->nthreads; i++)
        nstacks += has_stack(&p->threads[i]);
    pg->by_state = by_state || !s->stacks_taken || nstacks == 0;
    pg->group_of = calloc(p->nthreads ? p->nthreads : 1, sizeof *pg->group_of);
    gr_item *items = calloc(p->nthreads ? p->nthreads : 1, sizeof *items);
    if (!pg->group_of || !items) {
        free(items);
        return false;
    }
    size_t n = 0;
    for (size_t i = 0; i < p->nthreads; i++) {
        const tl_thread *t = &p->threads[i];
        if (!pg->by_state && !has_stack(t)) {
            pg->nfailed++;
            continue;
        }
        items[n++] = (gr_item){pg->by_state ? state_hash(t) : frames_hash(t), t, i};
    }
    qsort(items, n, sizeof *items, pg->by_state ? cmp_by_state : cmp_by_stack);
    bool ok = make_groups(pg, items, n);
    free(items);
    return ok;
}

void groups_free(tl_groups *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->nprocs; i++) {
        for (size_t k = 0; k < g->procs[i].ngroups; k++)
            free(g->procs[i].groups[k].threads);
        free(g->procs[i].groups);
        free(g->procs[i].group_of);
    }
    free(g->procs);
    free(g);
}

static void number_groups(tl_groups *g)
{
    int id = 0;
    for (size_t i = 0; i < g->nprocs; i++) {
        tl_process_groups *pg = &g->procs[i];
        for (size_t k = 0; k < pg->ngroups; k++) {
            tl_stack_group *grp = &pg->groups[k];
            grp->id = ++id;
            grp->proc = i;
            for (size_t m = 0; m < grp->count; m++)
                pg->group_of[grp->threads[m]] = grp->id;
        }
        g->ngroups += pg->ngroups;
    }
}

static tl_status build(const tl_snapshot *s, bool by_state, tl_groups **out, tl_error *err)
{
    *out = NULL;
    tl_groups *g = calloc(1, sizeof *g);
    if (g)
        g->procs = calloc(s->nprocs ? s->nprocs : 1, sizeof *g->procs);
    if (!g || !g->procs) {
        free(g);
        return tl_error_set(err, TL_ENOMEM, "out of memory grouping stacks");
    }
    g->nprocs = s->nprocs;
    for (size_t i = 0; i < s->nprocs; i++) {
        if (!process_groups(&g->procs[i], s, &s->procs[i], by_state)) {
            groups_free(g);
            return tl_error_set(err, TL_ENOMEM, "out of memory grouping the stacks of process %d", s->procs[i].pid);
        }
    }
    number_groups(g);
    *out = g;
    return TL_OK;
}

tl_status groups_build(const tl_snapshot *s, tl_groups **out, tl_error *err)
{
    return build(s, false, out, err);
}

tl_status groups_build_by_state(const tl_snapshot *s, tl_groups **out, tl_error *err)
{
    return build(s, true, out, err);
}

const tl_stack_group *groups_find(const tl_groups *g, int id)
{
    for (size_t i = 0; g && i < g->nprocs; i++) {
        const tl_process_groups *pg = &g->procs[i];
        if (pg->ngroups && id >= pg->groups[0].id && id <= pg->groups[pg->ngroups - 1].id)
            return &pg->groups[id - pg->groups[0].id];
    }
    return NULL;
}
