/* The triage summary of a snapshot: threads by state, the largest stack groups, the objects
 * most threads wait on (with their owner), the deadlock count. Pure: reads the model and the
 * groups, keeps pointers into both. */
#include <stdlib.h>
#include <string.h>

#include "threadlens/groups.h"
#include "threadlens/java.h"

/* One waiting thread's object, to be counted with its equals. */
typedef struct sm_key {
    int cls;                      /* 0 futex-like, 1 fd object, 2 java monitor */
    int pid;                      /* futexes and monitors are per address space; fd objects not */
    uint64_t address;
    const char *object;
    const tl_thread *t;
    const char *kind;
    int owner_tid;
} sm_key;

static int sm_cmp(const void *a, const void *b)
{
    const sm_key *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls - y->cls;
    if (x->pid != y->pid)
        return (x->pid > y->pid) - (x->pid < y->pid);
    if (x->address != y->address)
        return (x->address > y->address) - (x->address < y->address);
    int c = x->object && y->object ? strcmp(x->object, y->object) : 0;
    return c ? c : (x->t->tid > y->t->tid) - (x->t->tid < y->t->tid);
}

static bool sm_same(const sm_key *x, const sm_key *y)
{
    return x->cls == y->cls && x->pid == y->pid && x->address == y->address &&
           (!x->object || !y->object || strcmp(x->object, y->object) == 0);
}

static const char *fd_kind(const char *object)
{
    if (strncmp(object, "pipe:", 5) == 0)
        return "pipe";
    if (strncmp(object, "socket", 6) == 0)
        return "socket";
    return NULL;   /* a plain file or a device: not an object threads queue on */
}

/* The Java monitor a JVM thread is blocked to enter, if any. */
static const tl_java_lock *java_monitor(const tl_thread *t)
{
    for (size_t i = 0; t->java && i < t->java->nframes && i < 2; i++)
        for (size_t k = 0; k < t->java->frames[i].nlocks; k++)
            if (t->java->frames[i].locks[k].kind == TL_JLOCK_WAITING_TO_LOCK && t->java->frames[i].locks[k].address)
                return &t->java->frames[i].locks[k];
    return NULL;
}

static bool key_of(const tl_process *p, const tl_thread *t, sm_key *k)
{
    const tl_wait *w = &t->wait;
    const tl_java_lock *jl = java_monitor(t);
    *k = (sm_key){0, p->pid, 0, NULL, t, NULL, 0};
    if (jl) {
        *k = (sm_key){2, p->pid, jl->address, NULL, t, "java monitor", jl->owner_tid};
        return true;
    }
    switch (w->kind) {
    case TL_WAIT_MUTEX: case TL_WAIT_PI_MUTEX: case TL_WAIT_CONDVAR:
    case TL_WAIT_RWLOCK: case TL_WAIT_SEMAPHORE: case TL_WAIT_FUTEX:
        if (!w->address)
            return false;
        *k = (sm_key){0, p->pid, w->address, NULL, t, model_wait_kind_name(w->kind), w->owner_tid};
        return true;
    case TL_WAIT_FD:
        if (!w->object || !fd_kind(w->object))
            return false;
        *k = (sm_key){1, 0, 0, w->object, t, fd_kind(w->object), w->owner_tid};
        return true;
    default:
        return false;
    }
}

static int waited_cmp(const void *a, const void *b)
{
    const tl_waited *x = a, *y = b;
    if (x->waiters != y->waiters)
        return (x->waiters < y->waiters) - (x->waiters > y->waiters);
    if ((x->owner_tid != 0) != (y->owner_tid != 0))
        return y->owner_tid != 0 ? 1 : -1;
    return 0;
}

static tl_waited waited_of(const tl_snapshot *s, const sm_key *k, size_t count)
{
    const tl_wait *w = &k->t->wait;
    tl_waited o = {k->kind, k->address, k->cls == 1 ? w->fd : -1, w->description, k->object, count, k->owner_tid, NULL};
    if (k->cls == 2)
        o.description = NULL;   /* the native wait is not the monitor's */
    if (o.owner_tid)
        o.owner = model_find_thread(s, o.owner_tid, NULL);
    return o;
}

/* Worth a line: shared by two threads or more, or one whose owner is known (a chain). */
static bool waited_worth(const tl_waited *w)
{
    return w->waiters >= 2 || w->owner_tid != 0;
}

static bool most_waited(const tl_snapshot *s, tl_summary *sum)
{
    sm_key *keys = calloc(sum->nthreads ? sum->nthreads : 1, sizeof *keys);
    tl_waited *all = calloc(sum->nthreads ? sum->nthreads : 1, sizeof *all);
    size_t n = 0, nall = 0;
    if (!keys || !all) {
        free(keys);
        free(all);
        return false;
    }
    for (size_t i = 0; i < s->nprocs; i++)
        for (size_t j = 0; j < s->procs[i].nthreads; j++)
            n += key_of(&s->procs[i], &s->procs[i].threads[j], &keys[n]);
    qsort(keys, n, sizeof *keys, sm_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && sm_same(&keys[i], &keys[j]))
            j++;
        all[nall] = waited_of(s, &keys[i], j - i);
        nall += waited_worth(&all[nall]);
        i = j;
    }
    qsort(all, nall, sizeof *all, waited_cmp);
    for (size_t i = 0; i < nall && i < TL_SUMMARY_TOP; i++)
        sum->waited[sum->nwaited++] = all[i];
    free(keys);
    free(all);
    return true;
}

static int top_cmp(const void *a, const void *b)
{
    const tl_stack_group *x = *(const tl_stack_group *const *)a, *y = *(const tl_stack_group *const *)b;
    if (x->count != y->count)
        return (x->count < y->count) - (x->count > y->count);
    return (x->id > y->id) - (x->id < y->id);
}

static bool top_groups(const tl_groups *g, tl_summary *sum)
{
    const tl_stack_group **shared = calloc(g->ngroups ? g->ngroups : 1, sizeof *shared);
    if (!shared)
        return false;
    for (size_t i = 0; i < g->nprocs; i++) {
        const tl_process_groups *pg = &g->procs[i];
        sum->nfailed += pg->nfailed;
        sum->nby_state += pg->by_state;
        for (size_t k = 0; k < pg->ngroups; k++) {
            if (pg->groups[k].count >= 2)
                shared[sum->nshared_groups++] = &pg->groups[k];
            else
                sum->nunique++;
        }
    }
    qsort(shared, sum->nshared_groups, sizeof *shared, top_cmp);
    for (size_t i = 0; i < sum->nshared_groups && i < TL_SUMMARY_TOP; i++)
        sum->top[sum->ntop++] = shared[i];
    free(shared);
    return true;
}

tl_status summary_build(const tl_snapshot *s, const tl_groups *g, tl_summary *out, tl_error *err)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < s->nprocs; i++) {
        for (size_t j = 0; j < s->procs[i].nthreads; j++) {
            const tl_thread *t = &s->procs[i].threads[j];
            out->nthreads++;
            out->states[(unsigned char)t->state & 127]++;
            out->cpu_used += t->cpu_user_ms + t->cpu_system_ms > 0;
        }
    }
    out->ndeadlocks = s->ndeadlocks;
    if (!top_groups(g, out) || !most_waited(s, out))
        return tl_error_set(err, TL_ENOMEM, "out of memory building the dump's summary");
    return TL_OK;
}
