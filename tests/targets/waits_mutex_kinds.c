/* Recursive, error-checking, robust and priority-inheritance mutexes, each held by a known
 * sleeping thread with one waiter. Prints one line per kind:
 *   "<kind> holder=<tid> waiter=<tid> mutex=<addr>"  (kind: recursive errorcheck robust pi)
 * then "ready". The recursive one is locked twice by its holder. */
#include "waits_target.h"

enum { RECURSIVE, ERRORCHECK, ROBUST, PI, NKINDS };
static const char *const kind_names[NKINDS] = {"recursive", "errorcheck", "robust", "pi"};

typedef struct kind_case {
    pthread_mutex_t m;
    waits_tid_box holder, waiter;
} kind_case;

static kind_case cases[NKINDS];

static void init_mutex(int kind)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    if (kind == RECURSIVE)
        pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    else if (kind == ERRORCHECK)
        pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    else if (kind == ROBUST)
        pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    else
        pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    int rc = pthread_mutex_init(&cases[kind].m, &a);
    if (rc != 0)
        target_die("pthread_mutex_init", rc);
    cases[kind].holder = (waits_tid_box)WAITS_TID_BOX_INIT;
    cases[kind].waiter = (waits_tid_box)WAITS_TID_BOX_INIT;
}

static void *holder(void *arg)
{
    kind_case *c = arg;
    char name[16];
    snprintf(name, sizeof name, "hold-%s", kind_names[c - cases]);
    pthread_setname_np(pthread_self(), name);
    pthread_mutex_lock(&c->m);
    if (c == &cases[RECURSIVE])
        pthread_mutex_lock(&c->m);
    waits_box_put(&c->holder, waits_gettid());
    target_wait_forever();
    return NULL;
}

static void *waiter(void *arg)
{
    kind_case *c = arg;
    char name[16];
    snprintf(name, sizeof name, "wait-%s", kind_names[c - cases]);
    pthread_setname_np(pthread_self(), name);
    waits_box_put(&c->waiter, waits_gettid());
    pthread_mutex_lock(&c->m);
    return NULL;
}

int main(void)
{
    for (int k = 0; k < NKINDS; k++) {
        init_mutex(k);
        waits_start(holder, &cases[k]);
        waits_box_get(&cases[k].holder);
        waits_start(waiter, &cases[k]);
        waits_until_blocked(waits_box_get(&cases[k].waiter), (uintptr_t)&cases[k].m);
    }
    for (int k = 0; k < NKINDS; k++)
        printf("%s holder=%d waiter=%d mutex=%p\n", kind_names[k], cases[k].holder.tid, cases[k].waiter.tid,
               (void *)&cases[k].m);
    target_ready();
    target_wait_forever();
}
