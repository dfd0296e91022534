/* Futex waits read through glibc's layouts (src/core/waits_futex.c), on real glibc objects in
 * this process's own memory (read back through process_vm_readv like a target's), with the
 * waiter's futex call written by hand: deterministic, no thread has to block. Where a word
 * only changes while a thread sleeps (waiter counts), it is set as glibc sets it then. */
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "platform/byte_order.h"
#include "waits_internal.h"

#define OTHER_TID 999999    /* a tid listed in the fake process but not this thread */

static tl_thread threads[3];
static tl_process proc;
static tl_snapshot snap;

static int my_tid(void)
{
    return (int)syscall(SYS_gettid);
}

/* A snapshot of this process with this thread, a waiter (tid 1) and OTHER_TID. */
static int setup(void **state)
{
    (void)state;
    memset(threads, 0, sizeof threads);
    threads[0] = (tl_thread){.tid = my_tid(), .name = "me", .wait.fd = -1};
    threads[1] = (tl_thread){.tid = 1, .name = "waiter", .wait.fd = -1};
    threads[2] = (tl_thread){.tid = OTHER_TID, .name = "other", .wait.fd = -1};
    proc = (tl_process){.pid = getpid(), .threads = threads, .nthreads = 3};
    snap = (tl_snapshot){.procs = &proc, .nprocs = 1};
    return 0;
}

/* Runs waits_futex for the waiter on call; returns its wait (freed by the next setup). */
static tl_wait *observe(platform_futex_op op, void *addr, uint32_t val, bool private_, bool realtime)
{
    waits_ctx ctx = {.snap = &snap, .proc = &proc, .thread = &threads[1]};
    platform_call call = {.kind = PLATFORM_CALL_FUTEX, .fd = -1, .addr = (uintptr_t)addr, .futex_op = op,
                          .futex_val = val, .futex_private = private_, .futex_realtime = realtime};
    wait_clear(&threads[1].wait);
    threads[1].wait.syscall_name = strdup("futex");
    assert_true(waits_futex(&ctx, &call));
    return &threads[1].wait;
}

static int teardown(void **state)
{
    (void)state;
    wait_clear(&threads[1].wait);
    return 0;
}

static void init_mutex(pthread_mutex_t *m, int type, int robust, int protocol)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, type);
    pthread_mutexattr_setrobust(&a, robust);
    pthread_mutexattr_setprotocol(&a, protocol);
    assert_int_equal(pthread_mutex_init(m, &a), 0);
}

static void assert_owned(const tl_wait *w, tl_wait_kind kind, const void *addr, int owner, const char *word)
{
    assert_int_equal(w->kind, kind);
    assert_int_equal(w->address, (uintptr_t)addr);
    assert_int_equal(w->owner_tid, owner);
    assert_non_null(strstr(w->description, word));
}

static void test_mutex_types(void **state)
{
    (void)state;
    static const int types[] = {PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_RECURSIVE, PTHREAD_MUTEX_ERRORCHECK};
    static const char *const words[] = {"(normal)", "(recursive)", "(errorcheck)"};
    for (int i = 0; i < 3; i++) {
        pthread_mutex_t m;
        init_mutex(&m, types[i], PTHREAD_MUTEX_STALLED, PTHREAD_PRIO_NONE);
        pthread_mutex_lock(&m);
        assert_owned(observe(PLATFORM_FUTEX_WAIT, &m, 2, true, false), TL_WAIT_MUTEX, &m, my_tid(), words[i]);
        pthread_mutex_unlock(&m);
    }
}

static void test_robust_and_pi(void **state)
{
    (void)state;
    pthread_mutex_t r, pi;
    init_mutex(&r, PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_ROBUST, PTHREAD_PRIO_NONE);
    init_mutex(&pi, PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_STALLED, PTHREAD_PRIO_INHERIT);
    pthread_mutex_lock(&r);
    pthread_mutex_lock(&pi);
    uint32_t robust_val = (uint32_t)my_tid() | 0x80000000u;   /* the holder's TID + waiters bit */
    assert_owned(observe(PLATFORM_FUTEX_WAIT, &r, robust_val, false, false), TL_WAIT_MUTEX, &r, my_tid(), "robust");
    assert_owned(observe(PLATFORM_FUTEX_LOCK_PI, &pi, 0, true, false), TL_WAIT_PI_MUTEX, &pi, my_tid(),
                 "priority-inherit");
    pthread_mutex_unlock(&pi);
    pthread_mutex_unlock(&r);
}

static void test_owner_must_be_a_live_thread_of_the_process(void **state)
{
    (void)state;
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&m);
    threads[0].tid = 4242;   /* this thread is no longer listed: its TID is no live thread */
    tl_wait *w = observe(PLATFORM_FUTEX_WAIT, &m, 2, true, false);
    assert_int_equal(w->kind, TL_WAIT_MUTEX);
    assert_int_equal(w->owner_tid, 0);
    assert_non_null(strstr(w->description, "owner unknown"));
    pthread_mutex_unlock(&m);
}

