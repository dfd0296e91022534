/* The incremental sampler (the live view's) against the real kernel, on this test's own
 * threads: it must say what the one-shot sampler says, reuse only what cannot have changed,
 * follow threads that ran, came, went, were renamed or got a reused TID, and keep no more
 * descriptors than its budget. No stacks (a process cannot ptrace its own threads). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_skip.h"

#include "carry.h"
#include "threadlens/sampler.h"

enum { NWORKERS = 5, MAX_CROWD = 200 };

/* A worker blocks reading its pipe; a byte 's' sends it to sleep in nanosleep (glibc's goes
 * through clock_nanosleep). It ends on 'x' or, asleep, on SIGUSR1 with quit set (no
 * pthread_cancel: ASan reports false stack errors after a cancellation unwinds). */
typedef struct worker {
    pthread_t thread;
    int pipe[2];
    _Atomic int tid;
    _Atomic bool quit;
    char name[16];
} worker;

static worker workers[NWORKERS];

static void *worker_main(void *arg)
{
    worker *w = arg;
    w->tid = (int)syscall(SYS_gettid);
    pthread_setname_np(pthread_self(), w->name);
    char c;
    while (!w->quit && read(w->pipe[0], &c, 1) == 1 && c != 'x') {
        struct timespec long_sleep = {3600, 0};
        while (c == 's' && !w->quit)
            nanosleep(&long_sleep, NULL);
    }
    return NULL;
}

static void on_wake(int sig)
{
    (void)sig;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The kernel's word for what tid does now: its syscall number, -2 when unreadable. */
static long syscall_of(int tid)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", tid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -2;
    long nr = fgets(buf, sizeof buf, f) ? strtol(buf, NULL, 10) : -2;
    fclose(f);
    return nr;
}

static void schedstat_of(int tid, char *buf, size_t cap)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/schedstat", tid);
    FILE *f = fopen(path, "r");
    buf[0] = 0;
    if (f) {
        if (!fgets(buf, (int)cap, f))
            buf[0] = 0;
        fclose(f);
    }
}

/* Waits (bounded) until tid sleeps in system call nr. */
static void wait_in_call(int tid, long nr)
{
    for (int i = 0; i < 500 && syscall_of(tid) != nr; i++)
        sleep_ms(10);
    assert_int_equal(syscall_of(tid), nr);
    /* and has been switched out there: its run time no longer moves (a loaded machine can
     * preempt it between entering the call and sleeping, so one fixed pause is not enough) */
    char last[128] = "", now[128];
    for (int i = 0; i < 200; i++) {
        sleep_ms(20);
        schedstat_of(tid, now, sizeof now);
        if (!strcmp(now, last))
            return;
        snprintf(last, sizeof last, "%s", now);
    }
    fail_msg("thread %d never settled in its call", tid);
}

static void start_worker(worker *w, const char *name)
{
    memset(w, 0, sizeof *w);
    snprintf(w->name, sizeof w->name, "%s", name);
    assert_int_equal(pipe(w->pipe), 0);
    assert_int_equal(pthread_create(&w->thread, NULL, worker_main, w), 0);
    for (int i = 0; i < 500 && !w->tid; i++)
        sleep_ms(10);
    assert_true(w->tid > 0);
    wait_in_call(w->tid, SYS_read);
}

/* Signals t until it has ended (a signal landing just before its pause or nanosleep would be
 * missed once), bounded. */
static void join_woken(pthread_t t)
{
    for (int i = 0; i < 5000; i++) {
        pthread_kill(t, SIGUSR1);   /* ends pause and nanosleep (never restarted after a handler) */
        if (pthread_tryjoin_np(t, NULL) == 0)
            return;
        sleep_ms(1);
    }
    fail_msg("a test thread did not end");
}

static void stop_worker(worker *w)
{
    w->quit = true;
    assert_int_equal(write(w->pipe[1], "x", 1), 1);
    join_woken(w->thread);
    close(w->pipe[0]);
    close(w->pipe[1]);
}

static int setup(void **state)
{
    (void)state;
    struct sigaction sa = {.sa_handler = on_wake};
    sigaction(SIGUSR1, &sa, NULL);
    for (int i = 0; i < NWORKERS; i++) {
        char name[16];
        snprintf(name, sizeof name, "lv-%d", i);
        start_worker(&workers[i], name);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < NWORKERS; i++)
        stop_worker(&workers[i]);
    return 0;
}

