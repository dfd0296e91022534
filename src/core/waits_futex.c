/* Futex waits: the words around the futex address are copied with process_vm_readv while the
 * thread sleeps in the kernel (nothing is stopped), decoded through glibc's layouts
 * (waits_futex_decode.c, which documents them) and described. Where the words fit no layout,
 * the wait is a plain "futex 0x..." and no owner is invented. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "waits.h"
#include "platform/byte_order.h"
#include "waits_futex.h"
#include "waits_internal.h"

#define TID_MAX (1 << 22)            /* PID_MAX_LIMIT: a larger "owner" is no TID at all */

/* The live process's memory, or the core's (ctx->src). */
static ssize_t memory_read(const waits_ctx *ctx, uint64_t addr, void *buf, size_t len)
{
    if (ctx->src)
        return ctx->src->read_memory(ctx->src->arg, addr, buf, len);
    return platform_read_memory(ctx->proc->pid, addr, buf, len);
}

static bool window_read(const waits_ctx *ctx, uint64_t addr, futex_window *win)
{
    memset(win, 0, sizeof *win);
    win->addr = addr;
    win->big_endian = tl_host_big_endian();
    if (addr >= FUTEX_WINDOW_BEFORE &&
        memory_read(ctx, addr - FUTEX_WINDOW_BEFORE, win->bytes, sizeof win->bytes) == (ssize_t)sizeof win->bytes) {
        win->before_ok = true;
        return true;
    }
    return memory_read(ctx, addr, win->bytes + FUTEX_WINDOW_BEFORE, FUTEX_WINDOW_AFTER) == FUTEX_WINDOW_AFTER;
}

/* Sets an owned wait (mutex, pi mutex, rwlock) on owner, or "owner unknown". */
static bool set_owned(waits_ctx *ctx, tl_wait_kind kind, uint64_t addr, const char *what, int owner_tid,
                      bool timed)
{
    tl_wait *w = &ctx->thread->wait;
    const tl_thread *owner = waits_thread_of(ctx->proc, owner_tid);
    char holder[300];
    if (owner)
        waits_holder_text(ctx->thread, owner, timed, holder, sizeof holder);
    else if (owner_tid > 0 && owner_tid <= TID_MAX)
        snprintf(holder, sizeof holder, "owner unknown (tid %d is not a live thread of this process)", owner_tid);
    else
        snprintf(holder, sizeof holder, "owner unknown");
    if (!waits_set(w, kind, "%s 0x%" PRIx64 " %s", what, addr, holder))
        return false;
    w->address = addr;
    w->owner_tid = owner ? owner->tid : 0;
    w->owner_pid = owner ? ctx->proc->pid : 0;
    return true;
}

static bool wait_join(waits_ctx *ctx, const platform_call *call)
{
    tl_wait *w = &ctx->thread->wait;
    const tl_thread *joined = waits_thread_of(ctx->proc, (int)call->futex_val);
    if (!waits_set(w, TL_WAIT_JOIN, "pthread_join of tid %d \"%s\" (its tid word 0x%" PRIx64 ")", joined->tid,
                   joined->name ? joined->name : "", call->addr))
        return false;
    w->address = call->addr;
    w->owner_tid = joined->tid;
    w->owner_pid = ctx->proc->pid;
    return true;
}

static bool is_live(int tid, void *arg)
{
    return waits_thread_of(arg, tid) != NULL;
}

bool waits_futex(waits_ctx *ctx, const platform_call *call)
{
    tl_wait *w = &ctx->thread->wait;
    futex_window win;
    if (!window_read(ctx, call->addr, &win)) {
        if (!waits_set(w, TL_WAIT_FUTEX, "futex 0x%" PRIx64 " (memory not readable)", call->addr))
            return false;
        w->address = call->addr;
        return true;
    }
    futex_found f;
    futex_decode_env env = {.is_live = is_live, .arg = (void *)ctx->proc};
    waits_futex_decode(&win, call, &env, &f);
    if (f.kind == TL_WAIT_JOIN)
        return wait_join(ctx, call);
    if (f.owned)
        return set_owned(ctx, f.kind, f.base, f.what, f.owner_tid, call->timed);
    if (!waits_set(w, f.kind, "%s 0x%" PRIx64 " (no owner known)", f.what, f.base))
        return false;
    w->address = f.base;
    return true;
}
