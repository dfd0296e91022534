/* What each thread waits on, observed without stopping anything: the thread's current system
 * call from /proc (already read with its counters), a few bytes of its memory through
 * process_vm_readv, and /proc/PID/fd. The observation is not atomic: the thread may move on
 * while we look, so its syscall file is read again afterwards and a changed one (a torn
 * observation) is dropped. */
#include "waits.h"

#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "waits_internal.h"

bool waits_set(tl_wait *w, tl_wait_kind kind, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    free(w->description);
    w->kind = kind;
    w->address = 0;
    w->owner_tid = w->owner_pid = 0;
    w->description = strdup(buf);
    return w->description != NULL;
}

const tl_thread *waits_thread_of(const tl_process *p, int tid)
{
    if (tid <= 0)
        return NULL;
    for (size_t i = 0; i < p->nthreads; i++)
        if (p->threads[i].tid == tid)
            return &p->threads[i];
    return NULL;
}

void waits_holder_text(const tl_thread *waiter, const tl_thread *owner, bool timed, char *buf, size_t cap)
{
    if (owner == waiter && timed)   /* it ends by itself: no deadlock */
        snprintf(buf, cap, "held by itself (tid %d)", owner->tid);
    else if (owner == waiter)
        snprintf(buf, cap, "held by itself (tid %d: a self-deadlock)", owner->tid);
    else
        snprintf(buf, cap, "held by tid %d \"%s\"", owner->tid, owner->name ? owner->name : "");
}

static bool wait_child(waits_ctx *ctx, const platform_call *call)
{
    tl_wait *w = &ctx->thread->wait;
    const tl_process *child = NULL;
    size_t nchildren = 0;
    for (size_t i = 0; i < ctx->snap->nprocs; i++) {
        const tl_process *p = &ctx->snap->procs[i];
        if (p->ppid != ctx->proc->pid || (call->pid > 0 && p->pid != call->pid))
            continue;
        child = p;
        nchildren++;
    }
    if (call->pid == 0 || nchildren != 1)
        return waits_set(w, TL_WAIT_CHILD, "%s for %s", w->syscall_name,
                         call->pid > 0 ? "a child" : call->pid < 0 ? "any child" : "a child of a group");
    if (!waits_set(w, TL_WAIT_CHILD, "%s for child process %d \"%s\"", w->syscall_name, child->pid,
                   child->name ? child->name : ""))
        return false;
    w->owner_pid = child->pid;
    w->owner_tid = child->nthreads == 1 ? child->threads[0].tid : 0;
    return true;
}

/* Threads in a call we name but do not analyse count as waiting only when the kernel says they
 * sleep (S or D); a running thread passing through a call is not waiting on it. */
static bool wait_other(waits_ctx *ctx)
{
    tl_thread *t = ctx->thread;
    if (t->state != 'S' && t->state != 'D')
        return true;
    return waits_set(&t->wait, TL_WAIT_OTHER, "blocked in %s", t->wait.syscall_name);
}

/* A poll's fds as the core's memory holds its pollfd array: "fds 3, 7" (at most
 * WAITS_MAX_LISTED_FDS), "" when not readable. */
