/* What an incremental take reuses from the previous one (src/core/carry.c), on hand-built
 * snapshots: a thread that has not run keeps its call and wait; any sign that it ran, a reused
 * TID, or its turn in the periodic refresh makes the take read it again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "carry.h"

enum { PID = 100 };

/* A thread asleep in futex, waiting on a mutex held by 102. */
static void sleeper(tl_thread *t, int tid)
{
    memset(t, 0, sizeof *t);
    t->tid = tid;
    t->state = 'S';
    t->start_time_ms = 5000;
    t->voluntary_ctxt_switches = 40;
    t->nonvoluntary_ctxt_switches = 3;
    t->syscall.valid = true;
    t->syscall.nr = 202;
    strcpy(t->syscall.name, "futex");
    t->wchan = strdup("futex_wait_queue");
    t->wait.kind = TL_WAIT_MUTEX;
    t->wait.owner_tid = 102;
    t->wait.fd = -1;
    t->wait.syscall_name = strdup("futex");
    t->wait.description = strdup("mutex 0x1000 held by tid 102");
}

/* The counters a later take reads of the same thread: only what /proc gives before the calls. */
static tl_thread reread(const tl_thread *prev)
{
    tl_thread t;
    memset(&t, 0, sizeof t);
    t.tid = prev->tid;
    t.state = prev->state;
    t.start_time_ms = prev->start_time_ms;
    t.voluntary_ctxt_switches = prev->voluntary_ctxt_switches;
    t.nonvoluntary_ctxt_switches = prev->nonvoluntary_ctxt_switches;
    t.wait.fd = -1;
    return t;
}

/* Records one process with threads tids[0..n) (all sleepers) and returns the carry. */
static carry *recorded_with(tl_process *p, const int *tids, size_t n, unsigned every, bool analyse_only)
{
    static tl_snapshot snap;
    memset(p, 0, sizeof *p);
    p->pid = PID;
    p->threads = calloc(n, sizeof *p->threads);
    assert_non_null(p->threads);
    p->nthreads = n;
    for (size_t i = 0; i < n; i++)
        sleeper(&p->threads[i], tids[i]);
    memset(&snap, 0, sizeof snap);
    snap.procs = p;
    snap.nprocs = 1;
    carry *c = carry_new(every, analyse_only);
    assert_non_null(c);
    tl_error err = {0};
    assert_int_equal(carry_record(c, &snap, &err), TL_OK);
    return c;
}

static carry *recorded(tl_process *p, const int *tids, size_t n)
{
    return recorded_with(p, tids, n, 0, false);
}

/* A TID that is not due for its periodic refresh after one recorded take. */
static int idle_tid(void)
{
    return 3;   /* (3 + 1) % CARRY_REFRESH_EVERY != 0 */
}

static void idle_thread_keeps_its_call_and_wait(void **state)
{
    (void)state;
    int tid = idle_tid();
    tl_process p;
    carry *c = recorded(&p, &tid, 1);
    tl_thread now = reread(&p.threads[0]);
    process_clear(&p);   /* the carry holds its own copies */
    assert_true(carry_reuse(c, PID, &now));
    assert_true(now.calls_reused);
    assert_int_equal(now.syscall.nr, 202);
    assert_string_equal(now.syscall.name, "futex");
    assert_string_equal(now.wchan, "futex_wait_queue");
    assert_int_equal(now.wait.kind, TL_WAIT_MUTEX);
    assert_int_equal(now.wait.owner_tid, 102);
    assert_string_equal(now.wait.description, "mutex 0x1000 held by tid 102");
    thread_clear(&now);
    carry_free(c);
}

/* Records one take holding the single thread *t (the snapshot does not keep it). */
static void record_one(carry *c, tl_thread *t)
{
    tl_process p = {.pid = PID, .threads = t, .nthreads = 1};
    tl_snapshot snap = {.procs = &p, .nprocs = 1};
    tl_error err = {0};
    assert_int_equal(carry_record(c, &snap, &err), TL_OK);
}

/* A reused thread's recorded strings are the previous entry's, moved rather than copied
 * (carry_record): across takes they stay what the thread showed, and a wait the take changed
 * after the copy (the analysis named the holder) is the one the next take reuses. */
static void reused_calls_survive_takes_and_changes(void **state)
{
    (void)state;
    int tid = idle_tid();
    tl_process p;
    carry *c = recorded(&p, &tid, 1);
    tl_thread now = reread(&p.threads[0]);
    process_clear(&p);
    assert_true(carry_reuse(c, PID, &now));
    record_one(c, &now);   /* unchanged: moved */
    thread_clear(&now);
    tl_thread later = reread(&(tl_thread){.tid = tid, .state = 'S', .start_time_ms = 5000,
                                          .voluntary_ctxt_switches = 40, .nonvoluntary_ctxt_switches = 3});
    assert_true(carry_reuse(c, PID, &later));
    assert_string_equal(later.wchan, "futex_wait_queue");
    assert_string_equal(later.wait.description, "mutex 0x1000 held by tid 102");
    free(later.wait.description);   /* the take's analysis words it anew */
    later.wait.description = strdup("mutex 0x1000 held by tid 102 (worker)");
    record_one(c, &later);
    thread_clear(&later);
    tl_thread third = reread(&(tl_thread){.tid = tid, .state = 'S', .start_time_ms = 5000,
                                          .voluntary_ctxt_switches = 40, .nonvoluntary_ctxt_switches = 3});
    assert_true(carry_reuse(c, PID, &third));
    assert_string_equal(third.wait.description, "mutex 0x1000 held by tid 102 (worker)");
    assert_string_equal(third.wait.syscall_name, "futex");
    assert_string_equal(third.wchan, "futex_wait_queue");
    thread_clear(&third);
    carry_free(c);
}

