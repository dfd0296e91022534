/* A process that exits while it may be being read: "tl-short" starts N threads (argv[1],
 * default 64) that each exit after a varying few milliseconds, prints "ready", and the whole
 * process exits DELAY ms later (argv[2], default 20). Used in a loop by the tests to race a
 * dump against the exits; whatever the timing, threadlens must not crash or hang. */
#include <errno.h>
#include <time.h>

#include "tl_target.h"

#define MAX_THREADS 1000

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void *brief(void *arg)
{
    pthread_setname_np(pthread_self(), "tl-brief");
    sleep_ms((long)(size_t)arg);
    return NULL;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 64;
    long delay = argc > 2 ? strtol(argv[2], NULL, 10) : 20;
    if (n < 0 || n > MAX_THREADS)
        n = 64;
    prctl(PR_SET_NAME, "tl-short");
    for (long i = 0; i < n; i++) {
        pthread_t t;
        int rc = pthread_create(&t, NULL, brief, (void *)(size_t)(delay / 2 + i % (delay + 1)));
        if (rc != 0)
            target_die("pthread_create", rc);
        pthread_detach(t);
    }
    target_ready();
    sleep_ms(delay);
    _exit(0);
}
