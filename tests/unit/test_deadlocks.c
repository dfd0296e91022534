/* The wait-for graph and its cycles, on hand-built snapshots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "threadlens/analysis.h"

/* A snapshot of processes given as {pid, ntids, tids...} with no waits yet. */
static tl_snapshot *snap_new(size_t nprocs, const int *pids, const size_t *counts, const int *tids)
{
    tl_snapshot *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->procs = calloc(nprocs, sizeof *s->procs);
    s->nprocs = nprocs;
    for (size_t i = 0, k = 0; i < nprocs; i++) {
        tl_process *p = &s->procs[i];
        p->pid = pids[i];
        p->threads = calloc(counts[i], sizeof *p->threads);
        p->nthreads = counts[i];
        for (size_t j = 0; j < counts[i]; j++, k++) {
            p->threads[j].tid = tids[k];
            p->threads[j].wait.fd = -1;
        }
    }
    return s;
}

static tl_snapshot *one_process(size_t n, const int *tids)
{
    int pid = tids[0];
    return snap_new(1, &pid, &n, tids);
}

static void waits_for(tl_snapshot *s, int waiter, tl_wait_kind kind, uint64_t addr, int holder)
{
    tl_thread *t = (tl_thread *)model_find_thread(s, waiter, NULL);
    assert_non_null(t);
    t->wait.kind = kind;
    t->wait.address = addr;
    t->wait.owner_tid = holder;
}

static void find(tl_snapshot *s)
{
    tl_error err = {0};
    assert_int_equal(analysis_find_deadlocks(s, &err), TL_OK);
}

static void assert_cycle(const tl_deadlock *d, size_t n, const int *tids)
{
    assert_int_equal(d->ntids, n);
    assert_int_equal(d->nedges, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(d->tids[i], tids[i]);
        assert_int_equal(d->edges[i].waiter_tid, tids[i]);
        assert_int_equal(d->edges[i].holder_tid, tids[(i + 1) % n]);
    }
}

static bool in_deadlock(const tl_snapshot *s, int tid)
{
    return model_find_thread(s, tid, NULL)->in_deadlock;
}

static void test_no_waits(void **state)
{
    (void)state;
    tl_snapshot *s = one_process(3, (int[]){10, 11, 12});
    find(s);
    assert_int_equal(s->ndeadlocks, 0);
    snapshot_free(s);
}

static void test_abba(void **state)
{
    (void)state;
    tl_snapshot *s = one_process(3, (int[]){10, 21, 20});
    waits_for(s, 21, TL_WAIT_MUTEX, 0x1000, 20);
    waits_for(s, 20, TL_WAIT_MUTEX, 0x2000, 21);
    find(s);
    assert_int_equal(s->ndeadlocks, 1);
    assert_cycle(&s->deadlocks[0], 2, (int[]){20, 21});   /* starts at the lowest tid */
    assert_int_equal(s->deadlocks[0].edges[0].address, 0x2000);
    assert_int_equal(s->deadlocks[0].edges[0].kind, TL_WAIT_MUTEX);
    assert_true(in_deadlock(s, 20) && in_deadlock(s, 21));
    assert_false(in_deadlock(s, 10));
    snapshot_free(s);
}

static void test_three_cycle_in_wait_for_order(void **state)
{
    (void)state;
    /* 30 -> 32 -> 31 -> 30 */
    tl_snapshot *s = one_process(4, (int[]){1, 31, 32, 30});
    waits_for(s, 30, TL_WAIT_MUTEX, 1, 32);
    waits_for(s, 32, TL_WAIT_JOIN, 2, 31);
    waits_for(s, 31, TL_WAIT_PI_MUTEX, 3, 30);
    find(s);
    assert_int_equal(s->ndeadlocks, 1);
    assert_cycle(&s->deadlocks[0], 3, (int[]){30, 32, 31});
    assert_int_equal(s->deadlocks[0].edges[1].kind, TL_WAIT_JOIN);
    snapshot_free(s);
}

static void test_chain_into_cycle_marks_only_the_cycle(void **state)
{
    (void)state;
    /* 5 -> 6 -> 7 <-> 8: 5 and 6 wait behind the deadlock but are not in it */
    tl_snapshot *s = one_process(4, (int[]){5, 6, 7, 8});
    waits_for(s, 5, TL_WAIT_MUTEX, 1, 6);
    waits_for(s, 6, TL_WAIT_MUTEX, 2, 7);
    waits_for(s, 7, TL_WAIT_MUTEX, 3, 8);
    waits_for(s, 8, TL_WAIT_MUTEX, 4, 7);
    find(s);
    assert_int_equal(s->ndeadlocks, 1);
    assert_cycle(&s->deadlocks[0], 2, (int[]){7, 8});
    assert_false(in_deadlock(s, 5));
    assert_false(in_deadlock(s, 6));
    snapshot_free(s);
}

static void test_waiter_on_sleeping_holder_is_no_cycle(void **state)
{
    (void)state;
    tl_snapshot *s = one_process(3, (int[]){1, 2, 3});
    waits_for(s, 2, TL_WAIT_MUTEX, 1, 3);
    waits_for(s, 3, TL_WAIT_SLEEP, 0, 0);
    waits_for(s, 1, TL_WAIT_MUTEX, 1, 4242);   /* holder not in the snapshot */
    find(s);
    assert_int_equal(s->ndeadlocks, 0);
    assert_false(in_deadlock(s, 2));
    snapshot_free(s);
}

