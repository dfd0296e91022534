/* threadlens record's skip_quiet target: thread "waker" sleeps in wait_for_go (sigwait) until
 * the process gets SIGUSR1, then spends WAKE_BURN_S in burn() on the CPU, then sleeps for good
 * in sleep_after. 20 "idle" threads sleep throughout. A recorder that skips threads which did
 * not run must still see the waker in burn. Prints "ready". */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "burn.h"
#include "tl_target.h"

#define WAKE_BURN_S 0.5
#define IDLE_THREADS 20

__attribute__((noinline)) static void wait_for_go(const sigset_t *set)
{
    int sig;
    sigwait(set, &sig);
    __asm__ volatile("");
}

__attribute__((noinline)) static void sleep_after(void)
{
    for (;;)
        sleep(1000);
}

static void *waker(void *arg)
{
    wait_for_go(arg);
    burn(WAKE_BURN_S);
    sleep_after();
    return NULL;
}

int main(void)
{
    static sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);   /* inherited: only the waker's sigwait takes it */
    target_start_idle(IDLE_THREADS);
    pthread_t t;
    if (pthread_create(&t, NULL, waker, &set) != 0)
        return 1;
    pthread_setname_np(t, "waker");
    target_ready();
    target_wait_forever();
}
