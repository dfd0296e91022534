/* The workload's thread pool: DEMO_POOL_THREADS threads "pool-1".."pool-8" waiting for jobs on
 * one condition variable, in one stack, so the dump's summary and the live view's grouped
 * table (g) have a group to show. No job ever comes. */
#include <time.h>

#include "demo.h"

#define READY_POLL_US 1000
#define READY_MAX_POLLS 2000    /* 2 s at most: a loaded machine, never a hang */

static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t jobs_ready = PTHREAD_COND_INITIALIZER;
static int jobs;
static int waiting;     /* pool threads that reached their wait (under jobs_lock) */

__attribute__((noinline)) static void demo_pool_wait_for_job(void)
{
    pthread_mutex_lock(&jobs_lock);
    waiting++;
    while (jobs == 0)
        pthread_cond_wait(&jobs_ready, &jobs_lock);
    jobs--;
    pthread_mutex_unlock(&jobs_lock);
}

void *demo_pool_thread(void *arg)
{
    demo_thread_begin(arg);
    for (;;)
        demo_pool_wait_for_job();
    return NULL;
}

/* Until every pool thread is in pthread_cond_wait: it counted itself under the lock, and the
 * lock taken here is free only once the last one waits (its futex call may follow: the
 * workload's settling sees that). A thread still in the start barrier also sleeps in a futex,
 * so the system call alone does not tell. */
void demo_pool_wait_ready(int n)
{
    struct timespec ts = {.tv_sec = 0, .tv_nsec = READY_POLL_US * 1000L};
    for (int i = 0; i < READY_MAX_POLLS; i++) {
        pthread_mutex_lock(&jobs_lock);
        int w = waiting;
        pthread_mutex_unlock(&jobs_lock);
        if (w >= n)
            return;
        nanosleep(&ts, NULL);
    }
}