static void poll_fds_text(waits_ctx *ctx, const platform_call *call, char *buf, size_t cap)
{
    struct pollfd pfds[WAITS_MAX_LISTED_FDS];
    size_t n = call->count < WAITS_MAX_LISTED_FDS ? (size_t)call->count : WAITS_MAX_LISTED_FDS;
    buf[0] = '\0';
    if (ctx->src->read_memory(ctx->src->arg, call->addr, pfds, n * sizeof *pfds) != (ssize_t)(n * sizeof *pfds))
        return;
    size_t used = (size_t)snprintf(buf, cap, ": fd%s", call->count > 1 ? "s" : "");
    for (size_t i = 0; i < n && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s %d", i ? "," : "", pfds[i].fd);
    if (call->count > n && used < cap)
        snprintf(buf + used, cap - used, ", ...");
}

/* A core has no fd table: the fd waited on is named, not resolved. */
static bool wait_fd_missing(waits_ctx *ctx, const platform_call *call)
{
    tl_wait *w = &ctx->thread->wait;
    const char *why = ctx->src->fds_missing;
    if (call->kind == PLATFORM_CALL_POLL && call->count == 0)   /* pause() on aarch64 */
        return waits_set(w, TL_WAIT_SLEEP, "sleep (%s with no fds)", w->syscall_name);
    if (call->kind == PLATFORM_CALL_POLL) {
        char fds[96];
        poll_fds_text(ctx, call, fds, sizeof fds);
        return waits_set(w, TL_WAIT_FD, "%s on %llu fds%s (%s)", w->syscall_name, (unsigned long long)call->count,
                         fds, why);
    }
    if (call->kind == PLATFORM_CALL_SELECT)
        return waits_set(w, TL_WAIT_FD, "%s on %llu fds (%s)", w->syscall_name, (unsigned long long)call->count, why);
    return waits_set(w, TL_WAIT_FD, "%s on fd %d (%s)", w->syscall_name, call->fd, why);
}

static bool observe_call(waits_ctx *ctx, const platform_call *call)
{
    tl_wait *w = &ctx->thread->wait;
    if (ctx->src && (call->kind == PLATFORM_CALL_FD || call->kind == PLATFORM_CALL_POLL ||
                     call->kind == PLATFORM_CALL_EPOLL || call->kind == PLATFORM_CALL_SELECT))
        return wait_fd_missing(ctx, call);
    switch (call->kind) {
    case PLATFORM_CALL_FUTEX: return waits_futex(ctx, call);
    case PLATFORM_CALL_FD: return waits_fd(ctx, call);
    case PLATFORM_CALL_POLL: return waits_poll(ctx, call);
    case PLATFORM_CALL_EPOLL: return waits_epoll(ctx, call);
    case PLATFORM_CALL_SELECT:
        return waits_set(w, TL_WAIT_FD, "%s on %llu fds", w->syscall_name, (unsigned long long)call->count);
    case PLATFORM_CALL_SLEEP: return waits_set(w, TL_WAIT_SLEEP, "sleep (%s)", w->syscall_name);
    case PLATFORM_CALL_SIGNAL: return waits_set(w, TL_WAIT_OTHER, "a signal (%s)", w->syscall_name);
    case PLATFORM_CALL_CHILD: return wait_child(ctx, call);
    case PLATFORM_CALL_OTHER: return wait_other(ctx);
    case PLATFORM_CALL_NONE: return true;
    }
    return true;
}

static bool same_call(const tl_syscall *a, const tl_syscall *b)
{
    return a->valid == b->valid && a->running == b->running && a->nr == b->nr &&
           memcmp(a->args, b->args, sizeof a->args) == 0;
}

/* Waits that read the target's memory or its fd table can tear: the thread may have left
 * the call (and the memory or fd changed) while we read. The others come from the syscall
 * file alone (and the snapshot), which is one consistent read. */
static bool call_needs_recheck(const platform_call *call)
{
    switch (call->kind) {
    case PLATFORM_CALL_FUTEX:
    case PLATFORM_CALL_FD:
    case PLATFORM_CALL_POLL:
    case PLATFORM_CALL_EPOLL: return true;
    default: return false;
    }
}

#define SIG_BIT(n) (1ull << ((n) - 1))
#define GLIBC_SIGCANCEL 32       /* glibc's own real-time signals (cancellation, setxid) */
#define GLIBC_SIGSETXID 33
/* Handlers that never end a wait: glibc's own, and those of the faults a thread raises itself
 * (crash reporters, sanitizers and JVMs install them; nobody sends them to wake a thread). */
#define SIGNALS_NEVER_WAKE                                                                          \
    (SIG_BIT(GLIBC_SIGCANCEL) | SIG_BIT(GLIBC_SIGSETXID) | SIG_BIT(SIGILL) | SIG_BIT(SIGTRAP) |         \
     SIG_BIT(SIGABRT) | SIG_BIT(SIGBUS) | SIG_BIT(SIGFPE) | SIG_BIT(SIGSEGV) | SIG_BIT(SIGSYS))

/* Can a signal handler of the process run on this thread (and, say, write the pipe it waits
 * on: the self-pipe trick)? Caught signals the thread blocks do not count, nor those above. */
static bool handler_can_run(const tl_process *p, const tl_thread *t)
{
    uint64_t blocked = t->sig_blocked ? strtoull(t->sig_blocked, NULL, 16) : 0;
    return p->shared.sig_valid && (p->shared.sig_caught & ~SIGNALS_NEVER_WAKE & ~blocked) != 0;
}

/* How the wait can end other than by its holder: a timeout for any timed wait; a signal
 * handler for pipe, socket and child waits (a lock wait is not ended by a signal: glibc goes
 * back to waiting). The "another holder" case is waits_confirm's. */
static tl_wait_end wait_end(const waits_ctx *ctx, const platform_call *call)
{
    const tl_wait *w = &ctx->thread->wait;
    if (call->timed)
        return TL_END_TIMEOUT;
    if ((w->kind == TL_WAIT_FD || w->kind == TL_WAIT_CHILD) && handler_can_run(ctx->proc, ctx->thread))
        return TL_END_SIGNAL;
    return TL_END_HOLDER_ONLY;
}

/* Looks at one thread; *torn when it moved on meanwhile (its wait is then dropped). */
static bool observe_thread(waits_ctx *ctx, bool *torn)
{
    tl_thread *t = ctx->thread;
    platform_call call;
    *torn = false;
    /* the previous take's wait, copied as the thread has not run since; but a holder named in it
     * (a lock's owner, the process at a pipe's other end) may have changed meanwhile */
    if (t->calls_reused && t->wait.owner_tid <= 0 && t->wait.owner_pid <= 0)
        return true;
    const char *wchan = ctx->src && ctx->src->wchan_of ? ctx->src->wchan_of(t) : t->wchan;
    platform_decode_call(&t->syscall, wchan, &call);
    if (call.kind == PLATFORM_CALL_NONE)
        return true;
    wait_clear(&t->wait);
    t->wait.fd = call.fd;
    t->wait.syscall_name = strdup(call.name ? call.name : t->syscall.name[0] ? t->syscall.name : "?");
    if (!t->wait.syscall_name || !observe_call(ctx, &call))
        return false;
    if (t->wait.kind == TL_WAIT_NONE)
        return wait_clear(&t->wait), true;
    t->wait.can_end_by = wait_end(ctx, &call);
    if (ctx->src || !call_needs_recheck(&call))
        return true;
    tl_syscall again;
    if (platform_reread_syscall(&ctx->dirs, t->tid, &again) != TL_OK || !same_call(&t->syscall, &again)) {
        wait_clear(&t->wait);
        *torn = true;
    }
    return true;
}

bool waits_note_peer_edge(waits_ctx *ctx, platform_fd_kind kind, uint64_t inode, end_want want)
{
    if (ctx->nedges == ctx->edges_cap) {
        size_t cap = ctx->edges_cap ? ctx->edges_cap * 2 : 16;
        waits_peer_edge *grown = realloc(ctx->edges, cap * sizeof *grown);
        if (!grown)
            return false;
        ctx->edges = grown;
        ctx->edges_cap = cap;
    }
    ctx->edges[ctx->nedges++] = (waits_peer_edge){.thread = ctx->thread, .kind = kind, .inode = inode, .want = want};
    return true;
}

void waits_ctx_free(waits_ctx *ctx)
{
    free(ctx->ipc);
    ctx->ipc = NULL;
    ctx->nipc = 0;
    free(ctx->edges);
    ctx->edges = NULL;
    ctx->nedges = ctx->edges_cap = 0;
}

tl_status waits_observe(tl_snapshot *s, tl_error *err)
{
    return waits_observe_from(s, NULL, err);
}

tl_status waits_observe_from(tl_snapshot *s, const waits_source *src, tl_error *err)
{
    waits_ctx ctx = {.snap = s, .src = src};
    size_t torn = 0;
    for (size_t i = 0; i < s->nprocs; i++) {
        ctx.proc = &s->procs[i];
        if (src)
            ctx.dirs = (platform_proc_dirs){.pid = ctx.proc->pid, .task_dir = -1, .fd_dir = -1};
        else
            platform_proc_dirs_open(&ctx.dirs, ctx.proc->pid);
        for (size_t j = 0; j < s->procs[i].nthreads; j++) {
            ctx.thread = &s->procs[i].threads[j];
            bool moved;
            if (!observe_thread(&ctx, &moved)) {
                if (!src)
                    platform_proc_dirs_close(&ctx.dirs);
                waits_ctx_free(&ctx);
                return tl_error_set(err, TL_ENOMEM, "out of memory analysing what thread %d waits on",
                                    ctx.thread->tid);
            }
            torn += moved;
        }
        if (!src)
            platform_proc_dirs_close(&ctx.dirs);
    }
    bool confirmed = src || waits_confirm(&ctx);   /* a core: no fd wait names a holder */
    waits_ctx_free(&ctx);
    if (!confirmed)
        return tl_error_set(err, TL_ENOMEM, "out of memory confirming the pipe and socket waits of a deadlock");
    if (torn)
        snapshot_add_note(s, "%zu thread%s moved on while what %s waited on was read (not shown)", torn,
                          torn == 1 ? "" : "s", torn == 1 ? "it" : "they");
    return TL_OK;
}
