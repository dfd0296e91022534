/* A process whose main thread has exited (pthread_exit in main: the leader is a zombie, state
 * Z) while 3 workers "zl-worker-1..3" live, each parked in zl_park <- zl_worker. Prints
 * "ready" once the leader is a zombie; a test should find 3 worker stacks with zl_park. */
#include <time.h>

#include "tl_target.h"

#define NWORKERS 3

static pthread_barrier_t named;

__attribute__((noinline)) static void zl_park(void)
{
    for (;;)
        pause();
}

__attribute__((noinline)) static void *zl_worker(void *arg)
{
    char name[16];
    snprintf(name, sizeof name, "zl-worker-%d", (int)(intptr_t)arg);
    pthread_setname_np(pthread_self(), name);
    pthread_barrier_wait(&named);
    zl_park();
    return NULL;
}

/* Waits for the leader's state to be Z, then says ready (from a worker: main is gone). */
static void *zl_announcer(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "zl-announcer");
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)getpid());
    for (int i = 0; i < 500; i++) {
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
        if (f)
            fclose(f);
        buf[n] = '\0';
        const char *p = strrchr(buf, ')');
        if (p && p[1] == ' ' && p[2] == 'Z') {
            target_ready();
            zl_park();
        }
        nanosleep(&(struct timespec){.tv_nsec = 10000000L}, NULL);
    }
    fprintf(stderr, "zombie_leader: the main thread did not become a zombie\n");
    exit(2);
}

int main(void)
{
    prctl(PR_SET_NAME, "tl-zleader");
    pthread_barrier_init(&named, NULL, NWORKERS + 1);
    pthread_t t;
    for (int i = 1; i <= NWORKERS; i++) {
        int e = pthread_create(&t, NULL, zl_worker, (void *)(intptr_t)i);
        if (e)
            target_die("pthread_create", e);
    }
    pthread_barrier_wait(&named);
    int e = pthread_create(&t, NULL, zl_announcer, NULL);
    if (e)
        target_die("pthread_create", e);
    pthread_exit(NULL);
}
