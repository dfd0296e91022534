/* Condition variables of every clock, waited on every way glibc 2.36 has (issue 14, item 2):
 * the futex op carries FUTEX_CLOCK_REALTIME for untimed waits and for waits timed against
 * CLOCK_REALTIME, not for waits timed against CLOCK_MONOTONIC, whatever the condvar's own
 * clock (bit 1 of __wrefs). Plus a process-shared condvar, a waiter in group 1 (it sleeps on
 * __g_signals[1], 4 bytes after group 0's word), semaphores timed against each clock, and
 * rwlock waits (a writer waiting for a reader; a reader timed against CLOCK_MONOTONIC behind a
 * writer).
 * Prints one "wait name=<thread name> tid=<tid> kind=<condvar|semaphore|rwlock>
 * addr=<object address> owner=<tid or 0>" line per waiter, then "ready". */
#include <semaphore.h>

#include "waits_target.h"

#define LONG_WAIT_S 3600

typedef enum how { UNTIMED, TIMED, CLOCK_MONO, CLOCK_RT } how;

typedef struct cv_case {
    const char *name;
    clockid_t cv_clock;          /* the condvar's clock */
    int shared;
    how how;
    pthread_mutex_t m;
    pthread_cond_t c;
    waits_tid_box box;
    int tid;
} cv_case;

static cv_case cases[] = {
    {.name = "cv-rt-wait", .cv_clock = CLOCK_REALTIME, .how = UNTIMED},
    {.name = "cv-rt-timed", .cv_clock = CLOCK_REALTIME, .how = TIMED},
    {.name = "cv-mono-wait", .cv_clock = CLOCK_MONOTONIC, .how = UNTIMED},
    {.name = "cv-mono-timed", .cv_clock = CLOCK_MONOTONIC, .how = TIMED},
    {.name = "cv-rt-clkmono", .cv_clock = CLOCK_REALTIME, .how = CLOCK_MONO},
    {.name = "cv-mono-clkrt", .cv_clock = CLOCK_MONOTONIC, .how = CLOCK_RT},
    {.name = "cv-shared", .cv_clock = CLOCK_MONOTONIC, .shared = 1, .how = UNTIMED},
    {.name = "cv-group1", .cv_clock = CLOCK_REALTIME, .how = UNTIMED},
};
#define NCASES (sizeof cases / sizeof cases[0])
#define GROUP1_CASE (NCASES - 1)

static struct timespec later(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    ts.tv_sec += LONG_WAIT_S;
    return ts;
}

static void *cv_waiter(void *arg)
{
    cv_case *k = arg;
    pthread_setname_np(pthread_self(), k->name);
    pthread_mutex_lock(&k->m);
    waits_box_put(&k->box, waits_gettid());
    for (;;) {
        struct timespec ts;
        switch (k->how) {
        case UNTIMED: pthread_cond_wait(&k->c, &k->m); break;
        case TIMED: ts = later(k->cv_clock), pthread_cond_timedwait(&k->c, &k->m, &ts); break;
        case CLOCK_MONO: ts = later(CLOCK_MONOTONIC), pthread_cond_clockwait(&k->c, &k->m, CLOCK_MONOTONIC, &ts); break;
        case CLOCK_RT: ts = later(CLOCK_REALTIME), pthread_cond_clockwait(&k->c, &k->m, CLOCK_REALTIME, &ts); break;
        }
    }
    return NULL;
}

static void cv_init(cv_case *k)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, k->cv_clock);
    pthread_condattr_setpshared(&a, k->shared ? PTHREAD_PROCESS_SHARED : PTHREAD_PROCESS_PRIVATE);
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setpshared(&ma, k->shared ? PTHREAD_PROCESS_SHARED : PTHREAD_PROCESS_PRIVATE);
    if (pthread_cond_init(&k->c, &a) != 0 || pthread_mutex_init(&k->m, &ma) != 0)
        target_die("pthread_cond_init", EINVAL);
    k->box = (waits_tid_box)WAITS_TID_BOX_INIT;
}

/* Once main can take the mutex, the waiter has released it in cond_wait: it is in the futex. */
static void cv_blocked(cv_case *k)
{
    waits_until_blocked(k->tid, WAITS_ANY_ARG);
    pthread_mutex_lock(&k->m);
    pthread_mutex_unlock(&k->m);
    waits_until_blocked(k->tid, WAITS_ANY_ARG);
}

static sem_t sem_mono, sem_rt;
static waits_tid_box box_sem_mono = WAITS_TID_BOX_INIT, box_sem_rt = WAITS_TID_BOX_INIT;

