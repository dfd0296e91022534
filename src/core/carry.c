#include "carry.h"

#include <stdlib.h>
#include <string.h>

/* One thread as the recorded take saw it. */
typedef struct carry_entry {
    int pid, tid;
    uint64_t start_time_ms;
    char state;
    uint64_t voluntary, involuntary;
    bool stopped;                 /* stopped by our stack pass after it was recorded */
    tl_syscall syscall;
    char *wchan;
    tl_wait wait;
} carry_entry;

struct carry {
    carry_entry *entries;         /* sorted by (pid, tid) */
    size_t n;
    unsigned take;                /* takes recorded so far: turns the periodic refresh */
    unsigned refresh_every;
    bool analyse_only;
};

carry *carry_new(unsigned refresh_every, bool analyse_only)
{
    carry *c = calloc(1, sizeof(carry));
    if (c) {
        c->refresh_every = refresh_every ? refresh_every : CARRY_REFRESH_EVERY;
        c->analyse_only = analyse_only;
    }
    return c;
}

static void entries_free(carry_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(e[i].wchan);
        wait_clear(&e[i].wait);
    }
    free(e);
}

void carry_free(carry *c)
{
    if (!c)
        return;
    entries_free(c->entries, c->n);
    free(c);
}

static int cmp_entry(const void *a, const void *b)
{
    const carry_entry *x = a, *y = b;
    if (x->pid != y->pid)
        return (x->pid > y->pid) - (x->pid < y->pid);
    return (x->tid > y->tid) - (x->tid < y->tid);
}

static const carry_entry *find(const carry *c, int pid, int tid)
{
    carry_entry key = {.pid = pid, .tid = tid};
    return c->n ? bsearch(&key, c->entries, c->n, sizeof key, cmp_entry) : NULL;
}

static bool has_not_run(const carry_entry *e, const tl_thread *t)
{
    if (e->start_time_ms != t->start_time_ms || e->state != t->state || t->state == 'R')
        return false;
    if (e->stopped)   /* our stop and its release switch a sleeping thread out twice */
        return e->voluntary + e->involuntary + CARRY_STOP_SWITCHES ==
               t->voluntary_ctxt_switches + t->nonvoluntary_ctxt_switches;
    return e->voluntary == t->voluntary_ctxt_switches && e->involuntary == t->nonvoluntary_ctxt_switches;
}

/* Copies e's syscall, wchan and wait into t; false when out of memory (t unchanged). */
static bool copy_calls(const carry_entry *e, tl_thread *t)
{
    char *wchan = e->wchan ? strdup(e->wchan) : NULL;
    tl_wait wait = {.fd = -1};
    if ((e->wchan && !wchan) || !wait_copy(&wait, &e->wait)) {
        free(wchan);
        return false;
    }
    free(t->wchan);
    t->wchan = wchan;
    wait_clear(&t->wait);
    t->wait = wait;
    t->syscall = e->syscall;
    t->calls_reused = true;
    return true;
}

/* The refresh of analyse_only: the call and wait channel copied, the wait analysed again. */
static bool copy_call_only(const carry_entry *e, tl_thread *t)
{
    char *wchan = e->wchan ? strdup(e->wchan) : NULL;
    if (e->wchan && !wchan)
        return false;
    free(t->wchan);
    t->wchan = wchan;
    t->syscall = e->syscall;
    return true;
}

bool carry_reuse(const carry *c, int pid, tl_thread *t)
{
    const carry_entry *e = find(c, pid, t->tid);
    if (!e || !has_not_run(e, t))
        return false;
    if (((unsigned)t->tid + c->take) % c->refresh_every == 0)
        return c->analyse_only && copy_call_only(e, t);
    return copy_calls(e, t);
}

static bool is_fresh(int tid, const int *fresh, size_t nfresh)
{
    for (size_t i = 0; i < nfresh; i++)
        if (fresh[i] == tid)
            return true;
    return false;
}

