/* No deadlock: "holder" holds a mutex and sleeps in nanosleep; "waiter" waits for the mutex.
 * With the argument "orphan", the holder exits while it holds the mutex (its tid is then no
 * live thread: the owner must be reported unknown).
 * Prints "holder=<tid> waiter=<tid> mutex=<addr>", then "ready". */
#include "waits_target.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static waits_tid_box box_h = WAITS_TID_BOX_INIT, box_w = WAITS_TID_BOX_INIT;
static int orphan;

static void *holder(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "holder");
    pthread_mutex_lock(&m);
    waits_box_put(&box_h, waits_gettid());
    if (orphan)
        return NULL;
    for (;;) {
        struct timespec ts = {3600, 0};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

static void *waiter(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "waiter");
    waits_box_put(&box_w, waits_gettid());
    pthread_mutex_lock(&m);
    return NULL;
}

/* Waits until thread tid has exited (its /proc entry is gone). */
static void until_gone(int tid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d", tid);
    for (int i = 0; i < WAITS_BLOCK_TRIES && access(path, F_OK) == 0; i++)
        usleep(10000);
    if (access(path, F_OK) == 0)
        target_die("the orphaning holder did not exit", ETIMEDOUT);
}

int main(int argc, char **argv)
{
    orphan = argc > 1 && strcmp(argv[1], "orphan") == 0;
    waits_start(holder, NULL);
    int h = waits_box_get(&box_h);
    if (orphan)
        until_gone(h);
    waits_start(waiter, NULL);
    int w = waits_box_get(&box_w);
    waits_until_blocked(w, (uintptr_t)&m);
    if (!orphan)
        waits_until_blocked(h, WAITS_ANY_ARG);
    printf("holder=%d waiter=%d mutex=%p\n", h, w, (void *)&m);
    target_ready();
    target_wait_forever();
}
