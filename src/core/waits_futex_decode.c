/* Futex waits, decoded through glibc's lock layouts from the words around the futex address
 * (copied by waits_futex.c with process_vm_readv while the thread sleeps in the kernel).
 *
 * Layouts (LP64: x86_64, aarch64, ppc64le, s390x; glibc 2.36 as in Debian 12; the structs
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
 *   (locked, with waiters; pthread_mutex_timedlock/clocklock: FUTEX_WAIT_BITSET with a
 *   timeout); on a robust one, FUTEX_WAIT expecting the holder's TID with the
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
 * pthread_cond_t, struct __pthread_cond_s (sysdeps/nptl/bits/thread-shared-types.h; 8-byte
 * aligned, it starts with a 64-bit word):
 *     0 __wseq (8 bytes)  8 __g1_start (8)  16 unsigned __g_refs[2]  24 __g_size[2]
 *    32 __g1_orig_size  36 __wrefs  40 unsigned __g_signals[2]
 *   Waiters of group g sleep on &__g_signals[g] (offset 40 or 44: as the condvar is 8-byte
 *   aligned, bit 2 of the futex address says which group), FUTEX_WAIT_BITSET expecting 0.
 *   __wrefs (nptl/pthread_cond_common.c): bit 0 process-shared (then the futex is not
 *   private), bit 1 the clock (0 CLOCK_REALTIME, 1 CLOCK_MONOTONIC), bit 2 "wake the
 *   destroyer", the waiter count from bit 3 on. The futex op's clock is not the condvar's:
 *   an untimed wait passes CLOCK_REALTIME (so FUTEX_CLOCK_REALTIME is set whatever the
 *   condvar's clock), a timed one the condvar's clock, pthread_cond_clockwait (C++
 *   wait_for/wait_until on steady_clock) the one it is given; so a wait without the flag is a
 *   timed one, and the flag says nothing about __wrefs. While a thread waits:
 *   __wrefs >> 3 (waiters) >= __g_refs[g] >> 1 (waiters of g) >= 1; __wseq >> 1 (waiters
 *   ever started) >= waiters and >= __g1_start >> 1. All of these must hold before a wait is
 *   called a condition wait.
 *
 * pthread_rwlock_t, struct __pthread_rwlock_arch_t (sysdeps/x86/nptl/bits/struct_rwlock.h;
 * the generic one has the same offsets up to __shared; 8-byte aligned):
 *     0 __readers (bit 0 write phase, bit 1 write-locked, bit 2 readers waiting, the reader
 *       count from bit 3)  4 __writers  8 __wrphase_futex  12 __writers_futex
 *    16 __pad3  20 __pad4 (both 0)  24 int __cur_writer (TID of the write-lock holder)
 *    28 int __shared (0 private, 1 process-shared)
 *   Both futex words hold a phase or lock bit (bit 0) and PTHREAD_RWLOCK_FUTEX_USED (bit 1,
 *   set by a waiter before it sleeps): readers wait on __wrphase_futex expecting 1|USED (a
 *   write phase), a writer waiting for the readers on it expecting 0|USED, a writer behind
 *   another writer on __writers_futex expecting 1|USED. Which word it is comes from the
 *   address (offset 8 is 8-byte aligned, 12 is not). Timed against the clock given (untimed:
 *   CLOCK_REALTIME), like the condvar's.
 *
 * sem_t, struct new_sem (nptl/semaphoreP.h, 64-bit; 8-byte aligned): the 64-bit `data`, its
 *   low half the value, its high half the waiter count (so the value is at offset 0 and the
 *   count at 4 little-endian, the count at 0 and the value at 4 big-endian: glibc's
 *   SEM_VALUE_OFFSET), 8 int private (0 private, 128 shared: it matches the futex op's
 *   private flag).
 * Byte order: the words are read in the window's (the target's) order; the 64-bit words
 *   (__wseq, __g1_start, sem_t's data) keep their high half first on big-endian s390x. Waiters sleep on the value expecting 0; sem_wait untimed
 *   (FUTEX_CLOCK_REALTIME set), sem_timedwait against CLOCK_REALTIME, sem_clockwait against
 *   the clock given (CLOCK_MONOTONIC: no flag, and a timeout).
 *
 * This file only decodes a copy of those words (waits_futex_decode, pure: unit tests feed it
 * saved windows, a fuzz target arbitrary ones); waits_futex.c reads them and describes.
 */
#include <string.h>

#include "platform/byte_order.h"
#include "waits_futex.h"

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
#define COND_WREFS_SHARED 0x1u
#define COND_WREFS_FLAGS 3           /* __wrefs bits below the waiter count */
#define RWLOCK_WRLOCKED 0x2u
#define RWLOCK_WRPHASE_FUTEX 8
#define RWLOCK_WRITERS_FUTEX 12
#define RWLOCK_PAD3 16
#define RWLOCK_PAD4 20
#define RWLOCK_CUR_WRITER 24
#define RWLOCK_SHARED 28
#define RWLOCK_FUTEX_USED 0x2u
#define SEM_PRIVATE_SHARED 128u
#define SEM_MAX_WAITERS (1u << 22)   /* more waiters than any process has threads: not a sem_t */
#define OBJECT_ALIGN 8u              /* pthread_cond_t, pthread_rwlock_t, sem_t: 8-byte aligned */