/* Each sign that the thread ran (or is another thread) is enough to read it again. */
static void any_sign_of_running_reads_again(void **state)
{
    (void)state;
    int tid = idle_tid();
    tl_process p;
    carry *c = recorded(&p, &tid, 1);
    const tl_thread *prev = &p.threads[0];
    for (int change = 0; change < 6; change++) {
        tl_thread now = reread(prev);
        switch (change) {
        case 0: now.voluntary_ctxt_switches++; break;          /* slept again */
        case 1: now.nonvoluntary_ctxt_switches++; break;       /* was preempted */
        case 2: now.state = 'R'; break;                        /* running now */
        case 3: now.state = 'D'; break;                        /* another kind of sleep */
        case 4: now.start_time_ms++; break;                    /* a reused TID */
        case 5: now.tid++; break;                              /* not seen before */
        }
        assert_false(carry_reuse(c, PID, &now));
        assert_false(now.calls_reused);
        assert_null(now.wchan);
        assert_int_equal(now.wait.kind, TL_WAIT_NONE);
        thread_clear(&now);
    }
    tl_thread other_process = reread(prev);
    assert_false(carry_reuse(c, PID + 1, &other_process));
    process_clear(&p);
    carry_free(c);
}

/* A thread running at both takes has the same counts (no switch) yet is not idle. */
static void running_thread_is_never_reused(void **state)
{
    (void)state;
    int tid = idle_tid();
    tl_process p;
    carry *c = recorded(&p, &tid, 1);
    p.threads[0].state = 'R';
    tl_snapshot snap = {.procs = &p, .nprocs = 1};
    tl_error err = {0};
    assert_int_equal(carry_record(c, &snap, &err), TL_OK);
    tl_thread now = reread(&p.threads[0]);
    assert_false(carry_reuse(c, PID, &now));
    process_clear(&p);
    carry_free(c);
}

/* Every take re-reads the idle threads whose turn it is, one in CARRY_REFRESH_EVERY, so that
 * each is re-read within CARRY_REFRESH_EVERY takes. */
static void periodic_refresh_spreads_over_takes(void **state)
{
    (void)state;
    enum { N = 50 };
    int tids[N];
    for (int i = 0; i < N; i++)
        tids[i] = 1000 + i;
    tl_process p;
    carry *c = recorded(&p, tids, N);
    tl_snapshot snap = {.procs = &p, .nprocs = 1};
    int last_read[N];
    for (int i = 0; i < N; i++)
        last_read[i] = 0;
    for (int take = 1; take <= 3 * CARRY_REFRESH_EVERY; take++) {
        size_t reread_now = 0;
        for (int i = 0; i < N; i++) {
            tl_thread now = reread(&p.threads[i]);
            if (!carry_reuse(c, PID, &now)) {
                reread_now++;
                assert_true(take - last_read[i] <= CARRY_REFRESH_EVERY);
                last_read[i] = take;
            }
            thread_clear(&now);
        }
        assert_int_equal(reread_now, N / CARRY_REFRESH_EVERY);
        tl_error err = {0};
        assert_int_equal(carry_record(c, &snap, &err), TL_OK);
    }
    process_clear(&p);
    carry_free(c);
}

/* threadlens record (calls_refresh_every 20, analyse_only): a sleeper is due once in 20 takes,
 * and then gets its call and wait channel copied (it did not run) and its wait analysed again
 * (calls_reused false, no wait copied), no file read. */
static void record_refresh_analyses_from_the_copied_call(void **state)
{
    (void)state;
    enum { EVERY = 20 };
    int tid = EVERY - 1;   /* (tid + 1) % EVERY == 0: due at the first take after recording */
    tl_process p;
    carry *c = recorded_with(&p, &tid, 1, EVERY, true);
    tl_thread now = reread(&p.threads[0]);
    assert_true(carry_reuse(c, PID, &now));
    assert_false(now.calls_reused);
    assert_int_equal(now.syscall.nr, 202);
    assert_string_equal(now.wchan, "futex_wait_queue");
    assert_int_equal(now.wait.kind, TL_WAIT_NONE);
    thread_clear(&now);
    tid = 3;   /* not due: everything copied, as in the live view */
    carry_free(c);
    process_clear(&p);
    c = recorded_with(&p, &tid, 1, EVERY, true);
    now = reread(&p.threads[0]);
    assert_true(carry_reuse(c, PID, &now));
    assert_true(now.calls_reused);
    assert_int_equal(now.wait.kind, TL_WAIT_MUTEX);
    thread_clear(&now);
    process_clear(&p);
    carry_free(c);
}

static void empty_carry_reuses_nothing(void **state)
{
    (void)state;
    carry *c = carry_new(0, false);
    assert_non_null(c);
    tl_thread t;
    sleeper(&t, idle_tid());
    assert_false(carry_reuse(c, PID, &t));
    assert_string_equal(t.wait.description, "mutex 0x1000 held by tid 102");   /* left as it was */
    thread_clear(&t);
    carry_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(idle_thread_keeps_its_call_and_wait),
        cmocka_unit_test(reused_calls_survive_takes_and_changes),
        cmocka_unit_test(any_sign_of_running_reads_again),
        cmocka_unit_test(running_thread_is_never_reused),
        cmocka_unit_test(periodic_refresh_spreads_over_takes),
        cmocka_unit_test(record_refresh_analyses_from_the_copied_call),
        cmocka_unit_test(empty_carry_reuses_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
