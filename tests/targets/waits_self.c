/* Self-waits (issue 14, item 1): "relock" locks its normal mutex a second time, a real
 * self-deadlock; "timed-relock" does the same with pthread_mutex_timedlock, which ends by
 * itself (a timed wait is no edge); "self-poll" polls its own pipe with a timeout.
 * Prints "relock=<tid> m1=<addr> timed=<tid> m2=<addr> poll=<tid>", then "ready". */
#include <poll.h>

#include "waits_target.h"

static pthread_mutex_t m1 = PTHREAD_MUTEX_INITIALIZER, m2 = PTHREAD_MUTEX_INITIALIZER;
static waits_tid_box b1 = WAITS_TID_BOX_INIT, b2 = WAITS_TID_BOX_INIT, b3 = WAITS_TID_BOX_INIT;
static int self_pipe[2];

static void *relock(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "relock");
    pthread_mutex_lock(&m1);
    waits_box_put(&b1, waits_gettid());
    pthread_mutex_lock(&m1);
    return NULL;
}

static void *timed_relock(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "timed-relock");
    pthread_mutex_lock(&m2);
    waits_box_put(&b2, waits_gettid());
    for (;;) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 3600;
        pthread_mutex_timedlock(&m2, &ts);
    }
    return NULL;
}

static void *self_poll(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "self-poll");
    waits_box_put(&b3, waits_gettid());
    struct pollfd p = {.fd = self_pipe[0], .events = POLLIN};
    for (;;)
        poll(&p, 1, 3600 * 1000);
    return NULL;
}

int main(void)
{
    if (pipe(self_pipe) != 0)
        target_die("pipe", errno);
    waits_start(relock, NULL);
    waits_start(timed_relock, NULL);
    waits_start(self_poll, NULL);
    int r = waits_box_get(&b1), t = waits_box_get(&b2), p = waits_box_get(&b3);
    waits_until_blocked(r, (uintptr_t)&m1);
    waits_until_blocked(t, (uintptr_t)&m2);
    waits_until_blocked(p, WAITS_ANY_ARG);
    printf("relock=%d m1=%p timed=%d m2=%p poll=%d\n", r, (void *)&m1, t, (void *)&m2, p);
    target_ready();
    target_wait_forever();
}