static tl_sampler *open_sampler(bool incremental, const int *fresh, size_t nfresh)
{
    tl_sampler_options o;
    sampler_default_options(&o);
    o.stacks = o.jvm = false;   /* children stays on, as in the live view */
    o.incremental = incremental;
    o.stack_tids = fresh;
    o.nstack_tids = nfresh;
    int pid = getpid();
    tl_sampler *s;
    tl_error err = {0};
    assert_int_equal(sampler_open(&s, &pid, 1, &o, &err), TL_OK);
    return s;
}

static tl_snapshot *take(tl_sampler *s)
{
    tl_snapshot *snap;
    tl_error err = {0};
    tl_status st = sampler_take(s, &snap, &err);
    if (st != TL_OK && st != TL_PARTIAL)
        fail_msg("sampler_take: %s", err.msg);
    return snap;
}

static const tl_thread *thread_of(const tl_snapshot *s, int tid)
{
    return model_find_thread(s, tid, NULL);
}

static const tl_thread *named(const tl_snapshot *s, const char *name)
{
    for (size_t i = 0; i < s->nprocs; i++)
        for (size_t j = 0; j < s->procs[i].nthreads; j++)
            if (s->procs[i].threads[j].name && strcmp(s->procs[i].threads[j].name, name) == 0)
                return &s->procs[i].threads[j];
    return NULL;
}

static void assert_same_text(const char *a, const char *b)
{
    assert_string_equal(a ? a : "(null)", b ? b : "(null)");
}

/* Field by field, the live reader (kept descriptors) says what the one-shot reader says. */
static void live_reads_what_the_one_shot_reads(void **state)
{
    (void)state;
    tl_sampler *live = open_sampler(true, NULL, 0), *once = open_sampler(false, NULL, 0);
    tl_snapshot *a = take(live), *b = take(once);
    for (int i = 0; i < NWORKERS; i++) {
        const tl_thread *x = thread_of(a, workers[i].tid), *y = thread_of(b, workers[i].tid);
        assert_non_null(x);
        assert_non_null(y);
        assert_string_equal(x->name, workers[i].name);
        assert_string_equal(x->name, y->name);
        assert_int_equal(x->state, y->state);
        assert_int_equal(x->start_time_ms, y->start_time_ms);
        assert_int_equal(x->cpu_user_ms, y->cpu_user_ms);
        assert_int_equal(x->cpu_system_ms, y->cpu_system_ms);
        assert_int_equal(x->minor_faults, y->minor_faults);
        assert_int_equal(x->major_faults, y->major_faults);
        assert_int_equal(x->last_cpu, y->last_cpu);
        assert_int_equal(x->rt_priority, y->rt_priority);
        assert_int_equal(x->priority, y->priority);
        assert_int_equal(x->nice, y->nice);
        assert_int_equal(x->policy, y->policy);
        assert_int_equal(x->voluntary_ctxt_switches, y->voluntary_ctxt_switches);
        assert_int_equal(x->nonvoluntary_ctxt_switches, y->nonvoluntary_ctxt_switches);
        assert_same_text(x->sig_blocked, y->sig_blocked);
        assert_same_text(x->wchan, y->wchan);
        assert_int_equal(x->syscall.nr, SYS_read);
        assert_int_equal(x->syscall.nr, y->syscall.nr);
        assert_int_equal(x->wait.kind, TL_WAIT_FD);
        assert_same_text(x->wait.description, y->wait.description);
    }
    assert_int_equal(model_thread_count(a), model_thread_count(b));
    snapshot_free(a);
    snapshot_free(b);
    sampler_close(live);
    sampler_close(once);
}

/* Idle threads keep the first take's call and wait, except those due for their periodic
 * refresh; a thread that ran is read again and shows its new wait. */
static void idle_reused_woken_read_again(void **state)
{
    (void)state;
    tl_sampler *s = open_sampler(true, NULL, 0);
    tl_snapshot *first = take(s);
    worker *woken = &workers[2];
    assert_int_equal(write(woken->pipe[1], "s", 1), 1);
    wait_in_call(woken->tid, SYS_clock_nanosleep);
    tl_snapshot *second = take(s);
    for (int i = 0; i < NWORKERS; i++) {
        const tl_thread *t = thread_of(second, workers[i].tid);
        assert_non_null(t);
        if (&workers[i] == woken) {
            assert_false(t->calls_reused);
            assert_int_equal(t->wait.kind, TL_WAIT_SLEEP);
            continue;
        }
        bool due = ((unsigned)t->tid + 1) % CARRY_REFRESH_EVERY == 0;
        assert_int_equal(t->calls_reused, !due);
        assert_int_equal(t->wait.kind, TL_WAIT_FD);
        assert_same_text(t->wait.description, thread_of(first, t->tid)->wait.description);
    }
    /* a fresh worker in read() for the other tests */
    stop_worker(woken);
    start_worker(woken, "lv-2");
    snapshot_free(first);
    snapshot_free(second);
    sampler_close(s);
}

