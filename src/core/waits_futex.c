/* Futex waits, read through glibc's lock layouts. Nothing is stopped: the words around the
 * futex address are copied with process_vm_readv while the thread sleeps in the kernel.
 *
 * Layouts (LP64: x86_64 and aarch64; little-endian; glibc 2.36 as in Debian 12; the structs
 * are in glibc's headers named below). Where the words do not fit a layout, the wait is
 * reported as a plain "futex 0x..." and no owner is invented.
 *
 * pthread_mutex_t, struct __pthread_mutex_s (sysdeps/x86/nptl/bits/struct_mutex.h; the generic
 * sysdeps/nptl/bits/struct_mutex.h has the same offsets on 64-bit):
 *     0 int __lock      the futex word the waiter sleeps on (futex address == mutex address)
 *     4 unsigned __count   recursion depth of a recursive mutex
 *     8 int __owner     TID of the holder, written by the holder once it has the lock
 *    12 unsigned __nusers
 *    16 int __kind      type in bits 0-1 (normal, recursive, errorcheck, adaptive), 16 robust,
 *                       32 priority-inherit, 64 priority-protect, 128 process-shared,
 *                       256/512 lock elision
 *   A waiter on a normal/recursive/errorcheck/adaptive mutex sleeps in FUTEX_WAIT expecting 2
 *   (locked, with waiters); on a robust one, FUTEX_WAIT expecting the holder's TID with the
 *   waiters bit (the holder's TID is then both in the word and in __owner); on a PI mutex,
 *   FUTEX_LOCK_PI, and the kernel keeps the holder's TID in the word itself.
 *
 * pthread_join: waits (FUTEX_WAIT_BITSET in 2.36, FUTEX_WAIT before) on the `tid` field of the
 *   joined thread's struct pthread (nptl/descr.h), expecting that thread's TID; the kernel clears
 *   the field when the thread exits (CLONE_CHILD_CLEARTID). We identify it as: the expected
 *   value equals the word, and both are the TID of a live thread of the same process. No lock
 *   of glibc stores a bare TID in a word it waits on otherwise (robust words carry the waiters
 *   bit; PI mutexes use FUTEX_LOCK_PI).
 *
 * pthread_cond_t, struct __pthread_cond_s (sysdeps/nptl/bits/thread-shared-types.h):
 *     0 __wseq (8 bytes)  8 __g1_start (8)  16 unsigned __g_refs[2]  24 __g_size[2]
 *    32 __g1_orig_size  36 __wrefs  40 unsigned __g_signals[2]
 *   Waiters of group g sleep on &__g_signals[g] (FUTEX_WAIT_BITSET expecting 0, timed against
 *   the condvar's clock). While they do: __wrefs >> 3 (waiters) >= __g_refs[g] >> 1 (waiters of
 *   g) >= 1; __wrefs bit 2 is "process-shared" (then the futex is not private), bits 0-1 the
 *   clock (0 realtime, 1 monotonic); __wseq >> 1 (waiters ever started) >= waiters, and
 *   >= __g1_start >> 1. All of these must hold before a wait is called a condition wait.
 *
 * pthread_rwlock_t, struct __pthread_rwlock_arch_t (sysdeps/x86/nptl/bits/struct_rwlock.h):
 *     0 __readers (bit 1: write-locked)  4 __writers  8 __wrphase_futex  12 __writers_futex
 *    16 __pad3  20 __pad4  24 int __cur_writer (TID of the write-lock holder)
 *   Readers sleep on __wrphase_futex, writers on __writers_futex or __wrphase_futex.
 *
 * sem_t, struct new_sem (nptl/semaphoreP.h, 64-bit): 0 value (low half of `data`),
 *   4 waiter count (high half), 8 int private (0 private, 128 shared: it matches the futex
 *   op's private flag). Waiters sleep on the value expecting 0, timed against CLOCK_REALTIME.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "waits_internal.h"

#define MUTEX_OWNER 8
#define MUTEX_KIND 16
#define MUTEX_KIND_TYPE 0x3u
#define MUTEX_KIND_ROBUST 0x10u
#define MUTEX_KIND_PI 0x20u
#define MUTEX_KIND_KNOWN 0x3f3u      /* every bit glibc 2.36 defines in __kind */
#define MUTEX_WAIT_LOCKED 2u         /* lll_lock's "locked, maybe waiters" */
#define COND_WSEQ 0
#define COND_G1_START 8
#define COND_G_REFS 16
#define COND_WREFS 36
#define COND_G_SIGNALS 40
#define COND_WREFS_SHARED 0x4u
#define COND_WREFS_CLOCK 0x3u
#define RWLOCK_WRLOCKED 0x2u
#define RWLOCK_CUR_WRITER 24
#define SEM_PRIVATE_SHARED 128u
#define SEM_MAX_WAITERS (1u << 22)   /* more waiters than any process has threads: not a sem_t */

