/* Timed waits that the kernel continues as restart_syscall once interrupted (by a signal, by a
 * ptrace stop such as an earlier dump's): "timed-cond" in pthread_cond_timedwait (futex),
 * "timed-sleep" in nanosleep, "timed-poll" in poll on a pipe nobody writes, each for an hour.
 * Prints "cond=<tid> sleep=<tid> poll=<tid> cv=<addr> pipe=<fd polled>", then "ready". */
#include <poll.h>

#include "waits_target.h"

#define WAIT_S 3600

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int quiet[2];
static waits_tid_box box_cond = WAITS_TID_BOX_INIT, box_sleep = WAITS_TID_BOX_INIT, box_poll = WAITS_TID_BOX_INIT;

static void *timed_cond(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "timed-cond");
    pthread_mutex_lock(&m);
    waits_box_put(&box_cond, waits_gettid());
    for (;;) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += WAIT_S;
        pthread_cond_timedwait(&c, &m, &until);
    }
    return NULL;
}

static void *timed_sleep(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "timed-sleep");
    waits_box_put(&box_sleep, waits_gettid());
    for (;;) {
        struct timespec hour = {WAIT_S, 0};
        nanosleep(&hour, NULL);
    }
    return NULL;
}

static void *timed_poll(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "timed-poll");
    waits_box_put(&box_poll, waits_gettid());
    for (;;) {
        struct pollfd p = {.fd = quiet[0], .events = POLLIN};
        poll(&p, 1, WAIT_S * 1000);
    }
    return NULL;
}

int main(void)
{
    if (pipe(quiet) != 0)
        target_die("pipe", errno);
    waits_start(timed_cond, NULL);
    waits_start(timed_sleep, NULL);
    waits_start(timed_poll, NULL);
    int cond = waits_box_get(&box_cond), sleeper = waits_box_get(&box_sleep), poller = waits_box_get(&box_poll);
    waits_until_blocked(cond, WAITS_ANY_ARG);
    waits_until_blocked(sleeper, WAITS_ANY_ARG);
    waits_until_blocked(poller, WAITS_ANY_ARG);
    printf("cond=%d sleep=%d poll=%d cv=%p pipe=%d\n", cond, sleeper, poller, (void *)&c, quiet[0]);
    target_ready();
    target_wait_forever();
    return 0;
}