static void test_self_deadlock(void **state)
{
    (void)state;
    tl_snapshot *s = one_process(2, (int[]){1, 2});
    waits_for(s, 2, TL_WAIT_MUTEX, 0x10, 2);
    find(s);
    assert_int_equal(s->ndeadlocks, 1);
    assert_cycle(&s->deadlocks[0], 1, (int[]){2});
    snapshot_free(s);
}

static void test_two_cycles_across_processes_sorted(void **state)
{
    (void)state;
    /* processes 100 {100, 101}, 200 {200}, 300 {300}: 100 <-> 200 (a child wait and a pipe),
     * 101 <-> 300 (a mutex and a pipe) */
    int pids[] = {100, 200, 300};
    size_t counts[] = {2, 1, 1};
    tl_snapshot *s = snap_new(3, pids, counts, (int[]){100, 101, 200, 300});
    waits_for(s, 300, TL_WAIT_FD, 0, 101);
    waits_for(s, 101, TL_WAIT_MUTEX, 5, 300);
    waits_for(s, 200, TL_WAIT_FD, 0, 100);
    waits_for(s, 100, TL_WAIT_CHILD, 0, 200);
    find(s);
    assert_int_equal(s->ndeadlocks, 2);
    assert_cycle(&s->deadlocks[0], 2, (int[]){100, 200});
    assert_cycle(&s->deadlocks[1], 2, (int[]){101, 300});
    assert_int_equal(s->deadlocks[1].edges[1].kind, TL_WAIT_FD);
    snapshot_free(s);
}

static void test_rerun_replaces_previous_result(void **state)
{
    (void)state;
    tl_snapshot *s = one_process(2, (int[]){1, 2});
    waits_for(s, 1, TL_WAIT_MUTEX, 1, 2);
    waits_for(s, 2, TL_WAIT_MUTEX, 2, 1);
    find(s);
    waits_for(s, 2, TL_WAIT_NONE, 0, 0);
    find(s);
    assert_int_equal(s->ndeadlocks, 0);
    assert_false(in_deadlock(s, 1));
    snapshot_free(s);
}

static void test_big_ring(void **state)
{
    (void)state;
    enum { N = 5000 };
    int *tids = malloc(N * sizeof *tids);
    for (int i = 0; i < N; i++)
        tids[i] = N - i;   /* listed in reverse */
    tl_snapshot *s = one_process(N, tids);
    for (int i = 1; i <= N; i++)
        waits_for(s, i, TL_WAIT_MUTEX, (uint64_t)i, i % N + 1);
    find(s);
    assert_int_equal(s->ndeadlocks, 1);
    assert_int_equal(s->deadlocks[0].ntids, N);
    assert_int_equal(s->deadlocks[0].tids[0], 1);
    assert_int_equal(s->deadlocks[0].tids[N - 1], N);
    free(tids);
    snapshot_free(s);
}

/* A wait that can end other than by its holder is no edge: the ABBA cycle with one of its
 * waits timed, or ended by a signal handler, or by another holder, is no deadlock. */
static void test_wait_that_can_end_is_no_edge(void **state)
{
    (void)state;
    static const tl_wait_end ends[] = {TL_END_TIMEOUT, TL_END_SIGNAL, TL_END_ANOTHER_HOLDER};
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        tl_snapshot *s = one_process(2, (int[]){1, 2});
        waits_for(s, 1, TL_WAIT_MUTEX, 0x10, 2);
        waits_for(s, 2, TL_WAIT_FD, 0, 1);
        ((tl_thread *)model_find_thread(s, 2, NULL))->wait.can_end_by = ends[i];
        find(s);
        assert_int_equal(s->ndeadlocks, 0);
        assert_false(s->procs[0].threads[0].in_deadlock);
        snapshot_free(s);
    }
    /* the same cycle with the fd wait holder-only is one */
    tl_snapshot *s = one_process(2, (int[]){1, 2});
    waits_for(s, 1, TL_WAIT_MUTEX, 0x10, 2);
    waits_for(s, 2, TL_WAIT_FD, 0, 1);
    find(s);
    assert_int_equal(s->ndeadlocks, 1);
    snapshot_free(s);
}

/* JSON's words for can_end_by (contract: tests and users match them). */
static void test_wait_end_names(void **state)
{
    (void)state;
    assert_null(model_wait_end_name(TL_END_HOLDER_ONLY));
    assert_string_equal(model_wait_end_name(TL_END_TIMEOUT), "timeout");
    assert_string_equal(model_wait_end_name(TL_END_SIGNAL), "signal");
    assert_string_equal(model_wait_end_name(TL_END_ANOTHER_HOLDER), "another holder");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_waits),
        cmocka_unit_test(test_abba),
        cmocka_unit_test(test_three_cycle_in_wait_for_order),
        cmocka_unit_test(test_chain_into_cycle_marks_only_the_cycle),
        cmocka_unit_test(test_waiter_on_sleeping_holder_is_no_cycle),
        cmocka_unit_test(test_self_deadlock),
        cmocka_unit_test(test_two_cycles_across_processes_sorted),
        cmocka_unit_test(test_rerun_replaces_previous_result),
        cmocka_unit_test(test_big_ring),
        cmocka_unit_test(test_wait_that_can_end_is_no_edge),
        cmocka_unit_test(test_wait_end_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
