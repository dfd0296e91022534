/* Counts deliveries of SIGRTMIN+1 to any of its threads. Real-time signals are queued, never
 * merged, so every one sent must be handled exactly once: a tracer that swallowed a signal
 * arriving during its stop would show as a short count. Threads: THREADS asleep in pause() and
 * one "spin" thread in a tight loop. Usage: stacks_sigcount [THREADS];
 * prints "ready"; on SIGUSR2 prints "count N" and exits. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* pthread_setname_np, when built outside CMake */
#endif
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_THREADS 1000

static atomic_long delivered;

static void on_rt(int sig)
{
    (void)sig;
    atomic_fetch_add(&delivered, 1);
}

static void *spinner(void *arg)
{
    (void)arg;
    for (volatile unsigned i = 0;; i++)
        ;   /* running, not sleeping: a signal is taken on the spot, even in a tracer's window */
    return NULL;
}

static void *worker(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 8;
    if (n < 1 || n > MAX_THREADS)
        return fprintf(stderr, "usage: %s [THREADS (1..%d)]\n", argv[0], MAX_THREADS), 64;
    struct sigaction sa = {.sa_handler = on_rt, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGRTMIN + 1, &sa, NULL);
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &usr2, NULL);   /* inherited: only sigwait below takes it */
    for (int i = 0; i < n; i++) {
        pthread_t th;
        if (pthread_create(&th, NULL, worker, NULL) != 0)
            return perror("pthread_create"), 1;
    }
    pthread_t spin;
    if (pthread_create(&spin, NULL, spinner, NULL) != 0)
        return perror("pthread_create"), 1;
    pthread_setname_np(spin, "spin");
    printf("ready\n");
    fflush(stdout);
    int sig;
    while (sigwait(&usr2, &sig) != 0)
        ;
    printf("count %ld\n", atomic_load(&delivered));
    fflush(stdout);
    return 0;
}
