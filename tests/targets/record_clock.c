/* threadlens record's clock check target (skip_quiet's sched_accounting): a "beat" thread that
 * runs every 200 us (it is always among the threads the check reads, and its runs land inside
 * the check's windows), IDLE_THREADS "idle" threads asleep throughout, and a "sleeper" that
 * wakes at random moments 20 to 90 ms apart, runs a few microseconds, and sleeps again. Each
 * wake's CLOCK_REALTIME (ns) is written, one a line, to the file named by argv[1]: a recorder
 * must report the sleeper as having run in every sample whose interval holds a wake.
 * Prints "ready". */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "tl_target.h"

#define IDLE_THREADS 100
#define BEAT_NS 200000L

static FILE *wakes;

static void *beat(void *arg)
{
    (void)arg;
    struct timespec ts = {.tv_sec = 0, .tv_nsec = BEAT_NS};
    for (;;)
        nanosleep(&ts, NULL);
    return NULL;
}

static void *sleeper(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    for (;;) {
        long ms = 20 + rand_r(&seed) % 71;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = ms * 1000000L + rand_r(&seed) % 1000000L};
        nanosleep(&ts, NULL);
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        fprintf(wakes, "%lld\n", (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
        fflush(wakes);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 2 || !(wakes = fopen(argv[1], "w")))
        return 2;
    target_start_idle(IDLE_THREADS);
    pthread_t t;
    if (pthread_create(&t, NULL, beat, NULL) != 0)
        return 1;
    pthread_setname_np(t, "beat");
    if (pthread_create(&t, NULL, sleeper, (void *)(uintptr_t)time(NULL)) != 0)
        return 1;
    pthread_setname_np(t, "sleeper");
    target_ready();
    target_wait_forever();
}