/* The thread the live view shows in detail is read on every take, idle or not. */
static void selected_thread_always_read(void **state)
{
    (void)state;
    int selected = workers[3].tid;
    tl_sampler *s = open_sampler(true, &selected, 1);
    tl_snapshot *first = take(s);
    /* the others are reused, but for those whose once-a-second refresh fell due between two
     * takes (spread by tid: on a loaded machine two takes may straddle more than one), so a
     * few pairs of takes are tried; the selected one must be read in every take */
    size_t reused = 0;
    for (int attempt = 0; attempt < 4 && reused < NWORKERS - 2; attempt++) {
        tl_snapshot *second = take(s);
        assert_false(thread_of(second, selected)->calls_reused);
        reused = 0;
        for (int i = 0; i < NWORKERS; i++)
            reused += thread_of(second, workers[i].tid)->calls_reused;
        snapshot_free(first);
        first = second;
    }
    assert_true(reused >= NWORKERS - 2);
    snapshot_free(first);
    sampler_close(s);
}

/* A thread that starts, one that ends, and one renamed by another thread while it sleeps
 * (it never runs: only its stat shows the new name). */
static void threads_come_go_and_are_renamed(void **state)
{
    (void)state;
    tl_sampler *s = open_sampler(true, NULL, 0);
    tl_snapshot *first = take(s);
    worker late;
    start_worker(&late, "lv-late");
    int gone = workers[4].tid;
    stop_worker(&workers[4]);
    assert_int_equal(pthread_setname_np(workers[1].thread, "lv-renamed"), 0);
    tl_snapshot *second = take(s);
    assert_non_null(named(second, "lv-late"));
    assert_null(thread_of(second, gone));
    assert_non_null(named(second, "lv-renamed"));
    assert_null(named(second, "lv-1"));
    assert_int_equal(model_thread_count(second), model_thread_count(first));
    pthread_setname_np(workers[1].thread, "lv-1");
    stop_worker(&late);
    start_worker(&workers[4], "lv-4");
    snapshot_free(first);
    snapshot_free(second);
    sampler_close(s);
}

static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int waiter_tid;

static void *lock_and_wait(void *arg)
{
    (void)arg;
    waiter_tid = (int)syscall(SYS_gettid);
    pthread_mutex_lock(&held);   /* blocks: the test's main thread holds it */
    pthread_mutex_unlock(&held);
    return NULL;
}

/* A waiter that never runs keeps its call, but the holder its wait names is looked at again:
 * the holder renamed meanwhile, the waiter's wait says the new name at once. */
static void holder_named_afresh_in_a_reused_wait(void **state)
{
    (void)state;
    char old_name[16];
    pthread_getname_np(pthread_self(), old_name, sizeof old_name);
    assert_int_equal(pthread_mutex_lock(&held), 0);
    pthread_t waiter;
    waiter_tid = 0;
    assert_int_equal(pthread_create(&waiter, NULL, lock_and_wait, NULL), 0);
    for (int i = 0; i < 500 && !waiter_tid; i++)
        sleep_ms(10);
    wait_in_call(waiter_tid, SYS_futex);
    tl_sampler *s = open_sampler(true, NULL, 0);
    snapshot_free(take(s));                               /* recorded: take 1 */
    if (((unsigned)waiter_tid + 1) % CARRY_REFRESH_EVERY == 0)
        snapshot_free(take(s));                           /* its periodic turn: not the take checked */
    assert_int_equal(pthread_setname_np(pthread_self(), "lv-holder"), 0);
    tl_snapshot *snap = take(s);
    const tl_thread *t = thread_of(snap, waiter_tid);
    assert_non_null(t);
    assert_true(t->calls_reused);
    assert_int_equal(t->wait.kind, TL_WAIT_MUTEX);
    assert_int_equal(t->wait.owner_tid, (int)syscall(SYS_gettid));
    assert_non_null(strstr(t->wait.description, "\"lv-holder\""));
    snapshot_free(snap);
    sampler_close(s);
    pthread_setname_np(pthread_self(), old_name);
    assert_int_equal(pthread_mutex_unlock(&held), 0);
    pthread_join(waiter, NULL);
}

static size_t open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    size_t n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

static _Atomic bool crowd_quit;

static void *crowd_main(void *arg)
{
    (void)arg;
    while (!crowd_quit)
        pause();
    return NULL;
}

