/* The wait-for graph of a snapshot and its cycles. Every thread waits on at most one thing,
 * and a wait names at most one holder (tl_wait.owner_tid, set only when the holder is known for
 * sure), so the graph has out-degree <= 1: following the edges from each thread either ends or
 * enters a cycle, and each cycle is found once in O(threads log threads). Threads of different
 * processes are nodes of the same graph (a pipe written only by another process's thread).
 * Pure: reads the model, writes s->deadlocks and in_deadlock. */
#include <stdlib.h>
#include <string.h>

#include "threadlens/analysis.h"

typedef struct dl_node {
    tl_thread *t;
    size_t next;          /* index of the holder, NONE when it waits on no known thread */
    size_t walk;          /* the walk that first reached it, NONE before */
} dl_node;

#define NONE ((size_t)-1)

typedef struct dl_key {
    int tid;
    size_t node;
} dl_key;

typedef struct dl_graph {
    dl_node *nodes;
    size_t n;
    dl_key *by_tid;       /* sorted by tid */
} dl_graph;

static int cmp_tid(const void *a, const void *b)
{
    int x = ((const dl_key *)a)->tid, y = ((const dl_key *)b)->tid;
    return (x > y) - (x < y);
}

static size_t find_tid(const dl_graph *g, int tid)
{
    size_t lo = 0, hi = g->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int t = g->by_tid[mid].tid;
        if (t == tid)
            return g->by_tid[mid].node;
        if (t < tid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NONE;
}

/* A wait is an edge only when nothing but its holder can end it: never a timed wait, nor a
 * pipe wait a signal handler or another holder of the other end could end. */
static bool is_edge(const tl_wait *w)
{
    return w->kind != TL_WAIT_NONE && w->owner_tid > 0 && w->can_end_by == TL_END_HOLDER_ONLY;
}

static bool graph_build(dl_graph *g, tl_snapshot *s)
{
    g->n = model_thread_count(s);
    g->nodes = calloc(g->n ? g->n : 1, sizeof *g->nodes);
    g->by_tid = calloc(g->n ? g->n : 1, sizeof *g->by_tid);
    if (!g->nodes || !g->by_tid)
        return false;
    size_t k = 0;
    for (size_t i = 0; i < s->nprocs; i++)
        for (size_t j = 0; j < s->procs[i].nthreads; j++, k++) {
            g->nodes[k] = (dl_node){.t = &s->procs[i].threads[j], .next = NONE, .walk = NONE};
            g->by_tid[k] = (dl_key){.tid = s->procs[i].threads[j].tid, .node = k};
            s->procs[i].threads[j].in_deadlock = false;
        }
    qsort(g->by_tid, g->n, sizeof *g->by_tid, cmp_tid);
    for (size_t i = 0; i < g->n; i++)
        if (is_edge(&g->nodes[i].t->wait))
            g->nodes[i].next = find_tid(g, g->nodes[i].t->wait.owner_tid);
    return true;
}

/* Appends the cycle through node `at` to s->deadlocks, starting at its lowest tid. */
static bool record_cycle(tl_snapshot *s, dl_graph *g, size_t at)
{
    size_t len = 1, start = at;
    for (size_t i = g->nodes[at].next; i != at; i = g->nodes[i].next, len++)
        if (g->nodes[i].t->tid < g->nodes[start].t->tid)
            start = i;
    tl_deadlock *grown = realloc(s->deadlocks, (s->ndeadlocks + 1) * sizeof *grown);
    if (!grown)
        return false;
    s->deadlocks = grown;
    tl_deadlock *d = &s->deadlocks[s->ndeadlocks];
    memset(d, 0, sizeof *d);
    d->tids = malloc(len * sizeof *d->tids);
    d->edges = malloc(len * sizeof *d->edges);
    if (!d->tids || !d->edges)
        return deadlock_clear(d), false;
    s->ndeadlocks++;
    d->ntids = d->nedges = len;
    size_t i = start;
    for (size_t k = 0; k < len; k++, i = g->nodes[i].next) {
        tl_thread *t = g->nodes[i].t;
        t->in_deadlock = true;
        d->tids[k] = t->tid;
        d->edges[k] = (tl_wait_edge){.waiter_tid = t->tid, .holder_tid = g->nodes[g->nodes[i].next].t->tid,
                                     .kind = t->wait.kind, .address = t->wait.address};
    }
    return true;
}

/* Follows the edges from `from`; a node reached again in the same walk closes a new cycle. */
static bool walk_from(tl_snapshot *s, dl_graph *g, size_t from)
{
    size_t i = from;
    for (size_t steps = 0; steps <= g->n && i != NONE; steps++) {
        if (g->nodes[i].walk != NONE)
            return g->nodes[i].walk == from ? record_cycle(s, g, i) : true;
        g->nodes[i].walk = from;
        i = g->nodes[i].next;
    }
    return true;
}

static int cmp_deadlock(const void *a, const void *b)
{
    int x = ((const tl_deadlock *)a)->tids[0], y = ((const tl_deadlock *)b)->tids[0];
    return (x > y) - (x < y);
}

static void clear_deadlocks(tl_snapshot *s)
{
    for (size_t i = 0; i < s->ndeadlocks; i++)
        deadlock_clear(&s->deadlocks[i]);
    free(s->deadlocks);
    s->deadlocks = NULL;
    s->ndeadlocks = 0;
}

tl_status analysis_find_deadlocks(tl_snapshot *s, tl_error *err)
{
    dl_graph g = {0};
    clear_deadlocks(s);
    bool ok = graph_build(&g, s);
    for (size_t i = 0; ok && i < g.n; i++)
        ok = walk_from(s, &g, i);
    free(g.nodes);
    free(g.by_tid);
    if (!ok) {
        clear_deadlocks(s);
        return tl_error_set(err, TL_ENOMEM, "out of memory looking for deadlocks among %zu threads",
                            model_thread_count(s));
    }
    if (s->ndeadlocks > 1)
        qsort(s->deadlocks, s->ndeadlocks, sizeof *s->deadlocks, cmp_deadlock);
    return TL_OK;
}
