/* A 3-thread cycle: "cycle-i" holds m[i] and wants m[(i+1) % 3].
 * Prints "t0=<tid> t1=<tid> t2=<tid>", then "ready". */
#include "waits_target.h"

#define N 3

static pthread_mutex_t m[N] = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};
static pthread_barrier_t all_hold;
static waits_tid_box box[N] = {WAITS_TID_BOX_INIT, WAITS_TID_BOX_INIT, WAITS_TID_BOX_INIT};

static void *link_of_cycle(void *arg)
{
    int i = (int)(intptr_t)arg;
    char name[16];
    snprintf(name, sizeof name, "cycle-%d", i);
    pthread_setname_np(pthread_self(), name);
    pthread_mutex_lock(&m[i]);
    waits_box_put(&box[i], waits_gettid());
    pthread_barrier_wait(&all_hold);
    pthread_mutex_lock(&m[(i + 1) % N]);   /* never returns */
    return NULL;
}

int main(void)
{
    int tid[N];
    pthread_barrier_init(&all_hold, NULL, N);
    for (int i = 0; i < N; i++)
        waits_start(link_of_cycle, (void *)(intptr_t)i);
    for (int i = 0; i < N; i++)
        tid[i] = waits_box_get(&box[i]);
    for (int i = 0; i < N; i++)
        waits_until_blocked(tid[i], (uintptr_t)&m[(i + 1) % N]);
    printf("t0=%d t1=%d t2=%d\n", tid[0], tid[1], tid[2]);
    target_ready();
    target_wait_forever();
}
