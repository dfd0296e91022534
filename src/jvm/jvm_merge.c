/* Joining the JVM's view to the native one: a Java thread's nid is its kernel TID. Java-level
 * deadlocks the JVM found are added to the snapshot's deadlock report as cycles of TIDs. */
#include <stdlib.h>
#include <string.h>

#include "jvm.h"
#include "jvm_text.h"

/* A native thread under the id the JVM knows it by. */
typedef struct keyed_thread {
    int key;
    tl_thread *t;
} keyed_thread;

static int cmp_key(const void *a, const void *b)
{
    const keyed_thread *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static tl_thread *by_key(const keyed_thread *index, size_t n, uint64_t nid)
{
    if (nid == 0 || nid > 0x7fffffff)
        return NULL;
    keyed_thread probe = {.key = (int)nid};
    const keyed_thread *hit = bsearch(&probe, index, n, sizeof *index, cmp_key);
    return hit ? hit->t : NULL;
}

static bool keep_unjoined(tl_jvm *jvm, tl_java_thread *jt)
{
    if (!jvm_grow((void **)&jvm->unjoined, jvm->nunjoined, sizeof *jvm->unjoined, JAVA_MAX_THREADS))
        return false;
    jvm->unjoined[jvm->nunjoined++] = *jt;
    memset(jt, 0, sizeof *jt);
    return true;
}

/* Moves jt onto its native thread, or into the unjoined list. */
static bool place(tl_jvm *jvm, const keyed_thread *index, size_t n, tl_java_thread *jt)
{
    tl_thread *t = by_key(index, n, jt->nid);
    if (!t || t->java)
        return keep_unjoined(jvm, jt);
    t->java = malloc(sizeof *t->java);
    if (!t->java)
        return false;
    *t->java = *jt;
    memset(jt, 0, sizeof *jt);
    jvm->njoined++;
    return true;
}

bool jvm_merge_threads(tl_process *p, java_dump *d, const int *keys)
{
    keyed_thread *index = malloc((p->nthreads ? p->nthreads : 1) * sizeof *index);
    if (!index)
        return false;
    for (size_t i = 0; i < p->nthreads; i++)
        index[i] = (keyed_thread){.key = keys ? keys[i] : p->threads[i].tid, .t = &p->threads[i]};
    qsort(index, p->nthreads, sizeof *index, cmp_key);
    p->jvm->njava_threads = d->nthreads;
    bool ok = true;
    for (size_t i = 0; i < d->nthreads && ok; i++)
        ok = place(p->jvm, index, p->nthreads, &d->threads[i]);
    free(index);
    return ok;
}

/* ---- who holds the monitor a blocked thread waits for --------------------------------------- */

/* Whether jt waits on (has released) the monitor at addr: Object.wait() keeps its "- locked". */
static bool java_waits_on(const tl_java_thread *jt, uint64_t addr)
{
    for (size_t f = 0; f < jt->nframes; f++)
        for (size_t l = 0; l < jt->frames[f].nlocks; l++) {
            const tl_java_lock *k = &jt->frames[f].locks[l];
            if (k->address == addr && (k->kind == TL_JLOCK_WAITING_ON || k->kind == TL_JLOCK_RELOCK))
                return true;
        }
    return false;
}

static bool java_holds(const tl_java_thread *jt, uint64_t addr)
{
    for (size_t f = 0; f < jt->nframes; f++)
        for (size_t l = 0; l < jt->frames[f].nlocks; l++)
            if (jt->frames[f].locks[l].kind == TL_JLOCK_LOCKED && jt->frames[f].locks[l].address == addr)
                return !java_waits_on(jt, addr);
    return false;
}

static const tl_thread *monitor_owner(const tl_process *p, uint64_t addr)
{
    for (size_t i = 0; i < p->nthreads; i++)
        if (p->threads[i].java && java_holds(p->threads[i].java, addr))
            return &p->threads[i];
    return NULL;
}

void jvm_find_monitor_owners(tl_process *p)
{
    for (size_t i = 0; i < p->nthreads; i++) {
        tl_java_thread *jt = p->threads[i].java;
        for (size_t f = 0; jt && f < jt->nframes && f < 2; f++)
            for (size_t l = 0; l < jt->frames[f].nlocks; l++) {
                tl_java_lock *k = &jt->frames[f].locks[l];
                const tl_thread *owner = k->kind == TL_JLOCK_WAITING_TO_LOCK && k->address
                                             ? monitor_owner(p, k->address) : NULL;
                if (!owner)
                    continue;
                k->owner_tid = owner->tid;
                free(k->owner_name);
                k->owner_name = owner->java->name ? strdup(owner->java->name) : NULL;
            }
    }
}

/* ---- deadlocks ---------------------------------------------------------------------------- */

/* Whether the Java thread is blocked on a lock (prefers it among threads of the same name). */
static bool java_blocked(const tl_java_thread *jt)
{
    for (size_t f = 0; f < jt->nframes && f < 2; f++)
        for (size_t l = 0; l < jt->frames[f].nlocks; l++)
            if (jt->frames[f].locks[l].kind == TL_JLOCK_WAITING_TO_LOCK || jt->frames[f].locks[l].kind == TL_JLOCK_PARKING)
                return true;
    return false;
}

/* The native thread whose Java name is name (Java names need not be unique). */
static tl_thread *by_java_name(tl_process *p, const char *name)
{
    tl_thread *first = NULL;
    for (size_t i = 0; i < p->nthreads && name; i++) {
        tl_thread *t = &p->threads[i];
        if (!t->java || !t->java->name || strcmp(t->java->name, name) != 0)
            continue;
        if (java_blocked(t->java))
            return t;
        if (!first)
            first = t;
    }
    return first;
}

/* The object address in "monitor 0x.. (object 0x..., a X)" or "ownable synchronizer 0x..., (a X)". */
static uint64_t edge_address(const char *what)
{
    const char *at = what ? strstr(what, "object 0x") : NULL;
    const char *from = at ? at + 7 : what ? strstr(what, "0x") : NULL;
    uint64_t v = 0;
    if (from && !jtext_u64((jtext){from, strlen(from)}, &v, NULL))
        v = 0;
    return v;
}

static bool same_cycle(const tl_deadlock *d, const int *tids, size_t n)
{
    if (d->ntids != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t j = 0; j < n && !found; j++)
            found = d->tids[j] == tids[i];
        if (!found)
            return false;
    }
    return true;
}