#define TID_MAX (1 << 22)            /* PID_MAX_LIMIT: a larger "owner" is no TID at all */

#define WINDOW_BEFORE 48             /* bytes copied before the futex word */
#define WINDOW_AFTER 24              /* bytes copied from the futex word on */

/* Words copied around the futex address. */
typedef struct futex_window {
    uint64_t addr;
    bool before_ok;                  /* the bytes before addr could be read */
    unsigned char bytes[WINDOW_BEFORE + WINDOW_AFTER];
} futex_window;

static bool window_read(int pid, uint64_t addr, futex_window *win)
{
    memset(win, 0, sizeof *win);
    win->addr = addr;
    if (addr >= WINDOW_BEFORE &&
        platform_read_memory(pid, addr - WINDOW_BEFORE, win->bytes, sizeof win->bytes) == (ssize_t)sizeof win->bytes) {
        win->before_ok = true;
        return true;
    }
    return platform_read_memory(pid, addr, win->bytes + WINDOW_BEFORE, WINDOW_AFTER) == WINDOW_AFTER;
}

/* The 32-bit word at addr + off (off may be negative down to -WINDOW_BEFORE). */
static bool window_word(const futex_window *win, int off, uint32_t *out)
{
    int at = WINDOW_BEFORE + off;
    if (at < 0 || at + 4 > (int)sizeof win->bytes || (off < 0 && !win->before_ok))
        return false;
    memcpy(out, win->bytes + at, 4);
    return true;
}

static uint32_t word_at(const futex_window *win, int off)
{
    uint32_t v = 0;
    window_word(win, off, &v);
    return v;
}

static const char *mutex_type_name(uint32_t kind)
{
    static const char *const types[] = {"normal", "recursive", "errorcheck", "adaptive"};
    if (kind & MUTEX_KIND_PI)
        return "priority-inherit";
    if (kind & MUTEX_KIND_ROBUST)
        return (kind & MUTEX_KIND_TYPE) == 0 ? "robust" : (kind & MUTEX_KIND_TYPE) == 1 ? "robust recursive"
                                                                                         : "robust errorcheck";
    return types[kind & MUTEX_KIND_TYPE];
}

