/* Threads created and exiting continuously, next to stable ones: "tl-stable-1", "tl-stable-2"
 * sleep for good while "tl-spawner" keeps starting short-lived "tl-ephemeral" threads (at most
 * MAX_ALIVE at a time), each of which exits after a short, varying sleep. A dump taken at any
 * moment races with threads exiting between the listing of /proc/PID/task and their reads.
 * Before "ready" it prints "stable TID NAME" for each thread that stays (main included): a new
 * thread briefly carries its creator's name, so names alone do not tell the stable ones. */
#include <errno.h>
#include <stdatomic.h>
#include <time.h>

#include "tl_target.h"

#define MAX_ALIVE 16
#define SPAWN_PAUSE_US 200

static atomic_int alive;

static void sleep_us(long us)
{
    struct timespec ts = {.tv_sec = 0, .tv_nsec = us * 1000L};
    nanosleep(&ts, NULL);
}

static void *ephemeral(void *arg)
{
    long us = (long)(size_t)arg;
    pthread_setname_np(pthread_self(), "tl-ephemeral");
    sleep_us(us);
    atomic_fetch_sub(&alive, 1);
    return NULL;
}

static pid_t spawner_tid;
static pthread_barrier_t spawner_named;

static void *spawner(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "tl-spawner");
    spawner_tid = gettid();
    pthread_barrier_wait(&spawner_named);
    for (unsigned long i = 0;; i++) {
        if (atomic_load(&alive) >= MAX_ALIVE) {
            sleep_us(SPAWN_PAUSE_US);
            continue;
        }
        atomic_fetch_add(&alive, 1);
        pthread_t t;
        if (pthread_create(&t, NULL, ephemeral, (void *)(size_t)(100 + (i * 7919) % 3000)) != 0) {
            atomic_fetch_sub(&alive, 1);
            sleep_us(SPAWN_PAUSE_US);
            continue;
        }
        pthread_detach(t);
        sleep_us(SPAWN_PAUSE_US);
    }
    return NULL;
}

/* A stable thread: publishes its tid, then sleeps for good. */
static void *stable(void *arg)
{
    target_thread *t = arg;
    pthread_setname_np(pthread_self(), t->name);
    printf("stable %d %s\n", (int)gettid(), t->name);
    pthread_barrier_wait(t->named);
    target_wait_forever();
    return NULL;
}

int main(void)
{
    static pthread_barrier_t named;
    static target_thread ts[] = {{.name = "tl-stable-1", .named = &named}, {.name = "tl-stable-2", .named = &named}};
    prctl(PR_SET_NAME, "tl-churn-main");
    printf("stable %d tl-churn-main\n", (int)getpid());
    pthread_barrier_init(&named, NULL, 3);
    for (size_t i = 0; i < 2; i++) {
        pthread_t t;
        int rc = pthread_create(&t, NULL, stable, &ts[i]);
        if (rc != 0)
            target_die("pthread_create", rc);
    }
    pthread_barrier_wait(&named);
    pthread_barrier_init(&spawner_named, NULL, 2);
    pthread_t t;
    int rc = pthread_create(&t, NULL, spawner, NULL);
    if (rc != 0)
        target_die("pthread_create", rc);
    pthread_barrier_wait(&spawner_named);
    printf("stable %d tl-spawner\n", (int)spawner_tid);
    target_ready();
    target_wait_forever();
}
