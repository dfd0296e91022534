/* Zero-stop capture (issue 15): WAKERS threads ("zs-waker") that wake every 200 us and sleep
 * again in zs_wake_loop, and SLEEPERS threads ("zs-sleeper") blocked for good in
 * zs_sleep_forever. A stack copied from a waker without a stop is seen to be torn (it ran
 * meanwhile) and must be taken again with a stop. Usage: zs_waker [WAKERS [SLEEPERS]].
 * Prints "wakers=N sleepers=M", then "ready". */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

volatile unsigned zs_sink;

__attribute__((noinline)) static void zs_wake_loop(void)
{
    for (;;) {
        struct timespec ts = {0, 200000};
        nanosleep(&ts, NULL);
        zs_sink++;
    }
}

__attribute__((noinline)) static void zs_sleep_forever(void)
{
    for (;;) {
        struct timespec ts = {3600, 0};
        nanosleep(&ts, NULL);
        zs_sink++;
    }
}

static void *waker(void *arg) { (void)arg; zs_wake_loop(); return NULL; }
static void *sleeper(void *arg) { (void)arg; zs_sleep_forever(); return NULL; }

static void start(void *(*fn)(void *), const char *name)
{
    pthread_t t;
    if (pthread_create(&t, NULL, fn, NULL) != 0) {
        perror("pthread_create");
        exit(1);
    }
    pthread_setname_np(t, name);
}

int main(int argc, char **argv)
{
    int wakers = argc > 1 ? atoi(argv[1]) : 4, sleepers = argc > 2 ? atoi(argv[2]) : 4;
    if (wakers < 0 || wakers > 64 || sleepers < 0 || sleepers > 1000)
        return fprintf(stderr, "usage: %s [WAKERS (0..64) [SLEEPERS (0..1000)]]\n", argv[0]), 64;
    for (int i = 0; i < wakers; i++)
        start(waker, "zs-waker");
    for (int i = 0; i < sleepers; i++)
        start(sleeper, "zs-sleeper");
    printf("wakers=%d sleepers=%d\nready\n", wakers, sleepers);
    fflush(stdout);
    for (;;)
        pause();
}
