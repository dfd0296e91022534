/* Waits with no owner to name, and one with: "cond-waiter" waits on a condition variable nobody
 * signals, "sem-waiter" on a semaphore at 0, "rw-reader" for a read lock of an rwlock that
 * "rw-holder" holds for writing (glibc records the writer: that owner is known).
 * Prints "waiter=<tid> cond=<addr>", "sem=<tid> semaphore=<addr>",
 * "reader=<tid> writer=<tid> rwlock=<addr>", then "ready". */
#include <semaphore.h>

#include "waits_target.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static sem_t sem;
static waits_tid_box box = WAITS_TID_BOX_INIT, box_sem = WAITS_TID_BOX_INIT;
static waits_tid_box box_writer = WAITS_TID_BOX_INIT, box_reader = WAITS_TID_BOX_INIT;

static void *cond_waiter(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "cond-waiter");
    pthread_mutex_lock(&m);
    waits_box_put(&box, waits_gettid());
    for (;;)
        pthread_cond_wait(&c, &m);
    return NULL;
}

static void *sem_waiter(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "sem-waiter");
    waits_box_put(&box_sem, waits_gettid());
    for (;;)
        sem_wait(&sem);
    return NULL;
}

static void *rw_holder(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "rw-holder");
    pthread_rwlock_wrlock(&rw);
    waits_box_put(&box_writer, waits_gettid());
    target_wait_forever();
    return NULL;
}

static void *rw_reader(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "rw-reader");
    waits_box_put(&box_reader, waits_gettid());
    pthread_rwlock_rdlock(&rw);
    return NULL;
}

int main(void)
{
    sem_init(&sem, 0, 0);
    waits_start(cond_waiter, NULL);
    int w = waits_box_get(&box);
    waits_until_blocked(w, WAITS_ANY_ARG);
    /* cond_wait releases m before it sleeps: once we can take m, the waiter is in the futex */
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    waits_until_blocked(w, WAITS_ANY_ARG);
    waits_start(sem_waiter, NULL);
    int s = waits_box_get(&box_sem);
    waits_until_blocked(s, (uintptr_t)&sem);
    waits_start(rw_holder, NULL);
    int writer = waits_box_get(&box_writer);
    waits_start(rw_reader, NULL);
    int reader = waits_box_get(&box_reader);
    waits_until_blocked(reader, WAITS_ANY_ARG);
    printf("waiter=%d cond=%p\n", w, (void *)&c);
    printf("sem=%d semaphore=%p\n", s, (void *)&sem);
    printf("reader=%d writer=%d rwlock=%p\n", reader, writer, (void *)&rw);
    target_ready();
    target_wait_forever();
}
