#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* pthread_setname_np, when built outside CMake */
#endif
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "chain.h"

#define MAX_SLEEPERS 10000

volatile unsigned chain_sink;
static atomic_int ready_count;

void chain_ready(void)
{
    atomic_fetch_add(&ready_count, 1);
}

static void *run_chain(void *arg) { (void)arg; chain_one(); return NULL; }
static void *run_recurse(void *arg) { (void)arg; recurse_down(RECURSE_DEPTH); return NULL; }
static void *run_signal(void *arg) { (void)arg; signal_thread(); return NULL; }
static void *run_spin(void *arg) { (void)arg; spin_forever(); return NULL; }
static void *run_sleeper(void *arg) { (void)arg; sleeper_wait(); return NULL; }

static void start(void *(*fn)(void *), const char *name, size_t stack)
{
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    if (stack)
        pthread_attr_setstacksize(&attr, stack);
    if (pthread_create(&th, &attr, fn, NULL) != 0) {
        perror("pthread_create");
        exit(1);
    }
    pthread_setname_np(th, name);
    pthread_attr_destroy(&attr);
}

int main(int argc, char **argv)
{
    int sleepers = argc > 1 ? atoi(argv[1]) : 0;
    if (sleepers < 0 || sleepers > MAX_SLEEPERS)
        return fprintf(stderr, "usage: %s [SLEEPERS (0..%d)]\n", argv[0], MAX_SLEEPERS), 64;
    start(run_chain, "chain", 0);
    start(run_recurse, "recurse", 0);
    start(run_signal, "insignal", 0);
    start(run_spin, "spin", 0);
    for (int i = 0; i < sleepers; i++)
        start(run_sleeper, "sleeper", 64 * 1024);
    struct timespec tick = {.tv_nsec = 1000000};
    while (atomic_load(&ready_count) < 4 + sleepers)
        nanosleep(&tick, NULL);
    printf("ready\n");
    fflush(stdout);
    for (;;)
        pause();
}