tl_status carry_fill_process(const carry *c, platform_reader *r, tl_process *p, const int *fresh,
                             size_t nfresh, tl_error *err)
{
    size_t kept = 0, gone = 0;
    bool denied = false;
    for (size_t i = 0; i < p->nthreads; i++) {
        tl_thread *t = &p->threads[i];
        tl_status st = TL_OK;
        if (is_fresh(t->tid, fresh, nfresh) || !carry_reuse(c, p->pid, t))
            st = platform_read_thread_calls(r, p->pid, t);
        if (st == TL_ENOENT) {
            thread_clear(t);
            gone++;
            continue;
        }
        denied = denied || st == TL_EPERM;
        if (kept != i)
            p->threads[kept] = *t;
        kept++;
    }
    p->nthreads = kept;
    if (gone)
        return tl_error_set(err, TL_PARTIAL, "%zu thread(s) of process %d exited while being read", gone, p->pid);
    return denied ? platform_calls_denied(p->pid, err) : TL_OK;
}

/* The thread's counters and call, without its wchan and wait. */
static void entry_counters(carry_entry *e, int pid, const tl_thread *t)
{
    memset(e, 0, sizeof *e);
    e->pid = pid;
    e->tid = t->tid;
    e->start_time_ms = t->start_time_ms;
    e->state = t->state;
    e->voluntary = t->voluntary_ctxt_switches;
    e->involuntary = t->nonvoluntary_ctxt_switches;
    e->syscall = t->syscall;
}

static bool entry_from(carry_entry *e, int pid, const tl_thread *t)
{
    entry_counters(e, pid, t);
    e->wchan = t->wchan ? strdup(t->wchan) : NULL;
    return (!t->wchan || e->wchan) && wait_copy(&e->wait, &t->wait);
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static bool same_wait(const tl_wait *a, const tl_wait *b)
{
    return a->kind == b->kind && a->can_end_by == b->can_end_by && a->address == b->address &&
           a->owner_tid == b->owner_tid && a->owner_pid == b->owner_pid && a->fd == b->fd &&
           same_str(a->syscall_name, b->syscall_name) && same_str(a->object, b->object) &&
           same_str(a->description, b->description);
}

/* entry_from without copying: a thread whose calls were copied from old (carry_reuse) and
 * still equal them takes old's wchan and wait (old gives them up). Each take recorded every
 * thread's strings again, then freed the previous ones: 1000 sleepers, 4000 allocations and
 * frees a take for nothing. False: not the same, nothing moved. */
static bool entry_from_old(carry_entry *e, carry_entry *old, int pid, const tl_thread *t)
{
    if (!old || !t->calls_reused || old->start_time_ms != t->start_time_ms || !same_str(old->wchan, t->wchan) ||
        !same_wait(&old->wait, &t->wait))
        return false;
    entry_counters(e, pid, t);
    e->wchan = old->wchan;
    e->wait = old->wait;
    old->wchan = NULL;
    old->wait = (tl_wait){.fd = -1};
    return true;
}

void carry_mark_stopped(carry *c, platform_reader *r, const tl_snapshot *s)
{
    for (size_t i = 0; i < s->nprocs; i++)
        for (size_t j = 0; j < s->procs[i].nthreads; j++) {
            const tl_thread *t = &s->procs[i].threads[j];
            carry_entry *e = t->stall.stopped ? (carry_entry *)find(c, s->procs[i].pid, t->tid) : NULL;
            if (!e || e->start_time_ms != t->start_time_ms)
                continue;
            e->stopped = true;
            if (e->state == 'S')   /* a running thread's stop switches it a number of times */
                platform_note_stopped(r, s->procs[i].pid, t->tid, CARRY_STOP_SWITCHES);
        }
}

tl_status carry_record(carry *c, const tl_snapshot *s, tl_error *err)
{
    size_t total = model_thread_count(s), n = 0;
    carry_entry *next = calloc(total ? total : 1, sizeof *next);
    bool ok = next != NULL;
    for (size_t i = 0; i < s->nprocs && ok; i++)
        for (size_t j = 0; j < s->procs[i].nthreads && ok; j++) {
            int pid = s->procs[i].pid;
            const tl_thread *t = &s->procs[i].threads[j];
            carry_entry *old = t->calls_reused ? (carry_entry *)find(c, pid, t->tid) : NULL;
            ok = entry_from_old(&next[n], old, pid, t) || entry_from(&next[n], pid, t);
            n++;
        }
    entries_free(c->entries, c->n);
    c->entries = NULL;
    c->n = 0;
    c->take++;
    if (!ok) {
        entries_free(next, n);
        return tl_error_set(err, TL_ENOMEM, "out of memory remembering %zu threads between refreshes", total);
    }
    qsort(next, n, sizeof *next, cmp_entry);
    c->entries = next;
    c->n = n;
    return TL_OK;
}
