/* The metrics writer and its two judgements on hand-built threads: which threads stayed
 * blocked over a window (not a reused TID, not one that ran), which wait on locks; the text
 * (families whole, every target's up, "# EOF" last, only the targets when all are gone). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "threadlens/metrics.h"

static tl_thread sleeper(int tid)
{
    return (tl_thread){.tid = tid, .state = 'S', .start_time_ms = 500, .voluntary_ctxt_switches = 7,
                       .nonvoluntary_ctxt_switches = 1, .cpu_user_ms = 3, .wait = {.fd = -1}};
}

static void test_stayed_blocked(void **state)
{
    (void)state;
    tl_thread a = sleeper(10), b = sleeper(10);
    assert_true(metrics_stayed_blocked(&a, &b));
    b.state = 'D';
    assert_true(metrics_stayed_blocked(&a, &b));
    assert_false(metrics_stayed_blocked(NULL, &b));          /* new thread */
    b = sleeper(10);
    b.voluntary_ctxt_switches++;                             /* ran and slept again */
    assert_false(metrics_stayed_blocked(&a, &b));
    b = sleeper(10);
    b.nonvoluntary_ctxt_switches++;
    assert_false(metrics_stayed_blocked(&a, &b));
    b = sleeper(10);
    b.cpu_user_ms++;
    assert_false(metrics_stayed_blocked(&a, &b));
    b = sleeper(10);
    b.start_time_ms++;                                       /* a reused TID */
    assert_false(metrics_stayed_blocked(&a, &b));
    b = sleeper(10);
    b.state = 'R';
    assert_false(metrics_stayed_blocked(&a, &b));
    a.state = 'T';                                           /* stopped is not blocked */
    b = sleeper(10);
    b.state = 'T';
    assert_false(metrics_stayed_blocked(&a, &b));
}

static void test_lock_waiters(void **state)
{
    (void)state;
    tl_thread t = sleeper(1);
    const tl_wait_kind locks[] = {TL_WAIT_MUTEX, TL_WAIT_PI_MUTEX, TL_WAIT_RWLOCK};
    const tl_wait_kind others[] = {TL_WAIT_NONE, TL_WAIT_JOIN, TL_WAIT_CONDVAR, TL_WAIT_SEMAPHORE,
                                   TL_WAIT_FUTEX, TL_WAIT_FD, TL_WAIT_SLEEP, TL_WAIT_CHILD, TL_WAIT_OTHER};
    for (size_t i = 0; i < sizeof locks / sizeof locks[0]; i++) {
        t.wait.kind = locks[i];
        assert_true(metrics_waits_on_lock(&t));
    }
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        t.wait.kind = others[i];
        assert_false(metrics_waits_on_lock(&t));
    }
}

static char *render(const tl_snapshot *before, const tl_snapshot *now, const tl_metrics_options *o)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    tl_error err = {0};
    assert_int_equal(format_openmetrics(f, before, now, o, &err), TL_OK);
    fclose(f);
    return buf;
}

static size_t count(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

static void test_text(void **state)
{
    (void)state;
    tl_thread t0[3] = {sleeper(100), sleeper(101), sleeper(102)};
    tl_thread t1[3] = {sleeper(100), sleeper(101), sleeper(102)};
    char name[] = "svc \"x\"";
    t1[1].state = 'R';
    t1[2].wait.kind = TL_WAIT_MUTEX;
    tl_process p0 = {.pid = 100, .name = name, .threads = t0, .nthreads = 3};
    tl_process p1 = {.pid = 100, .name = name, .threads = t1, .nthreads = 3};
    tl_snapshot before = {.procs = &p0, .nprocs = 1}, now = {.procs = &p1, .nprocs = 1};
    tl_metrics_target targets[] = {{100, true}, {200, false}};
    tl_metrics_options o = {.window_seconds = 0.25, .targets = targets, .ntargets = 2};
    char *text = render(&before, &now, &o);
    assert_non_null(strstr(text, "threadlens_target_up{pid=\"100\"} 1\n"));
    assert_non_null(strstr(text, "threadlens_target_up{pid=\"200\"} 0\n"));
    assert_non_null(strstr(text, "threadlens_threads{pid=\"100\",name=\"svc \\\"x\\\"\",state=\"sleeping\"} 2\n"));
    assert_non_null(strstr(text, "state=\"running\"} 1\n"));
    assert_non_null(strstr(text, "threadlens_lock_waiters{pid=\"100\",name=\"svc \\\"x\\\"\"} 1\n"));
    assert_non_null(strstr(text, "threadlens_blocked_threads{pid=\"100\",name=\"svc \\\"x\\\"\"} 2\n"));
    assert_non_null(strstr(text, "threadlens_window_seconds 0.250\n"));
    assert_non_null(strstr(text, "threadlens_deadlock 0\n"));
    assert_int_equal(count(text, "threadlens_thread_"), 0);
    assert_int_equal(count(text, "# TYPE "), count(text, "# HELP "));
    assert_int_equal(count(text, "# TYPE threadlens_threads gauge"), 1);
    size_t len = strlen(text);
    assert_true(len > 6 && !strcmp(text + len - 6, "# EOF\n"));
    free(text);

    o.per_thread = true;
    text = render(NULL, &now, &o);   /* no earlier snapshot: no blocked family */
    assert_null(strstr(text, "threadlens_blocked_threads"));
    assert_non_null(strstr(text, "threadlens_thread_cpu_seconds{pid=\"100\",tid=\"101\",name=\"\",mode=\"user\"} 0.003\n"));
    assert_int_equal(count(text, "threadlens_thread_state{"), 3);
    assert_int_equal(count(text, "threadlens_thread_context_switches{"), 6);
    free(text);

    targets[0].up = false;
    text = render(NULL, NULL, &o);   /* every target gone */
    assert_string_equal(text, "# HELP threadlens_target_up 1 when the process given on the command line was read, "
                              "0 when it is gone.\n# TYPE threadlens_target_up gauge\n"
                              "threadlens_target_up{pid=\"100\"} 0\nthreadlens_target_up{pid=\"200\"} 0\n# EOF\n");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stayed_blocked),
        cmocka_unit_test(test_lock_waiters),
        cmocka_unit_test(test_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
