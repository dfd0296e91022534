/* The workload's thread pool: DEMO_POOL_THREADS threads "pool-1".."pool-8" waiting for jobs on
 * one condition variable, in one stack, so the dump's summary and the live view's grouped
 * table (g) have a group to show. No job ever comes. */
#include "demo.h"

static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t jobs_ready = PTHREAD_COND_INITIALIZER;
static int jobs;

__attribute__((noinline)) static void demo_pool_wait_for_job(void)
{
    pthread_mutex_lock(&jobs_lock);
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