static void *sem_waiter_mono(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "sem-clkmono");
    waits_box_put(&box_sem_mono, waits_gettid());
    for (;;) {
        struct timespec ts = later(CLOCK_MONOTONIC);
        sem_clockwait(&sem_mono, CLOCK_MONOTONIC, &ts);
    }
    return NULL;
}

static void *sem_waiter_rt(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "sem-timed");
    waits_box_put(&box_sem_rt, waits_gettid());
    for (;;) {
        struct timespec ts = later(CLOCK_REALTIME);
        sem_timedwait(&sem_rt, &ts);
    }
    return NULL;
}

static pthread_rwlock_t rw_read = PTHREAD_RWLOCK_INITIALIZER, rw_write = PTHREAD_RWLOCK_INITIALIZER;
static waits_tid_box box_rw_writer = WAITS_TID_BOX_INIT, box_rw_holder = WAITS_TID_BOX_INIT;
static waits_tid_box box_rw_reader = WAITS_TID_BOX_INIT;

/* wants rw_read for writing; main holds it for reading */
static void *rw_writer(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "rw-wr-waits");
    waits_box_put(&box_rw_writer, waits_gettid());
    pthread_rwlock_wrlock(&rw_read);
    return NULL;
}

static void *rw_holder(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "rw-holder");
    pthread_rwlock_wrlock(&rw_write);
    waits_box_put(&box_rw_holder, waits_gettid());
    target_wait_forever();
    return NULL;
}

/* wants rw_write for reading, timed against CLOCK_MONOTONIC; rw-holder has it for writing */
static void *rw_reader(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "rw-rd-clkmono");
    waits_box_put(&box_rw_reader, waits_gettid());
    for (;;) {
        struct timespec ts = later(CLOCK_MONOTONIC);
        if (pthread_rwlock_clockrdlock(&rw_write, CLOCK_MONOTONIC, &ts) == 0)
            pthread_rwlock_unlock(&rw_write);
    }
    return NULL;
}

static int start_and_get(void *(*fn)(void *), waits_tid_box *box)
{
    waits_start(fn, NULL);
    return waits_box_get(box);
}

int main(void)
{
    for (size_t i = 0; i < NCASES; i++) {
        cv_init(&cases[i]);
        waits_start(cv_waiter, &cases[i]);
        cases[i].tid = waits_box_get(&cases[i].box);
        cv_blocked(&cases[i]);
    }
    /* a signal switches the groups: the woken waiter waits again, now on __g_signals[1] */
    cv_case *g1 = &cases[GROUP1_CASE];
    pthread_mutex_lock(&g1->m);
    pthread_cond_signal(&g1->c);
    pthread_mutex_unlock(&g1->m);
    waits_until_blocked(g1->tid, (uintptr_t)&g1->c + 44);
    cv_blocked(g1);

    sem_init(&sem_mono, 0, 0);
    sem_init(&sem_rt, 0, 0);
    int sm = start_and_get(sem_waiter_mono, &box_sem_mono), sr = start_and_get(sem_waiter_rt, &box_sem_rt);
    waits_until_blocked(sm, (uintptr_t)&sem_mono);
    waits_until_blocked(sr, (uintptr_t)&sem_rt);

    pthread_rwlock_rdlock(&rw_read);
    int wr = start_and_get(rw_writer, &box_rw_writer);
    waits_until_blocked(wr, (uintptr_t)&rw_read + 8);
    int holder = start_and_get(rw_holder, &box_rw_holder);
    int rd = start_and_get(rw_reader, &box_rw_reader);
    waits_until_blocked(rd, (uintptr_t)&rw_write + 8);

    for (size_t i = 0; i < NCASES; i++)
        printf("wait name=%s tid=%d kind=condvar addr=%p owner=0\n", cases[i].name, cases[i].tid, (void *)&cases[i].c);
    printf("wait name=sem-clkmono tid=%d kind=semaphore addr=%p owner=0\n", sm, (void *)&sem_mono);
    printf("wait name=sem-timed tid=%d kind=semaphore addr=%p owner=0\n", sr, (void *)&sem_rt);
    printf("wait name=rw-wr-waits tid=%d kind=rwlock addr=%p owner=0\n", wr, (void *)&rw_read);
    printf("wait name=rw-rd-clkmono tid=%d kind=rwlock addr=%p owner=%d\n", rd, (void *)&rw_write, holder);
    target_ready();
    target_wait_forever();
}
