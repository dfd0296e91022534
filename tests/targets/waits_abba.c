/* The classic ABBA deadlock: thread "abba-a" holds m1 and wants m2, "abba-b" holds m2 and
 * wants m1. Prints "a=<tid> b=<tid> m1=<addr> m2=<addr>", then "ready". */
#include "waits_target.h"

static pthread_mutex_t m1 = PTHREAD_MUTEX_INITIALIZER, m2 = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold;
static waits_tid_box box_a = WAITS_TID_BOX_INIT, box_b = WAITS_TID_BOX_INIT;

static void *take(pthread_mutex_t *first, pthread_mutex_t *second, waits_tid_box *box, const char *name)
{
    pthread_setname_np(pthread_self(), name);
    pthread_mutex_lock(first);
    waits_box_put(box, waits_gettid());
    pthread_barrier_wait(&both_hold);
    pthread_mutex_lock(second);   /* never returns */
    return NULL;
}

static void *thread_a(void *arg)
{
    (void)arg;
    return take(&m1, &m2, &box_a, "abba-a");
}

static void *thread_b(void *arg)
{
    (void)arg;
    return take(&m2, &m1, &box_b, "abba-b");
}

int main(void)
{
    pthread_barrier_init(&both_hold, NULL, 2);
    waits_start(thread_a, NULL);
    waits_start(thread_b, NULL);
    int a = waits_box_get(&box_a), b = waits_box_get(&box_b);
    waits_until_blocked(a, (uintptr_t)&m2);
    waits_until_blocked(b, (uintptr_t)&m1);
    printf("a=%d b=%d m1=%p m2=%p\n", a, b, (void *)&m1, (void *)&m2);
    target_ready();
    target_wait_forever();
}
