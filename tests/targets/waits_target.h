/* Helpers of the wait-analysis targets (waits_*.c): a target prints the tids and addresses a
 * test needs ("holder=<tid>"), makes sure every thread is blocked where it should be, then
 * prints "ready" last. */
#ifndef WAITS_TARGET_H
#define WAITS_TARGET_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "tl_target.h"

#define WAITS_ANY_ARG UINT64_MAX
#define WAITS_BLOCK_TRIES 1000     /* x 10 ms: give up (and never say ready) after 10 s */

static inline int waits_gettid(void)
{
    return (int)syscall(SYS_gettid);
}

/* True when /proc/self/task/TID/syscall shows the thread in a call whose first argument is
 * arg0 (any when WAITS_ANY_ARG). */
static inline int waits_in_call(int tid, uint64_t arg0)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", tid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    long nr;
    unsigned long long a0;
    if (sscanf(buf, "%ld %llx", &nr, &a0) != 2 || nr < 0)
        return 0;
    return arg0 == WAITS_ANY_ARG || a0 == arg0;
}

/* Waits until thread tid blocks in a call on arg0; dies after WAITS_BLOCK_TRIES. */
static inline void waits_until_blocked(int tid, uint64_t arg0)
{
    struct timespec ts = {0, 10 * 1000 * 1000};
    for (int i = 0; i < WAITS_BLOCK_TRIES; i++) {
        if (waits_in_call(tid, arg0))
            return;
        nanosleep(&ts, NULL);
    }
    target_die("a thread never blocked where expected", ETIMEDOUT);
}

/* Starts a thread running fn(arg), or dies. */
static inline void waits_start(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    int rc = pthread_create(&t, NULL, fn, arg);
    if (rc != 0)
        target_die("pthread_create", rc);
    pthread_detach(t);
}

/* A tid handed from a new thread to main. */
typedef struct waits_tid_box {
    pthread_mutex_t m;
    pthread_cond_t c;
    int tid;
} waits_tid_box;

#define WAITS_TID_BOX_INIT {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0}

static inline void waits_box_put(waits_tid_box *b, int tid)
{
    pthread_mutex_lock(&b->m);
    b->tid = tid;
    pthread_cond_broadcast(&b->c);
    pthread_mutex_unlock(&b->m);
}

static inline int waits_box_get(waits_tid_box *b)
{
    pthread_mutex_lock(&b->m);
    while (b->tid == 0)
        pthread_cond_wait(&b->c, &b->m);
    int tid = b->tid;
    pthread_mutex_unlock(&b->m);
    return tid;
}

#endif