#define TID_MAX (1 << 22)            /* PID_MAX_LIMIT: a larger "owner" is no TID at all */

bool futex_window_word(const futex_window *win, int off, uint32_t *out)
{
    int at = FUTEX_WINDOW_BEFORE + off;
    if (at < 0 || at + 4 > (int)sizeof win->bytes || (off < 0 && !win->before_ok))
        return false;
    *out = (uint32_t)tl_load_uint(win->bytes + at, 4, win->big_endian);
    return true;
}

static uint32_t word_at(const futex_window *win, int off)
{
    uint32_t v = 0;
    futex_window_word(win, off, &v);
    return v;
}

/* The 64-bit word at addr + off (two 32-bit words, the low one first little-endian). */
static bool window_u64(const futex_window *win, int off, uint64_t *out)
{
    uint32_t first, second;
    if (!futex_window_word(win, off, &first) || !futex_window_word(win, off + 4, &second))
        return false;
    *out = win->big_endian ? (uint64_t)first << 32 | second : (uint64_t)second << 32 | first;
    return true;
}

static bool live(const futex_decode_env *env, uint32_t tid)
{
    return tid > 0 && tid <= TID_MAX && env->is_live && env->is_live((int)tid, env->arg);
}

static const char *mutex_type_name(uint32_t kind)
{
    static const char *const types[] = {"mutex (normal)", "mutex (recursive)", "mutex (errorcheck)",
                                        "mutex (adaptive)"};
    if (kind & MUTEX_KIND_ROBUST)
        return (kind & MUTEX_KIND_TYPE) == 0   ? "mutex (robust)"
               : (kind & MUTEX_KIND_TYPE) == 1 ? "mutex (robust recursive)"
                                               : "mutex (robust errorcheck)";
    return types[kind & MUTEX_KIND_TYPE];
}

/* lll_lock sleeps in FUTEX_WAIT; pthread_mutex_timedlock/clocklock in FUTEX_WAIT_BITSET with a
 * timeout (checked after the rwlock's words, which a writer waiting for readers leaves
 * mutex-like). */
static bool is_mutex_wait(const platform_call *call, const futex_window *win)
{
    uint32_t kind = word_at(win, MUTEX_KIND), lock = word_at(win, 0);
    bool op = call->futex_op == PLATFORM_FUTEX_WAIT || (call->futex_op == PLATFORM_FUTEX_WAIT_BITSET && call->timed);
    if (!op || (kind & ~MUTEX_KIND_KNOWN) || lock == 0 || (kind & MUTEX_KIND_PI))
        return false;
    if (kind & MUTEX_KIND_ROBUST)   /* the word holds the holder's TID, as does __owner */
        return platform_futex_word_owner(call->futex_val) == (int)word_at(win, MUTEX_OWNER);
    return call->futex_val == MUTEX_WAIT_LOCKED;
}

static bool is_join_wait(const futex_decode_env *env, const platform_call *call, const futex_window *win)
{
    bool op = call->futex_op == PLATFORM_FUTEX_WAIT || call->futex_op == PLATFORM_FUTEX_WAIT_BITSET;
    return op && call->futex_val == word_at(win, 0) && call->futex_val <= INT32_MAX && live(env, call->futex_val);
}

/* The offset of the futex word in an 8-byte aligned object whose words sit at offsets a and
 * a + 4 (a a multiple of 8): a when the address is 8-byte aligned, else a + 4. */
static int aligned_offset(uint64_t addr, int a)
{
    return (addr % OBJECT_ALIGN) == 0 ? a : a + 4;
}

/* Do the words around the futex fit a pthread_rwlock_t it is a futex word of? Sets *base, and
 * *writer to __cur_writer when write-locked by a live thread (else 0). */
