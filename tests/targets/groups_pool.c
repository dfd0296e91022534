/* A thread pool for the stack-group tests: N pool threads in three known stacks ("worker-K" in
 * pool_a_wait on one condition variable, "reader-K" in pool_b_sleep, "timer-K" in pool_c_pause),
 * WAITERS "lock-waiter-K" threads in lock_wait on one mutex held by "db-writer", which itself
 * reads a pipe whose only writer is the main thread (a blocking chain), and one "solo" thread
 * in a stack of its own. Usage: groups_pool [N [plain]] (default 240; plain: the three pool
 * stacks and the main thread only).
 * Prints "a=<n> b=<n> c=<n> waiters=<n> owner=<tid> mutex=0x<addr>", then "ready" once every
 * thread is blocked where it should be. */
#include <stdatomic.h>

#include "waits_target.h"

#define WAITERS 12
#define MAX_POOL 5000

static pthread_mutex_t cond_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t db_mutex = PTHREAD_MUTEX_INITIALIZER;
static int pipe_fds[2];
static waits_tid_box owner_box = WAITS_TID_BOX_INIT;
static atomic_int tids[MAX_POOL + WAITERS + 2];

typedef struct pool_arg {
    int index;
    char name[16];
} pool_arg;

static pool_arg args[MAX_POOL + WAITERS + 2];

/* Names the thread and publishes its tid: the last thing before it blocks. */
static void pool_start(pool_arg *a)
{
    pthread_setname_np(pthread_self(), a->name);
    atomic_store(&tids[a->index], waits_gettid());
}

__attribute__((noinline)) static void pool_a_wait(void)
{
    pthread_mutex_lock(&cond_lock);
    for (;;)
        pthread_cond_wait(&cond, &cond_lock);
}

__attribute__((noinline)) static void pool_b_sleep(void)
{
    struct timespec ts = {100000, 0};
    for (;;)
        nanosleep(&ts, NULL);
}

__attribute__((noinline)) static void pool_c_pause(void)
{
    for (;;)
        pause();
}

__attribute__((noinline)) static void lock_wait(void)
{
    pthread_mutex_lock(&db_mutex);
    target_wait_forever();
}

__attribute__((noinline)) static void solo_sleep(void)
{
    struct timespec ts = {100000, 1};
    for (;;)
        nanosleep(&ts, NULL);
}

static void *thread_a(void *p) { pool_start(p); pool_a_wait(); return NULL; }
static void *thread_b(void *p) { pool_start(p); pool_b_sleep(); return NULL; }
static void *thread_c(void *p) { pool_start(p); pool_c_pause(); return NULL; }
static void *thread_waiter(void *p) { pool_start(p); lock_wait(); return NULL; }
static void *thread_solo(void *p) { pool_start(p); solo_sleep(); return NULL; }

static void *thread_owner(void *p)
{
    pthread_mutex_lock(&db_mutex);
    pthread_setname_np(pthread_self(), ((pool_arg *)p)->name);
    waits_box_put(&owner_box, waits_gettid());
    char c;
    for (;;)
        (void)!read(pipe_fds[0], &c, 1);
    return NULL;
}

/* "prefix-k", or just prefix when k is 0. */
static void start(int index, const char *prefix, int k, void *(*fn)(void *))
{
    args[index].index = index;
    if (k)
        snprintf(args[index].name, sizeof args[index].name, "%s-%d", prefix, k);
    else
        snprintf(args[index].name, sizeof args[index].name, "%s", prefix);
    waits_start(fn, &args[index]);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 240;
    if (n < 3 || n > MAX_POOL)
        target_die("pool size out of range", EINVAL);
    if (pipe(pipe_fds) != 0)
        target_die("pipe", errno);
    int plain = argc > 2 && strcmp(argv[2], "plain") == 0;
    int na = n / 2, nb = n / 3, nc = n - na - nb, idx = 0, owner = 0;
    args[MAX_POOL + WAITERS + 1] = (pool_arg){-1, "db-writer"};
    if (!plain) {
        waits_start(thread_owner, &args[MAX_POOL + WAITERS + 1]);
        owner = waits_box_get(&owner_box);
    }
    for (int k = 1; k <= na; k++)
        start(idx++, "worker", k, thread_a);
    for (int k = 1; k <= nb; k++)
        start(idx++, "reader", k, thread_b);
    for (int k = 1; k <= nc; k++)
        start(idx++, "timer", k, thread_c);
    for (int k = 1; k <= WAITERS && !plain; k++)
        start(idx++, "lock-waiter", k, thread_waiter);
    if (!plain) {
        start(idx++, "solo", 0, thread_solo);
        waits_until_blocked(owner, (uint64_t)pipe_fds[0]);
    }
    for (int i = 0; i < idx; i++) {
        while (atomic_load(&tids[i]) == 0)
            usleep(1000);
        waits_until_blocked(atomic_load(&tids[i]), WAITS_ANY_ARG);
    }
    printf("a=%d b=%d c=%d waiters=%d owner=%d mutex=%p\n", na, nb, nc, plain ? 0 : WAITERS, owner,
           (void *)&db_mutex);
    target_ready();
    target_wait_forever();
}
