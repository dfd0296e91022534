/* Helpers shared by the test targets (header-only: each target is one executable).
 * A target sets itself up, prints "ready" on stdout, then waits to be inspected and killed. */
#ifndef TL_TARGET_H
#define TL_TARGET_H

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* Exits with a message naming what failed: a target that cannot set up must not say ready. */
static inline void target_die(const char *what, int err)
{
    fprintf(stderr, "target: %s: %s\n", what, strerror(err));
    exit(2);
}

/* Dies with the parent (the test kills the parent with SIGKILL; nothing may stay behind). */
static inline void target_follow_parent(pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(0);
}

static inline void target_ready(void)
{
    printf("ready\n");
    fflush(stdout);
}

static inline void target_wait_forever(void)
{
    for (;;)
        pause();
}

static inline void *target_idle_thread(void *arg)
{
    (void)arg;
    target_wait_forever();
    return NULL;
}

/* n threads named "idle", asleep for good (the crowd a recorder must skip cheaply). */
static inline void target_start_idle(int n)
{
    pthread_t t;
    for (int i = 0; i < n; i++)
        if (pthread_create(&t, NULL, target_idle_thread, NULL) == 0)
            pthread_setname_np(t, "idle");
}

/* A started thread that names itself, says so at the barrier, then sleeps for good. */
typedef struct target_thread {
    const char *name;
    pthread_barrier_t *named;
} target_thread;

static inline void *target_sleeper(void *arg)
{
    const target_thread *t = arg;
    pthread_setname_np(pthread_self(), t->name);
    pthread_barrier_wait(t->named);
    target_wait_forever();
    return NULL;
}

/* Starts n sleepers named names[i] and returns once all are named. */
static inline void target_start_sleepers(const char *const *names, size_t n)
{
    static pthread_barrier_t named;
    target_thread *ts = calloc(n, sizeof *ts);
    if (!ts)
        target_die("calloc", ENOMEM);
    pthread_barrier_init(&named, NULL, (unsigned)n + 1);
    for (size_t i = 0; i < n; i++) {
        ts[i] = (target_thread){.name = names[i], .named = &named};
        pthread_t t;
        int rc = pthread_create(&t, NULL, target_sleeper, &ts[i]);
        if (rc != 0)
            target_die("pthread_create", rc);
        pthread_detach(t);
    }
    pthread_barrier_wait(&named);
}

#endif
