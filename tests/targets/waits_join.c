/* pthread_join: "joiner" joins "joined", which sleeps. With the argument "deadlock", "joined"
 * instead waits for a mutex that "joiner" holds: a join/mutex cycle.
 * Prints "joiner=<tid> joined=<tid> mutex=<addr>", then "ready". */
#include "waits_target.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static waits_tid_box box_joiner = WAITS_TID_BOX_INIT, box_joined = WAITS_TID_BOX_INIT;
static pthread_barrier_t joiner_holds;
static int deadlock;

static void *joined(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "joined");
    waits_box_put(&box_joined, waits_gettid());
    pthread_barrier_wait(&joiner_holds);
    if (deadlock)
        pthread_mutex_lock(&m);
    target_wait_forever();
    return NULL;
}

static void *joiner(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "joiner");
    pthread_mutex_lock(&m);
    pthread_t t;
    int rc = pthread_create(&t, NULL, joined, NULL);
    if (rc != 0)
        target_die("pthread_create", rc);
    waits_box_put(&box_joiner, waits_gettid());
    pthread_barrier_wait(&joiner_holds);
    pthread_join(t, NULL);
    return NULL;
}

int main(int argc, char **argv)
{
    deadlock = argc > 1 && strcmp(argv[1], "deadlock") == 0;
    pthread_barrier_init(&joiner_holds, NULL, 2);
    waits_start(joiner, NULL);
    int jr = waits_box_get(&box_joiner), jd = waits_box_get(&box_joined);
    waits_until_blocked(jr, WAITS_ANY_ARG);
    waits_until_blocked(jd, deadlock ? (uintptr_t)&m : WAITS_ANY_ARG);
    printf("joiner=%d joined=%d mutex=%p\n", jr, jd, (void *)&m);
    target_ready();
    target_wait_forever();
}
