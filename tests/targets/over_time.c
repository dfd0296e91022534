/* Threads that change in known ways between samples, for `dump --count`: "lock-waiter" blocked
 * on a mutex held by "writer", which reads a pipe nobody writes; "spinner" on CPU in
 * spin_here; "pool-1".."pool-4" idle on one condition variable; "mover", whose stack gets one
 * frame deeper every 50 ms (the same depth again only after 200 steps, 10 s or more); "leaver", asleep until SIGUSR1
 * ends it; and on SIGUSR1 a new thread "late" starts (asleep).
 * Prints "waiter=<tid> writer=<tid> spinner=<tid> mover=<tid> leaver=<tid> mutex=0x<addr>",
 * then "ready"; after SIGUSR1 it prints "late=<tid>" and "changed". */
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "waits_target.h"

static pthread_mutex_t db_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cond_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int pipe_fds[2], leave_fds[2];
static waits_tid_box boxes[6] = {WAITS_TID_BOX_INIT, WAITS_TID_BOX_INIT, WAITS_TID_BOX_INIT,
                                 WAITS_TID_BOX_INIT, WAITS_TID_BOX_INIT, WAITS_TID_BOX_INIT};
static volatile sig_atomic_t usr1;
static volatile uint64_t sink;

static void start_named(const char *name, int box)
{
    pthread_setname_np(pthread_self(), name);
    waits_box_put(&boxes[box], waits_gettid());
}

__attribute__((noinline)) static void read_pipe(void)
{
    char c;
    while (read(pipe_fds[0], &c, 1) != 0)
        ;
}

static void *writer(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&db_mutex);
    start_named("writer", 0);
    read_pipe();
    return NULL;
}

__attribute__((noinline)) static void lock_wait(void)
{
    pthread_mutex_lock(&db_mutex);
    pthread_mutex_unlock(&db_mutex);
}

static void *waiter(void *arg)
{
    (void)arg;
    start_named("lock-waiter", 1);
    lock_wait();
    return NULL;
}

__attribute__((noinline)) static void spin_here(void)
{
    for (;;)
        sink++;
}

static void *spinner(void *arg)
{
    (void)arg;
    start_named("spinner", 2);
    spin_here();
    return NULL;
}

/* depth frames of descend, then 50 ms asleep at the bottom */
__attribute__((noinline)) static void descend(int depth)
{
    if (depth > 0) {
        descend(depth - 1);
        __asm__ volatile("" ::: "memory");   /* no tail call: each level keeps its frame */
        return;
    }
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

static void *mover(void *arg)
{
    (void)arg;
    start_named("mover", 3);
    for (unsigned i = 0; !usr1 || i; i++)
        descend((int)(i % 200));   /* 10 s before a depth comes back */
    return NULL;
}

__attribute__((noinline)) static void leave_wait(void)
{
    char c;
    while (read(leave_fds[0], &c, 1) < 0)
        ;
}

static void *leaver(void *arg)
{
    (void)arg;
    start_named("leaver", 4);
    leave_wait();
    return NULL;
}

static void *late(void *arg)
{
    (void)arg;
    start_named("late", 5);
    target_wait_forever();
    return NULL;
}

__attribute__((noinline)) static void pool_wait(void)
{
    pthread_mutex_lock(&cond_lock);
    for (;;)
        pthread_cond_wait(&cond, &cond_lock);
}

static void *pool(void *arg)
{
    char name[16];
    snprintf(name, sizeof name, "pool-%d", (int)(intptr_t)arg);
    pthread_setname_np(pthread_self(), name);
    pool_wait();
    return NULL;
}

static void on_usr1(int sig)
{
    (void)sig;
    usr1 = 1;
}

int main(void)
{
    if (pipe(pipe_fds) != 0 || pipe(leave_fds) != 0)
        target_die("pipe", errno);
    signal(SIGUSR1, on_usr1);
    waits_start(writer, NULL);
    int writer_tid = waits_box_get(&boxes[0]);
    waits_until_blocked(writer_tid, (uint64_t)pipe_fds[0]);
    waits_start(waiter, NULL);
    int waiter_tid = waits_box_get(&boxes[1]);
    waits_until_blocked(waiter_tid, (uint64_t)(uintptr_t)&db_mutex);
    for (int i = 1; i <= 4; i++)
        waits_start(pool, (void *)(intptr_t)i);
    waits_start(spinner, NULL);
    waits_start(mover, NULL);
    waits_start(leaver, NULL);
    int spinner_tid = waits_box_get(&boxes[2]), mover_tid = waits_box_get(&boxes[3]);
    int leaver_tid = waits_box_get(&boxes[4]);
    waits_until_blocked(leaver_tid, (uint64_t)leave_fds[0]);
    struct timespec settle = {0, 200 * 1000 * 1000};
    nanosleep(&settle, NULL);
    printf("waiter=%d writer=%d spinner=%d mover=%d leaver=%d mutex=%p\n", waiter_tid, writer_tid, spinner_tid,
           mover_tid, leaver_tid, (void *)&db_mutex);
    target_ready();
    while (!usr1)
        pause();
    if (write(leave_fds[1], "x", 1) != 1)
        target_die("write", errno);
    waits_start(late, NULL);
    printf("late=%d\nchanged\n", waits_box_get(&boxes[5]));
    fflush(stdout);
    for (;;)   /* pause() called from main again: the main thread's stack is the same as before */
        pause();
}
