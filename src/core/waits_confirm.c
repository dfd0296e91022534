/* Confirming the pipe and socket edges of a cycle. Within the dump, a pipe wait names a holder
 * only when one process with one thread holds the other end; but a process outside the dump (a
 * sibling, a supervisor that kept the fd) may hold it too, and could end the wait. Looking at
 * every process of the system is costly (its fd table each), so it is done only for the edges
 * that close a cycle, which are rare. Processes we may not look at are not counted: the edge
 * stays, as it would without this check. */
#include <stdlib.h>

#include "waits_internal.h"

#define CONFIRM_MAX_STEPS 64     /* a longer chain of holders is confirmed without following it */

/* Is e still an edge (a torn observation clears the wait after it was noted)? */
static bool still_edge(const waits_peer_edge *e)
{
    const tl_wait *w = &e->thread->wait;
    return w->kind == TL_WAIT_FD && w->owner_tid > 0 && w->can_end_by == TL_END_HOLDER_ONLY;
}

/* Does following the holders from t come back to t? */
static bool closes_cycle(const tl_snapshot *s, const tl_thread *t)
{
    const tl_thread *at = t;
    for (size_t steps = 0; steps < CONFIRM_MAX_STEPS; steps++) {
        const tl_wait *w = &at->wait;
        if (w->kind == TL_WAIT_NONE || w->owner_tid <= 0 || w->can_end_by != TL_END_HOLDER_ONLY)
            return false;
        at = model_find_thread(s, w->owner_tid, NULL);
        if (!at)
            return false;
        if (at == t)
            return true;
    }
    return true;
}

/* Marks the edges of `pending` whose other end process pid (outside the dump) holds too. */
static bool check_process(int pid, waits_peer_edge **pending, size_t npending)
{
    platform_ipc_fd *fds;
    size_t n;
    bool truncated;
    tl_status st = platform_list_ipc_fds(pid, WAITS_MAX_IPC_FDS, &fds, &n, &truncated, NULL);
    if (st == TL_ENOMEM)
        return false;
    if (st != TL_OK)
        return true;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < npending; k++) {
            waits_peer_edge *e = pending[k];
            if (fds[i].kind == e->kind && fds[i].inode == e->inode && waits_holder_counts(&fds[i], e->want))
                e->thread->wait.can_end_by = TL_END_ANOTHER_HOLDER;
        }
    free(fds);
    return true;
}

bool waits_confirm(waits_ctx *ctx)
{
    size_t npending = 0;
    waits_peer_edge **pending = NULL;
    for (size_t i = 0; i < ctx->nedges; i++)
        if (still_edge(&ctx->edges[i]) && closes_cycle(ctx->snap, ctx->edges[i].thread)) {
            waits_peer_edge **grown = realloc(pending, (npending + 1) * sizeof *grown);
            if (!grown)
                return free(pending), false;
            pending = grown;
            pending[npending++] = &ctx->edges[i];
        }
    if (npending == 0)
        return true;
    int *pids;
    size_t npids;
    bool ok = true;
    if (platform_list_pids(&pids, &npids, NULL) == TL_ENOMEM)
        ok = false;
    else
        for (size_t i = 0; ok && i < npids; i++)
            if (!model_find_process(ctx->snap, pids[i]))
                ok = check_process(pids[i], pending, npending);
    free(pids);
    free(pending);
    return ok;
}
