/* Waits on file descriptors: what the fd is (pipe, socket, file), and for a pipe which
 * process of the snapshot holds its other end. Pipe ends are found by listing the pipe fds of
 * the snapshot's processes once per pass (bounded), sorted by inode; the access mode of the
 * few candidates comes from their fdinfo. */
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "waits_internal.h"

static int by_inode(const void *a, const void *b)
{
    const platform_ipc_fd *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return x->inode < y->inode ? -1 : x->inode > y->inode;
}

static bool append_ipc(waits_ctx *ctx, platform_ipc_fd *more, size_t n)
{
    if (n == 0)
        return true;
    platform_ipc_fd *grown = realloc(ctx->ipc, (ctx->nipc + n) * sizeof *grown);
    if (!grown)
        return false;
    memcpy(grown + ctx->nipc, more, n * sizeof *more);
    ctx->ipc = grown;
    ctx->nipc += n;
    return true;
}

/* Lists the pipe and socket fds of every process of the snapshot, once. false when out of
 * memory. */
static bool ipc_build(waits_ctx *ctx)
{
    if (ctx->ipc_built)
        return true;
    ctx->ipc_built = true;
    for (size_t i = 0; i < ctx->snap->nprocs; i++) {
        platform_ipc_fd *list;
        size_t n;
        bool truncated;
        tl_status st = platform_list_ipc_fds(ctx->snap->procs[i].pid, WAITS_MAX_IPC_FDS, &list, &n, &truncated, NULL);
        if (st == TL_ENOMEM)
            return false;
        bool ok = st != TL_OK || append_ipc(ctx, list, n);
        free(list);
        if (!ok)
            return false;
    }
    if (ctx->nipc)
        qsort(ctx->ipc, ctx->nipc, sizeof *ctx->ipc, by_inode);
    return true;
}

#define HOLDERS_MAX 8            /* distinct processes remembered per end */
#define HOLDER_FDS_MAX 256       /* fds of one inode looked at; beyond, no single holder is claimed */

bool waits_holder_counts(const platform_ipc_fd *e, end_want want)
{
    bool reads, writes;
    if (want == WANT_ANY)
        return true;
    if (platform_fd_access(e->pid, e->tid, e->fd, &reads, &writes) != TL_OK)
        return false;
    return want == WANT_WRITER ? writes : reads;
}

/* Whose fd table the waiting thread uses, among the entries of its inode from first: its own
 * when it was listed with one (no CLONE_FILES), else the process's. */
static int waiter_table(const waits_ctx *ctx, const platform_ipc_fd *first, const platform_ipc_fd *key)
{
    for (const platform_ipc_fd *e = first; e < ctx->ipc + ctx->nipc && by_inode(e, key) == 0; e++)
        if (e->pid == ctx->proc->pid && e->tid == ctx->thread->tid)
            return e->tid;
    return ctx->proc->pid;
}

/* The processes holding (kind, inode) as wanted, other than fd of the waiting process: up to
 * HOLDERS_MAX distinct pids into pids; returns how many were found (HOLDERS_MAX, "many", when
 * more than HOLDER_FDS_MAX fds share the inode: then nobody is named as the only holder). */
static size_t end_holders(waits_ctx *ctx, platform_fd_kind kind, uint64_t inode, int fd, end_want want, int *pids)
{
    platform_ipc_fd key = {.kind = kind, .inode = inode};
    platform_ipc_fd *hit = ctx->nipc ? bsearch(&key, ctx->ipc, ctx->nipc, sizeof key, by_inode) : NULL;
    size_t n = 0, looked = 0;
    if (!hit)
        return 0;
    while (hit > ctx->ipc && by_inode(&hit[-1], &key) == 0)
        hit--;
    int table = waiter_table(ctx, hit, &key);
    for (; hit < ctx->ipc + ctx->nipc && by_inode(hit, &key) == 0 && n < HOLDERS_MAX; hit++) {
        bool seen = false;
        if (++looked > HOLDER_FDS_MAX)
            return HOLDERS_MAX;
        if ((hit->pid == ctx->proc->pid && hit->tid == table && hit->fd == fd) || !waits_holder_counts(hit, want))
            continue;
        for (size_t i = 0; i < n; i++)
            seen |= pids[i] == hit->pid;
        if (!seen)
            pids[n++] = hit->pid;
    }
    return n;
}