static bool rwlock_fits(const futex_decode_env *env, const platform_call *call, const futex_window *win,
                        uint64_t *base, int *writer)
{
    int off = aligned_offset(win->addr, RWLOCK_WRPHASE_FUTEX);
    uint32_t readers, pad3, pad4, cur, shared, word;
    if (call->futex_op != PLATFORM_FUTEX_WAIT_BITSET || !futex_window_word(win, -off, &readers) ||
        !futex_window_word(win, -off + RWLOCK_PAD3, &pad3) || !futex_window_word(win, -off + RWLOCK_PAD4, &pad4) ||
        !futex_window_word(win, -off + RWLOCK_CUR_WRITER, &cur) || !futex_window_word(win, -off + RWLOCK_SHARED, &shared) ||
        !futex_window_word(win, 0, &word))
        return false;
    /* both words hold a phase/lock bit and FUTEX_USED; the writers' word only "locked" */
    bool val_ok = (call->futex_val & ~1u) == RWLOCK_FUTEX_USED &&
                  (off == RWLOCK_WRPHASE_FUTEX || call->futex_val == (1u | RWLOCK_FUTEX_USED));
    if (!val_ok || word != call->futex_val || pad3 != 0 || pad4 != 0 || shared > 1 ||
        (shared == 1) == call->futex_private || (cur != 0 && cur > TID_MAX))
        return false;
    *base = win->addr - (uint64_t)off;
    *writer = (readers & RWLOCK_WRLOCKED) && live(env, cur) ? (int)cur : 0;
    return true;
}

/* Do the words around the futex fit a condvar whose __g_signals[g] it is (g from the address)? */
static bool condvar_fits(const platform_call *call, const futex_window *win, uint64_t *base)
{
    int off = aligned_offset(win->addr, COND_G_SIGNALS), g = (off - COND_G_SIGNALS) / 4, at = -off;
    uint32_t wrefs, refs;
    uint64_t wseq, g1_start;
    if (call->futex_op != PLATFORM_FUTEX_WAIT_BITSET || call->futex_val != 0 ||
        !futex_window_word(win, at + COND_WREFS, &wrefs) || !futex_window_word(win, at + COND_G_REFS + 4 * g, &refs) ||
        !window_u64(win, at + COND_WSEQ, &wseq) || !window_u64(win, at + COND_G1_START, &g1_start))
        return false;
    uint32_t waiters = wrefs >> COND_WREFS_FLAGS;
    bool shared = (wrefs & COND_WREFS_SHARED) != 0;
    /* no FUTEX_CLOCK_REALTIME: a timed wait against CLOCK_MONOTONIC, never an untimed one */
    bool clock_ok = call->futex_realtime || call->timed;
    if (!(waiters >= 1 && (refs >> 1) >= 1 && (refs >> 1) <= waiters && shared == !call->futex_private && clock_ok &&
          (wseq >> 1) >= waiters && (wseq >> 1) >= (g1_start >> 1)))
        return false;
    *base = win->addr - (uint64_t)off;
    return true;
}

/* The futex word is the value, the low half of `data`: at sem + 0, or sem + 4 big-endian. */
static bool is_semaphore(const platform_call *call, const futex_window *win, uint64_t *base)
{
    int value_off = win->big_endian ? 4 : 0, count_off = win->big_endian ? 0 : 4;
    uint32_t value, waiters, priv;
    if (call->futex_op != PLATFORM_FUTEX_WAIT_BITSET || call->futex_val != 0 ||
        !(call->futex_realtime || call->timed) || win->addr < (uint64_t)value_off ||
        (win->addr - (uint64_t)value_off) % OBJECT_ALIGN != 0 || !futex_window_word(win, 0, &value) ||
        !futex_window_word(win, count_off - value_off, &waiters) || !futex_window_word(win, 8 - value_off, &priv))
        return false;
    *base = win->addr - (uint64_t)value_off;
    return value == 0 && waiters >= 1 && waiters <= SEM_MAX_WAITERS &&
           priv == (call->futex_private ? 0 : SEM_PRIVATE_SHARED);
}

void waits_futex_decode(const futex_window *win, const platform_call *call, const futex_decode_env *env,
                        futex_found *out)
{
    uint64_t base;
    int writer;
    *out = (futex_found){.kind = TL_WAIT_FUTEX, .base = win->addr, .what = "futex"};
    if (call->futex_op == PLATFORM_FUTEX_LOCK_PI) {
        out->kind = TL_WAIT_PI_MUTEX, out->what = "mutex (priority-inherit)", out->owned = true;
        out->owner_tid = platform_futex_word_owner(word_at(win, 0));
    } else if (rwlock_fits(env, call, win, &base, &writer)) {
        out->kind = TL_WAIT_RWLOCK, out->base = base;
        out->what = writer ? "rwlock (write-locked)" : "rwlock";
        out->owned = writer != 0, out->owner_tid = writer;
    } else if (is_mutex_wait(call, win)) {
        out->kind = TL_WAIT_MUTEX, out->what = mutex_type_name(word_at(win, MUTEX_KIND)), out->owned = true;
        out->owner_tid = (int)word_at(win, MUTEX_OWNER);
    } else if (is_join_wait(env, call, win)) {
        out->kind = TL_WAIT_JOIN, out->what = "pthread_join", out->owner_tid = (int)call->futex_val;
    } else if (condvar_fits(call, win, &base)) {
        out->kind = TL_WAIT_CONDVAR, out->what = "condition", out->base = base;
    } else if (is_semaphore(call, win, &base)) {
        out->kind = TL_WAIT_SEMAPHORE, out->what = "semaphore", out->base = base;
    }
}