/* Takes twice with soft limit `limit`: every thread is seen and named, and the descriptors
 * kept between takes are returns (the difference in open fds). */
static size_t kept_with_limit(rlim_t limit, size_t threads)
{
    struct rlimit saved, rl;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
    rl = saved;
    rl.rlim_cur = limit;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
    size_t before = open_fds();
    tl_sampler *s = open_sampler(true, NULL, 0);
    size_t with_sampler = open_fds();
    snapshot_free(take(s));
    tl_snapshot *snap = take(s);
    size_t kept = open_fds() - with_sampler;
    assert_true(model_thread_count(snap) >= threads + NWORKERS + 1);
    for (int i = 0; i < NWORKERS; i++)
        assert_string_equal(thread_of(snap, workers[i].tid)->name, workers[i].name);
    snapshot_free(snap);
    sampler_close(s);
    assert_int_equal(open_fds(), before);   /* all given back */
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
    return kept;
}

/* Three files per thread while the budget lasts (a quarter of the soft limit is left for the
 * rest), none at a low limit: the threads beyond are read by path, with the same result. */
static void descriptors_stay_within_budget(void **state)
{
    (void)state;
    struct rlimit rl;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < 4096)
        skip_because("the hard limit on open files is under 4096: the budget cannot be tried");
    enum { CROWD = 150 };
    pthread_t crowd[CROWD];
    crowd_quit = false;
    for (int i = 0; i < CROWD; i++)
        assert_int_equal(pthread_create(&crowd[i], NULL, crowd_main, NULL), 0);
    sleep_ms(100);
    size_t threads = CROWD + NWORKERS + 1;
    size_t roomy = kept_with_limit(4096, CROWD);
    assert_true(roomy >= 3 * threads && roomy <= 3 * threads + 8);   /* + the task directory */
    size_t tight = kept_with_limit(600, CROWD);                      /* budget (600-256)/4*3 */
    assert_true(tight <= (600 - 256) / 4 * 3 + 1);
    assert_true(tight >= (600 - 256) / 4 * 3 - 3);
    assert_true(kept_with_limit(400, CROWD) <= 1);                   /* only the task directory */
    crowd_quit = true;
    for (int i = 0; i < CROWD; i++)
        join_woken(crowd[i]);
}

static bool set_last_pid(int pid)
{
    FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "w");
    if (!f)
        return false;
    bool ok = fprintf(f, "%d", pid) > 0;
    return fclose(f) == 0 && ok;
}

/* A thread exits and a new one gets its TID (ns_last_pid, root only): the kept files of the
 * old thread must not be read for the new one, nor its wait reused. */
static void reused_tid_is_a_new_thread(void **state)
{
    (void)state;
    if (access("/proc/sys/kernel/ns_last_pid", W_OK) != 0)
        skip_because("choosing the next TID (ns_last_pid) needs root");
    tl_sampler *s = open_sampler(true, NULL, 0);
    worker old, fresh;
    for (int attempt = 0; attempt < 20; attempt++) {
        start_worker(&old, "lv-old");
        int tid = old.tid;
        snapshot_free(take(s));   /* keeps old's files open */
        stop_worker(&old);
        sleep_ms(30);             /* a later start time, in clock ticks */
        if (!set_last_pid(tid - 1))
            skip_because("ns_last_pid cannot be written");
        start_worker(&fresh, "lv-fresh");
        if (fresh.tid != tid) {   /* another process took it first: try again */
            stop_worker(&fresh);
            continue;
        }
        assert_int_equal(write(fresh.pipe[1], "s", 1), 1);
        wait_in_call(fresh.tid, SYS_clock_nanosleep);
        tl_snapshot *snap = take(s);
        const tl_thread *t = thread_of(snap, tid);
        assert_non_null(t);
        assert_string_equal(t->name, "lv-fresh");
        assert_false(t->calls_reused);
        assert_int_equal(t->wait.kind, TL_WAIT_SLEEP);
        snapshot_free(snap);
        stop_worker(&fresh);
        sampler_close(s);
        return;
    }
    sampler_close(s);
    skip_because("in 20 tries another process always took the TID first");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(live_reads_what_the_one_shot_reads),
        cmocka_unit_test(idle_reused_woken_read_again),
        cmocka_unit_test(selected_thread_always_read),
        cmocka_unit_test(threads_come_go_and_are_renamed),
        cmocka_unit_test(holder_named_afresh_in_a_reused_wait),
        cmocka_unit_test(descriptors_stay_within_budget),
        cmocka_unit_test(reused_tid_is_a_new_thread),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
