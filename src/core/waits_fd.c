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
    const platform_pipe_fd *x = a, *y = b;
    return x->inode < y->inode ? -1 : x->inode > y->inode;
}

static bool append_pipes(waits_ctx *ctx, platform_pipe_fd *more, size_t n)
{
    platform_pipe_fd *grown = realloc(ctx->pipes, (ctx->npipes + n + 1) * sizeof *grown);
    if (!grown)
        return false;
    memcpy(grown + ctx->npipes, more, n * sizeof *more);
    ctx->pipes = grown;
    ctx->npipes += n;
    return true;
}

/* Lists the pipe fds of every process of the snapshot, once. false when out of memory. */
static bool pipes_build(waits_ctx *ctx)
{
    if (ctx->pipes_built)
        return true;
    ctx->pipes_built = true;
    for (size_t i = 0; i < ctx->snap->nprocs; i++) {
        platform_pipe_fd *list;
        size_t n;
        bool truncated;
        tl_status st = platform_list_pipe_fds(ctx->snap->procs[i].pid, WAITS_MAX_PIPE_FDS, &list, &n, &truncated, NULL);
        if (st == TL_ENOMEM)
            return false;
        bool ok = st != TL_OK || append_pipes(ctx, list, n);
        free(list);
        if (!ok)
            return false;
    }
    if (ctx->npipes)
        qsort(ctx->pipes, ctx->npipes, sizeof *ctx->pipes, by_inode);
    return true;
}

#define PIPE_MAX_HOLDERS 8   /* distinct processes remembered per pipe end */

/* The processes (other than the waiting fd itself) holding inode with the wanted access:
 * up to PIPE_MAX_HOLDERS distinct pids into pids; returns how many were found. */
static size_t pipe_holders(waits_ctx *ctx, uint64_t inode, int fd, bool want_writer, int *pids)
{
    platform_pipe_fd key = {.inode = inode};
    platform_pipe_fd *hit = ctx->npipes ? bsearch(&key, ctx->pipes, ctx->npipes, sizeof key, by_inode) : NULL;
    size_t n = 0;
    if (!hit)
        return 0;
    while (hit > ctx->pipes && hit[-1].inode == inode)
        hit--;
    for (; hit < ctx->pipes + ctx->npipes && hit->inode == inode && n < PIPE_MAX_HOLDERS; hit++) {
        bool reads, writes, seen = false;
        if ((hit->pid == ctx->proc->pid && hit->fd == fd) ||
            platform_fd_access(hit->pid, hit->fd, &reads, &writes) != TL_OK || !(want_writer ? writes : reads))
            continue;
        for (size_t i = 0; i < n; i++)
            seen |= pids[i] == hit->pid;
        if (!seen)
            pids[n++] = hit->pid;
    }
    return n;
}

static bool describe_pipe_end(waits_ctx *ctx, const char *head, size_t nholders, int holder_pid, bool want_writer)
{
    tl_wait *w = &ctx->thread->wait;
    const char *role = want_writer ? "written" : "read";
    const tl_process *p = nholders == 1 ? model_find_process(ctx->snap, holder_pid) : NULL;
    if (nholders == 0)
        return waits_set(w, TL_WAIT_FD, "%s, whose %s end no process of the snapshot holds", head,
                         want_writer ? "write" : "read");
    if (!p)
        return waits_set(w, TL_WAIT_FD, "%s, %s by %zu%s processes", head, role, nholders,
                         nholders >= PIPE_MAX_HOLDERS ? " or more" : "");
    const tl_thread *only = p->nthreads == 1 ? &p->threads[0] : NULL;
    if (!waits_set(w, TL_WAIT_FD, only ? "%s, %s only by process %d \"%s\" (tid %d)" : "%s, %s only by process %d \"%s\"",
                   head, role, p->pid, p->name ? p->name : "", only ? only->tid : 0))
        return false;
    w->owner_pid = p->pid;
    w->owner_tid = only ? only->tid : 0;
    return true;
}

/* A pipe end is read-only or write-only: a reader waits for the writers, a writer for the
 * readers. The call says which way it waits; else the fd's open mode does. */
static bool wait_pipe(waits_ctx *ctx, int fd, platform_fd_dir dir, const char *head, uint64_t inode)
{
    bool reads = dir == PLATFORM_DIR_IN, writes = dir == PLATFORM_DIR_OUT;
    if ((dir == PLATFORM_DIR_UNKNOWN && platform_fd_access(ctx->proc->pid, fd, &reads, &writes) != TL_OK) ||
        reads == writes)
        return waits_set(&ctx->thread->wait, TL_WAIT_FD, "%s", head);
    if (!pipes_build(ctx))
        return false;
    int holders[PIPE_MAX_HOLDERS];
    size_t n = pipe_holders(ctx, inode, fd, reads, holders);
    return describe_pipe_end(ctx, head, n, n ? holders[0] : 0, reads);
}

/* Fills the wait for `call_name` on fd: what it is and, for a pipe, who holds the other end. */
static bool wait_on_fd(waits_ctx *ctx, int fd, platform_fd_dir dir, const char *call_name)
{
    tl_wait *w = &ctx->thread->wait;
    platform_fd_info info;
    char object[600], head[900];
    w->fd = fd;
    if (platform_fd_describe(&ctx->dirs, fd, &info) != TL_OK)
        return waits_set(w, TL_WAIT_FD, "%s on fd %d", call_name, fd);
    if (info.kind == PLATFORM_FD_SOCKET && platform_socket_describe(ctx->proc->pid, info.inode, object + 7,
                                                                    sizeof object - 7) == TL_OK)
        memcpy(object, "socket ", 7);
    else
        snprintf(object, sizeof object, "%s", info.target);
    free(w->object);
    if (!(w->object = strdup(object)))
        return false;
    snprintf(head, sizeof head, "%s on fd %d: %s", call_name, fd, object);
    return info.kind == PLATFORM_FD_PIPE ? wait_pipe(ctx, fd, dir, head, info.inode) : waits_set(w, TL_WAIT_FD, "%s", head);
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
    if (platform_epoll_fds(ctx->proc->pid, call->fd, fds, WAITS_MAX_POLL_FDS, &n) != TL_OK)
        return waits_set(&ctx->thread->wait, TL_WAIT_FD, "%s on epoll fd %d", ctx->thread->wait.syscall_name, call->fd);
    if (n == 1 && !wait_on_fd(ctx, fds[0], PLATFORM_DIR_UNKNOWN, name))
        return false;
    if (n == 1)
        return true;
    bool ok = wait_many(ctx, name, fds, n, n);
    ctx->thread->wait.fd = call->fd;
    return ok;
}