static bool fill_cycle(tl_process *p, const tl_java_deadlock *jd, tl_deadlock *out)
{
    out->tids = calloc(jd->nedges, sizeof *out->tids);
    out->edges = calloc(jd->nedges, sizeof *out->edges);
    if (!out->tids || !out->edges)
        return false;
    for (size_t i = 0; i < jd->nedges; i++) {
        tl_thread *w = by_java_name(p, jd->edges[i].waiter), *h = by_java_name(p, jd->edges[i].holder);
        if (!w || !h)
            return false;
        out->tids[i] = w->tid;
        out->edges[i] = (tl_wait_edge){.waiter_tid = w->tid, .holder_tid = h->tid, .kind = TL_WAIT_OTHER,
                                       .address = edge_address(jd->edges[i].what)};
    }
    out->ntids = out->nedges = jd->nedges;
    out->reported_by_jvm = true;
    return true;
}

static void add_cycle(tl_snapshot *snap, tl_process *p, const tl_java_deadlock *jd)
{
    tl_deadlock d = {0};
    if (jd->nedges == 0 || !fill_cycle(p, jd, &d)) {
        snapshot_add_note(snap, "PID %d: the JVM reported a Java-level deadlock whose threads are not all in this snapshot",
                          p->pid);
        deadlock_clear(&d);
        return;
    }
    bool known = false;   /* the native analysis may have found it too */
    for (size_t i = 0; i < snap->ndeadlocks && !known; i++) {
        known = same_cycle(&snap->deadlocks[i], d.tids, d.ntids);
        snap->deadlocks[i].reported_by_jvm |= known;
    }
    tl_deadlock *grown = known ? NULL : realloc(snap->deadlocks, (snap->ndeadlocks + 1) * sizeof *grown);
    if (!grown) {
        deadlock_clear(&d);
        return;
    }
    snap->deadlocks = grown;
    snap->deadlocks[snap->ndeadlocks++] = d;
    for (size_t i = 0; i < d.ntids; i++)
        for (size_t j = 0; j < p->nthreads; j++)
            if (p->threads[j].tid == d.tids[i])
                p->threads[j].in_deadlock = true;
}

void jvm_report_deadlocks(tl_snapshot *snap)
{
    for (size_t i = 0; i < snap->nprocs; i++) {
        tl_process *p = &snap->procs[i];
        for (size_t k = 0; p->jvm && k < p->jvm->ndeadlocks; k++)
            add_cycle(snap, p, &p->jvm->deadlocks[k]);
    }
}