static const char *const end_words[][2] = {
    [WANT_WRITER] = {"written only by", "whose write end no process of the snapshot holds"},
    [WANT_READER] = {"read only by", "whose read end no process of the snapshot holds"},
    [WANT_ANY] = {"its peer held only by", "whose peer no process of the snapshot holds"},
};

/* Describes the other end (kind, inode); one holder process with one thread is the owner (an
 * edge). */
static bool describe_end(waits_ctx *ctx, const char *head, size_t nholders, int holder_pid, end_want want,
                         platform_fd_kind kind, uint64_t inode)
{
    tl_wait *w = &ctx->thread->wait;
    const tl_process *p = nholders == 1 ? model_find_process(ctx->snap, holder_pid) : NULL;
    if (nholders == 0)
        return waits_set(w, TL_WAIT_FD, "%s, %s", head, end_words[want][1]);
    if (nholders >= HOLDERS_MAX)
        return waits_set(w, TL_WAIT_FD, "%s, other end held by many fds or processes", head);
    if (!p)
        return waits_set(w, TL_WAIT_FD, "%s, other end held by %zu processes", head, nholders);
    const tl_thread *only = p->nthreads == 1 ? &p->threads[0] : NULL;
    if (!waits_set(w, TL_WAIT_FD, only ? "%s, %s process %d \"%s\" (tid %d)" : "%s, %s process %d \"%s\"", head,
                   end_words[want][0], p->pid, p->name ? p->name : "", only ? only->tid : 0))
        return false;
    w->owner_pid = p->pid;
    w->owner_tid = only ? only->tid : 0;
    return !only || waits_note_peer_edge(ctx, kind, inode, want);
}

/* A pipe end is read-only or write-only: a reader waits for the writers, a writer for the
 * readers. The call says which way it waits; else the fd's open mode does. */
static bool wait_pipe(waits_ctx *ctx, int fd, platform_fd_dir dir, const char *head, uint64_t inode)
{
    bool reads = dir == PLATFORM_DIR_IN, writes = dir == PLATFORM_DIR_OUT;
    if ((dir == PLATFORM_DIR_UNKNOWN && platform_fd_access(ctx->proc->pid, ctx->thread->tid, fd, &reads, &writes) != TL_OK) ||
        reads == writes)
        return waits_set(&ctx->thread->wait, TL_WAIT_FD, "%s", head);
    if (!ipc_build(ctx))
        return false;
    int holders[HOLDERS_MAX];
    end_want want = reads ? WANT_WRITER : WANT_READER;
    size_t n = end_holders(ctx, PLATFORM_FD_PIPE, inode, fd, want, holders);
    return describe_end(ctx, head, n, n ? holders[0] : 0, want, PLATFORM_FD_PIPE, inode);
}

/* A connected unix socket waits for whoever holds its peer (either way: both ends read and
 * write). A listening or unconnected one has no peer to name. */
static bool wait_unix_socket(waits_ctx *ctx, int fd, const char *head, uint64_t inode)
{
    uint64_t peer;
    if (platform_unix_peer(inode, &peer) != TL_OK)
        return waits_set(&ctx->thread->wait, TL_WAIT_FD, "%s", head);
    if (!ipc_build(ctx))
        return false;
    int holders[HOLDERS_MAX];
    size_t n = end_holders(ctx, PLATFORM_FD_SOCKET, peer, fd, WANT_ANY, holders);
    return describe_end(ctx, head, n, n ? holders[0] : 0, WANT_ANY, PLATFORM_FD_SOCKET, peer);
}