/* Sets an owned wait (mutex, pi mutex, rwlock, join) on owner, or "owner unknown". */
static bool set_owned(waits_ctx *ctx, tl_wait_kind kind, uint64_t addr, const char *what, int owner_tid)
{
    tl_wait *w = &ctx->thread->wait;
    const tl_thread *owner = waits_thread_of(ctx->proc, owner_tid);
    char holder[300];
    if (owner)
        waits_holder_text(ctx->thread, owner, holder, sizeof holder);
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

static bool is_mutex_wait(const platform_call *call, const futex_window *win)
{
    uint32_t kind = word_at(win, MUTEX_KIND), lock = word_at(win, 0);
    if (call->futex_op != PLATFORM_FUTEX_WAIT || (kind & ~MUTEX_KIND_KNOWN) || lock == 0 || (kind & MUTEX_KIND_PI))
        return false;
    if (kind & MUTEX_KIND_ROBUST)   /* the word holds the holder's TID, as does __owner */
        return platform_futex_word_owner(call->futex_val) == (int)word_at(win, MUTEX_OWNER);
    return call->futex_val == MUTEX_WAIT_LOCKED;
}

static bool wait_mutex(waits_ctx *ctx, const futex_window *win)
{
    char what[64];
    snprintf(what, sizeof what, "mutex (%s)", mutex_type_name(word_at(win, MUTEX_KIND)));
    return set_owned(ctx, TL_WAIT_MUTEX, win->addr, what, (int)word_at(win, MUTEX_OWNER));
}

static bool wait_pi(waits_ctx *ctx, const futex_window *win)
{
    return set_owned(ctx, TL_WAIT_PI_MUTEX, win->addr, "mutex (priority-inherit)",
                     platform_futex_word_owner(word_at(win, 0)));
}

static bool is_join_wait(const waits_ctx *ctx, const platform_call *call, const futex_window *win)
{
    bool op = call->futex_op == PLATFORM_FUTEX_WAIT || call->futex_op == PLATFORM_FUTEX_WAIT_BITSET;
    return op && call->futex_val == word_at(win, 0) && call->futex_val <= INT32_MAX &&
           waits_thread_of(ctx->proc, (int)call->futex_val) != NULL;
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

/* A write-locked rwlock whose futex word is at base + 8 or base + 12 and whose __cur_writer is
 * a live thread of the process. Returns the writer's TID, 0 when it does not fit. */
static int rwlock_writer(const waits_ctx *ctx, const futex_window *win, uint64_t *base)
{
    static const int word_offsets[] = {8, 12};
    for (size_t i = 0; i < 2; i++) {
        int b = -word_offsets[i];
        uint32_t readers, writer;
        if (!window_word(win, b, &readers) || !window_word(win, b + RWLOCK_CUR_WRITER, &writer))
            continue;
        if ((readers & RWLOCK_WRLOCKED) && writer <= INT32_MAX && waits_thread_of(ctx->proc, (int)writer)) {
            *base = win->addr - (uint64_t)word_offsets[i];
            return (int)writer;
        }
    }
    return 0;
}

/* The 64-bit word at addr + off (two 32-bit words, little-endian). */
static bool window_u64(const futex_window *win, int off, uint64_t *out)
{
    uint32_t lo, hi;
    if (!window_word(win, off, &lo) || !window_word(win, off + 4, &hi))
        return false;
    *out = (uint64_t)hi << 32 | lo;
    return true;
}

/* Do the words around the futex fit a condvar whose __g_signals[g] it is? */
static bool condvar_fits(const futex_window *win, const platform_call *call, int g)
{
    int base = -(COND_G_SIGNALS + 4 * g);
    uint32_t wrefs, refs;
    uint64_t wseq, g1_start;
    if (!window_word(win, base + COND_WREFS, &wrefs) || !window_word(win, base + COND_G_REFS + 4 * g, &refs) ||
        !window_u64(win, base + COND_WSEQ, &wseq) || !window_u64(win, base + COND_G1_START, &g1_start))
        return false;
    uint32_t waiters = wrefs >> 3, clock = wrefs & COND_WREFS_CLOCK;
    bool shared = (wrefs & COND_WREFS_SHARED) != 0;
    return waiters >= 1 && (refs >> 1) >= 1 && (refs >> 1) <= waiters && shared == !call->futex_private &&
           clock <= 1 && (clock == 0) == call->futex_realtime && (wseq >> 1) >= waiters &&
           (wseq >> 1) >= (g1_start >> 1);
}

/* The condvar holding the futex word as __g_signals[g], or 0. */
static uint64_t condvar_base(const futex_window *win, const platform_call *call)
{
    for (int g = 0; g < 2; g++)
        if (condvar_fits(win, call, g))
            return win->addr - (uint64_t)(COND_G_SIGNALS + 4 * g);
    return 0;
}

static bool is_semaphore(const futex_window *win, const platform_call *call)
{
    uint32_t priv = word_at(win, 8), waiters = word_at(win, 4);
    return call->futex_val == 0 && call->futex_realtime && word_at(win, 0) == 0 && waiters >= 1 &&
           waiters <= SEM_MAX_WAITERS && priv == (call->futex_private ? 0 : SEM_PRIVATE_SHARED);
}

/* Condition variables, rwlocks and semaphores: named when their words fit, never an owner
 * except a write-locked rwlock's recorded writer. */
static bool wait_other_futex(waits_ctx *ctx, const platform_call *call, const futex_window *win)
{
    tl_wait *w = &ctx->thread->wait;
    uint64_t base = 0;
    int writer = call->futex_op == PLATFORM_FUTEX_WAIT_BITSET ? rwlock_writer(ctx, win, &base) : 0;
    if (writer)
        return set_owned(ctx, TL_WAIT_RWLOCK, base, "rwlock (write-locked)", writer);
    tl_wait_kind kind = TL_WAIT_FUTEX;
    const char *what = "futex";
    if (call->futex_op == PLATFORM_FUTEX_WAIT_BITSET && call->futex_val == 0 && (base = condvar_base(win, call)) != 0)
        kind = TL_WAIT_CONDVAR, what = "condition";
    else if (call->futex_op == PLATFORM_FUTEX_WAIT_BITSET && is_semaphore(win, call))
        kind = TL_WAIT_SEMAPHORE, what = "semaphore", base = win->addr;
    else
        base = win->addr;
    if (!waits_set(w, kind, "%s 0x%" PRIx64 " (no owner known)", what, base))
        return false;
    w->address = base;
    return true;
}

bool waits_futex(waits_ctx *ctx, const platform_call *call)
{
    tl_wait *w = &ctx->thread->wait;
    futex_window win;
    if (!window_read(ctx->proc->pid, call->addr, &win)) {
        if (!waits_set(w, TL_WAIT_FUTEX, "futex 0x%" PRIx64 " (memory not readable)", call->addr))
            return false;
        w->address = call->addr;
        return true;
    }
    if (call->futex_op == PLATFORM_FUTEX_LOCK_PI)
        return wait_pi(ctx, &win);
    if (is_mutex_wait(call, &win))
        return wait_mutex(ctx, &win);
    if (is_join_wait(ctx, call, &win))
        return wait_join(ctx, call);
    return wait_other_futex(ctx, call, &win);
}
