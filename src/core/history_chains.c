/* Blocking chains: from each blocked thread along "held by" to the thread at its end (one that
 * waits on no holder, or a thread already in the chain: a cycle). */
#include <stdlib.h>

#include "threadlens/history.h"

#define CHAIN_MAX 64

static bool in_chain(const int *tids, size_t n, int tid)
{
    for (size_t i = 0; i < n; i++)
        if (tids[i] == tid)
            return true;
    return false;
}

static bool chain_of(const tl_snapshot *s, const tl_thread *t, tl_chain *c)
{
    int tids[CHAIN_MAX];
    size_t n = 0;
    tids[n++] = t->tid;
    c->cycle = false;
    while (n < CHAIN_MAX && t->wait.owner_tid > 0) {
        int next = t->wait.owner_tid;
        if (in_chain(tids, n, next)) {
            tids[n++] = next;
            c->cycle = true;
            break;
        }
        tids[n++] = next;
        if (!(t = model_find_thread(s, next, NULL)))
            break;
    }
    c->tids = malloc(n * sizeof *c->tids);
    if (!c->tids)
        return false;
    for (size_t i = 0; i < n; i++)
        c->tids[i] = tids[i];
    c->ntids = n;
    return true;
}

tl_status history_chains(tl_snapshot *s, tl_error *err)
{
    size_t blocked = 0;
    for (size_t i = 0; i < s->nprocs; i++)
        for (size_t j = 0; j < s->procs[i].nthreads; j++)
            blocked += s->procs[i].threads[j].history.verdict == TL_VERDICT_BLOCKED;
    if (!blocked)
        return TL_OK;
    s->chains = calloc(blocked, sizeof *s->chains);
    if (!s->chains)
        return tl_error_set(err, TL_ENOMEM, "out of memory for the blocking chains");
    for (size_t i = 0; i < s->nprocs; i++)
        for (size_t j = 0; j < s->procs[i].nthreads; j++) {
            const tl_thread *t = &s->procs[i].threads[j];
            if (t->history.verdict != TL_VERDICT_BLOCKED)
                continue;
            if (!chain_of(s, t, &s->chains[s->nchains]))
                return tl_error_set(err, TL_ENOMEM, "out of memory for the blocking chains");
            s->nchains++;
        }
    return TL_OK;
}