/* Fills the wait for `call_name` on fd: what it is and, for a pipe, who holds the other end. */
static bool wait_on_fd(waits_ctx *ctx, int fd, platform_fd_dir dir, const char *call_name)
{
    tl_wait *w = &ctx->thread->wait;
    platform_fd_info info;
    char object[600], head[900];
    w->fd = fd;
    if (platform_fd_describe(&ctx->dirs, ctx->thread->tid, fd, &info) != TL_OK)
        return waits_set(w, TL_WAIT_FD, "%s on fd %d", call_name, fd);
    if (info.kind == PLATFORM_FD_SOCKET &&
        platform_socket_describe(ctx->proc->pid, ctx->thread->tid, info.inode, object + 7, sizeof object - 7) == TL_OK)
        memcpy(object, "socket ", 7);
    else
        snprintf(object, sizeof object, "%s", info.target);
    free(w->object);
    if (!(w->object = strdup(object)))
        return false;
    snprintf(head, sizeof head, "%s on fd %d: %s", call_name, fd, object);
    if (info.kind == PLATFORM_FD_PIPE)
        return wait_pipe(ctx, fd, dir, head, info.inode);
    if (info.kind == PLATFORM_FD_SOCKET && strncmp(object, "socket unix ", 12) == 0)
        return wait_unix_socket(ctx, fd, head, info.inode);
    return waits_set(w, TL_WAIT_FD, "%s", head);
}

bool waits_fd(waits_ctx *ctx, const platform_call *call)
{
    return wait_on_fd(ctx, call->fd, call->dir, ctx->thread->wait.syscall_name);
}

/* Names up to WAITS_MAX_LISTED_FDS fds of a multi-fd wait: "poll on 3 fds: 4, 7, 9". */
static bool wait_many(waits_ctx *ctx, const char *call_name, const int *fds, size_t n, size_t total)
{
    char list[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < n && i < WAITS_MAX_LISTED_FDS && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%d", i ? ", " : "", fds[i]);
    return waits_set(&ctx->thread->wait, TL_WAIT_FD, "%s on %zu fds%s%s%s", call_name, total, n ? ": " : "", list,
                     total > WAITS_MAX_LISTED_FDS ? ", ..." : "");
}

bool waits_poll(waits_ctx *ctx, const platform_call *call)
{
    struct pollfd pfds[WAITS_MAX_POLL_FDS];
    size_t n = call->count < WAITS_MAX_POLL_FDS ? (size_t)call->count : WAITS_MAX_POLL_FDS;
    int fds[WAITS_MAX_POLL_FDS];
    size_t nfds = 0;
    const char *name = ctx->thread->wait.syscall_name;
    if (n == 0)
        return waits_set(&ctx->thread->wait, TL_WAIT_SLEEP, "sleep (%s with no fds)", name);
    if (platform_read_memory(ctx->proc->pid, call->addr, pfds, n * sizeof *pfds) != (ssize_t)(n * sizeof *pfds))
        return waits_set(&ctx->thread->wait, TL_WAIT_FD, "%s on %llu fds", name, (unsigned long long)call->count);
    for (size_t i = 0; i < n; i++)
        if (pfds[i].fd >= 0)
            fds[nfds++] = pfds[i].fd;
    if (nfds == 1 && call->count == 1)
        return wait_on_fd(ctx, fds[0], PLATFORM_DIR_UNKNOWN, name);
    return wait_many(ctx, name, fds, nfds, (size_t)call->count);
}

bool waits_epoll(waits_ctx *ctx, const platform_call *call)
{
    int fds[WAITS_MAX_POLL_FDS];
    size_t n = 0;
    char name[64];
    snprintf(name, sizeof name, "%s (epoll fd %d)", ctx->thread->wait.syscall_name, call->fd);
    if (platform_epoll_fds(ctx->proc->pid, ctx->thread->tid, call->fd, fds, WAITS_MAX_POLL_FDS, &n) != TL_OK)
        return waits_set(&ctx->thread->wait, TL_WAIT_FD, "%s on epoll fd %d", ctx->thread->wait.syscall_name, call->fd);
    if (n == 1 && !wait_on_fd(ctx, fds[0], PLATFORM_DIR_UNKNOWN, name))
        return false;
    if (n == 1)
        return true;
    bool ok = wait_many(ctx, name, fds, n, n);
    ctx->thread->wait.fd = call->fd;
    return ok;
}