static void test_join_word(void **state)
{
    (void)state;
    uint32_t tid_word = OTHER_TID;   /* struct pthread's tid field of a live thread */
    tl_wait *w = observe(PLATFORM_FUTEX_WAIT_BITSET, &tid_word, OTHER_TID, false, true);
    assert_owned(w, TL_WAIT_JOIN, &tid_word, OTHER_TID, "pthread_join");
    tid_word = 0;                    /* the kernel cleared it: the thread exited, not a join */
    assert_int_equal(observe(PLATFORM_FUTEX_WAIT_BITSET, &tid_word, OTHER_TID, false, true)->kind, TL_WAIT_FUTEX);
}

static void test_rwlock_writer(void **state)
{
    (void)state;
    pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
    pthread_rwlock_wrlock(&rw);
    /* readers sleep on __wrphase_futex (offset 8), writers on __writers_futex (offset 12) */
    for (size_t off = 8; off <= 12; off += 4) {
        uint32_t used = 3;      /* a waiter sets FUTEX_USED before it sleeps: the word is what it expects */
        memcpy((char *)&rw + off, &used, 4);
        tl_wait *w = observe(PLATFORM_FUTEX_WAIT_BITSET, (char *)&rw + off, 3, true, true);
        assert_owned(w, TL_WAIT_RWLOCK, &rw, my_tid(), "rwlock");
    }
    pthread_rwlock_unlock(&rw);
}

/* A pthread_cond_t as glibc 2.36 leaves it while one thread waits in group 0. */
static void one_waiter(pthread_cond_t *c)
{
    unsigned char *b = (unsigned char *)c;
    uint64_t wseq = 2;
    uint32_t g_refs0 = 2, wrefs = 8;
    memcpy(b + 0, &wseq, 8);
    memcpy(b + 16, &g_refs0, 4);
    memcpy(b + 36, &wrefs, 4);
}

static void test_condvar(void **state)
{
    (void)state;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    void *signals0 = (char *)&c + 40;
    /* no waiter recorded: not called a condition */
    assert_int_equal(observe(PLATFORM_FUTEX_WAIT_BITSET, signals0, 0, true, true)->kind, TL_WAIT_FUTEX);
    one_waiter(&c);
    tl_wait *w = observe(PLATFORM_FUTEX_WAIT_BITSET, signals0, 0, true, true);
    assert_int_equal(w->kind, TL_WAIT_CONDVAR);
    assert_int_equal(w->address, (uintptr_t)&c);
    assert_int_equal(w->owner_tid, 0);
    /* the same words, but a shared futex for a private condvar, or the wrong clock: no */
    assert_int_equal(observe(PLATFORM_FUTEX_WAIT_BITSET, signals0, 0, false, true)->kind, TL_WAIT_FUTEX);
    assert_int_equal(observe(PLATFORM_FUTEX_WAIT_BITSET, signals0, 0, true, false)->kind, TL_WAIT_FUTEX);
}

static void test_semaphore_not_taken_for_a_condvar(void **state)
{
    (void)state;
    /* a semaphore right after words that half look like a condvar's (the case that once
     * named a semaphore a condition): [... wrefs-like 8 ...][sem_t] */
    struct {
        uint32_t before[12];
        sem_t sem;
    } mem;
    memset(&mem, 0, sizeof mem);
    mem.before[11] = 8;     /* where __wrefs would be if sem were __g_signals[0] (sem - 4) */
    mem.before[6] = 2;      /* ... and __g_refs[0] (sem - 24); __wseq stays 0: no condvar */
    sem_init(&mem.sem, 0, 0);
    /* the value is the low half of the 64-bit data (the futex word: sem + 0, or sem + 4 on a
     * big-endian host), nwaiters the high half (set while a thread sleeps) */
    size_t value_off = tl_host_big_endian() ? 4 : 0, count_off = 4 - value_off;
    uint32_t one_waiter_count = 1;
    memcpy((char *)&mem.sem + count_off, &one_waiter_count, 4);
    tl_wait *w = observe(PLATFORM_FUTEX_WAIT_BITSET, (char *)&mem.sem + value_off, 0, true, true);
    assert_int_equal(w->kind, TL_WAIT_SEMAPHORE);
    assert_int_equal(w->address, (uintptr_t)&mem.sem);
    assert_int_equal(w->owner_tid, 0);
}

static void test_unreadable_and_unknown(void **state)
{
    (void)state;
    tl_wait *w = observe(PLATFORM_FUTEX_WAIT, (void *)16, 2, true, false);   /* unmapped page */
    assert_int_equal(w->kind, TL_WAIT_FUTEX);
    assert_non_null(strstr(w->description, "not readable"));
    uint32_t barrier_word[8] = {1, 0, 2, 0};
    assert_int_equal(observe(PLATFORM_FUTEX_WAIT, &barrier_word[1], 0, true, false)->kind, TL_WAIT_FUTEX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_mutex_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_robust_and_pi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_owner_must_be_a_live_thread_of_the_process, setup, teardown),
        cmocka_unit_test_setup_teardown(test_join_word, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rwlock_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_condvar, setup, teardown),
        cmocka_unit_test_setup_teardown(test_semaphore_not_taken_for_a_condvar, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_and_unknown, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
