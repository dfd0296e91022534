/* Verdicts over several samples: each thread is followed by (pid, tid, start time) from
 * sample to sample; what is compared is a signature of its stack (the frames' functions and
 * modules, pcs where unnamed: offsets do not count, as in the stack groups) and of its wait
 * (kind, object, fd, address: the holder may change while a waiter stays blocked). */
#include <stdlib.h>
#include <string.h>

#include "threadlens/history.h"

typedef struct track {
    int pid, tid;
    uint64_t start_time_ms;
    unsigned first, last, seen;   /* sample indexes */
    uint64_t first_cpu, last_cpu;
    uint64_t stack_sig, wait_sig;
    bool stack_same_all, wait_same_all, busy_all, lock_wait, never_running;
    unsigned same_run;            /* samples, up to the last, with this stack and wait */
    int64_t run_since_ms;         /* when that run started */
    char state;
} track;

struct tl_history_set {
    track *tracks;                /* sorted by (pid, tid, start time) */
    size_t n;
    unsigned samples;
    int64_t first_ms, last_ms;
    tl_snapshot *prev;
    tl_process *ended;            /* one entry per process: the threads that ended, as last seen */
    size_t nended;
};

tl_history_set *history_new(void)
{
    return calloc(1, sizeof(tl_history_set));
}

static void ended_free(tl_history_set *h)
{
    for (size_t i = 0; i < h->nended; i++)
        process_clear(&h->ended[i]);
    free(h->ended);
    h->ended = NULL;
    h->nended = 0;
}

void history_free(tl_history_set *h)
{
    if (!h)
        return;
    free(h->tracks);
    snapshot_free(h->prev);
    ended_free(h);
    free(h);
}

tl_snapshot *history_last(tl_history_set *h)
{
    return h->prev;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001b3ULL;
}

static uint64_t mix_str(uint64_t h, const char *s)
{
    for (; s && *s; s++)
        h = mix(h, (unsigned char)*s);
    return mix(h, 0xff);
}

static uint64_t stack_sig(const tl_thread *t)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < t->nframes; i++) {
        h = mix_str(h, t->frames[i].module);
        h = t->frames[i].function ? mix_str(h, t->frames[i].function) : mix(h, t->frames[i].pc);
    }
    return mix(h, t->nframes);
}

static uint64_t wait_sig(const tl_thread *t)
{
    uint64_t h = mix(0xcbf29ce484222325ULL, (uint64_t)t->wait.kind);
    h = mix(mix(h, t->wait.address), (uint64_t)(int64_t)t->wait.fd);
    return mix_str(mix_str(h, t->wait.object), t->wait.syscall_name);
}

static bool is_lock(tl_wait_kind k)
{
    return k == TL_WAIT_MUTEX || k == TL_WAIT_PI_MUTEX || k == TL_WAIT_RWLOCK || k == TL_WAIT_JOIN ||
           k == TL_WAIT_SEMAPHORE;
}

static int cmp_track(const void *a, const void *b)
{
    const track *x = a, *y = b;
    if (x->pid != y->pid)
        return (x->pid > y->pid) - (x->pid < y->pid);
    if (x->tid != y->tid)
        return (x->tid > y->tid) - (x->tid < y->tid);
    return (x->start_time_ms > y->start_time_ms) - (x->start_time_ms < y->start_time_ms);
}

static track *find_track(track *tracks, size_t n, int pid, const tl_thread *t)
{
    track key = {.pid = pid, .tid = t->tid, .start_time_ms = t->start_time_ms};
    return n ? bsearch(&key, tracks, n, sizeof key, cmp_track) : NULL;
}

static uint64_t cpu_of(const tl_thread *t)
{
    return t->cpu_user_ms + t->cpu_system_ms;
}

/* Thread t seen in sample k: its track carried on from old (NULL: first seen). */
static void track_step(track *nt, const track *old, int pid, const tl_thread *t, unsigned k, int64_t now,
                       int64_t gap_ms)
{
    uint64_t ss = stack_sig(t), ws = wait_sig(t);
    if (!old) {
        *nt = (track){.pid = pid, .tid = t->tid, .start_time_ms = t->start_time_ms, .first = k,
                      .first_cpu = cpu_of(t), .stack_sig = ss, .wait_sig = ws, .stack_same_all = true,
                      .wait_same_all = true, .busy_all = true, .run_since_ms = now};
    } else {
        *nt = *old;
        /* on CPU for a twentieth of the gap at least (a loaded machine shares a spinning
         * thread's CPU; ticks are 10 ms), or running at both ends */
        bool ran = (cpu_of(t) - old->last_cpu) * 20 >= (uint64_t)(gap_ms > 0 ? gap_ms : 1) ||
                   (t->state == 'R' && old->state == 'R');
        nt->busy_all = nt->busy_all && ran;
        bool same = ss == old->stack_sig && ws == old->wait_sig;
        nt->stack_same_all = nt->stack_same_all && ss == old->stack_sig;
        nt->wait_same_all = nt->wait_same_all && ws == old->wait_sig;
        if (!same) {
            nt->same_run = 0;
            nt->run_since_ms = now;
        }
        nt->stack_sig = ss, nt->wait_sig = ws;
    }
    nt->last = k;
    nt->seen++;
    nt->same_run++;
    nt->last_cpu = cpu_of(t);
    nt->state = t->state;
    nt->lock_wait = is_lock(t->wait.kind);
    nt->never_running = (old ? old->never_running : true) && t->state != 'R';
}

/* The process entry of the ended list for pid (added when missing); NULL when out of memory. */
static tl_process *ended_proc(tl_history_set *h, const tl_process *p)
{
    for (size_t i = 0; i < h->nended; i++)
        if (h->ended[i].pid == p->pid)
            return &h->ended[i];
    tl_process *e = realloc(h->ended, (h->nended + 1) * sizeof *e);
    if (!e)
        return NULL;
    h->ended = e;
    e = &h->ended[h->nended++];
    memset(e, 0, sizeof *e);
    e->pid = p->pid;
    return e;
}

/* Threads of the previous sample absent from s move to the ended list, as last seen. */
static bool keep_ended(tl_history_set *h, const track *next, size_t nnext)
{
    for (size_t i = 0; h->prev && i < h->prev->nprocs; i++) {
        tl_process *p = &h->prev->procs[i];
        for (size_t j = 0; j < p->nthreads; j++) {
            if (find_track((track *)next, nnext, p->pid, &p->threads[j]))
                continue;
            tl_process *e = ended_proc(h, p);
            tl_thread *grown = e ? realloc(e->threads, (e->nthreads + 1) * sizeof *grown) : NULL;
            if (!grown)
                return false;
            e->threads = grown;
            e->threads[e->nthreads++] = p->threads[j];
            memset(&p->threads[j], 0, sizeof p->threads[j]);   /* stolen: freed with the list */
            p->threads[j].wait.fd = -1;
        }
    }
    return true;
}

tl_status history_add(tl_history_set *h, tl_snapshot *s, tl_error *err)
{
    size_t total = model_thread_count(s), n = 0;
    track *next = calloc(total ? total : 1, sizeof *next);
    if (!next) {
        snapshot_free(s);
        return tl_error_set(err, TL_ENOMEM, "out of memory following %zu threads", total);
    }
    int64_t gap = h->samples ? s->taken_unix_ms - h->last_ms : 0;
    for (size_t i = 0; i < s->nprocs; i++)
        for (size_t j = 0; j < s->procs[i].nthreads; j++) {
            const tl_thread *t = &s->procs[i].threads[j];
            track_step(&next[n++], find_track(h->tracks, h->n, s->procs[i].pid, t), s->procs[i].pid, t, h->samples,
                       s->taken_unix_ms, gap);
        }
    qsort(next, n, sizeof *next, cmp_track);
    if (!keep_ended(h, next, n)) {
        free(next);
        snapshot_free(s);
        return tl_error_set(err, TL_ENOMEM, "out of memory keeping the threads that ended");
    }
    /* tracks of ended threads stay: their verdict is read at the end */
    track *merged = realloc(next, (n + h->n) * sizeof *merged);
    if (!merged) {
        free(next);
        snapshot_free(s);
        return tl_error_set(err, TL_ENOMEM, "out of memory following %zu threads", total);
    }
    size_t m = n;
    for (size_t i = 0; i < h->n; i++)
        if (!bsearch(&h->tracks[i], merged, n, sizeof *merged, cmp_track))
            merged[m++] = h->tracks[i];
    qsort(merged, m, sizeof *merged, cmp_track);
    free(h->tracks);
    h->tracks = merged;
    h->n = m;
    if (!h->samples)
        h->first_ms = s->taken_unix_ms;
    h->last_ms = s->taken_unix_ms;
    h->samples++;
    snapshot_free(h->prev);
    h->prev = s;
    return TL_OK;
}

static void set_history(const tl_history_set *h, const track *tr, tl_history *out)
{
    tl_verdict v;
    if (tr->last + 1 < h->samples)
        v = TL_VERDICT_ENDED;
    else if (tr->first > 0)
        v = TL_VERDICT_NEW;
    else if (tr->busy_all && tr->seen >= 2)
        v = TL_VERDICT_BUSY;
    else if (tr->wait_same_all && tr->lock_wait)
        v = TL_VERDICT_BLOCKED;
    else if (tr->wait_same_all && tr->stack_same_all && tr->never_running)
        v = TL_VERDICT_IDLE;
    else
        v = TL_VERDICT_CHANGING;
    *out = (tl_history){.verdict = v, .samples = tr->seen, .same_stack = tr->same_run,
                        .cpu_ms_delta = tr->last_cpu - tr->first_cpu,
                        .since_ms = (uint64_t)((tr->last == h->samples - 1 ? h->last_ms : tr->run_since_ms) -
                                               tr->run_since_ms)};
}

static void mark_threads(tl_history_set *h, tl_process *p)
{
    for (size_t j = 0; j < p->nthreads; j++) {
        const track *tr = find_track(h->tracks, h->n, p->pid, &p->threads[j]);
        if (tr)
            set_history(h, tr, &p->threads[j].history);
    }
}

/* The ended threads go at the end of their process (a process that ended as a whole is not
 * brought back: the notes of the sample that missed it say so). */
static bool append_ended(tl_history_set *h, tl_snapshot *s)
{
    for (size_t i = 0; i < h->nended; i++) {
        tl_process *e = &h->ended[i], *p = (tl_process *)model_find_process(s, e->pid);
        if (!p)
            continue;
        mark_threads(h, e);
        tl_thread *grown = realloc(p->threads, (p->nthreads + e->nthreads) * sizeof *grown);
        if (!grown)
            return false;
        p->threads = grown;
        memcpy(&p->threads[p->nthreads], e->threads, e->nthreads * sizeof *grown);
        p->nthreads += e->nthreads;
        free(e->threads);
        e->threads = NULL;
        e->nthreads = 0;
    }
    return true;
}

tl_status history_finish(tl_history_set *h, uint64_t interval_ms, size_t stops_saved, tl_snapshot **out,
                         tl_error *err)
{
    *out = NULL;
    if (!h->prev) {
        history_free(h);
        return tl_error_set(err, TL_EINVAL, "no sample was taken");
    }
    tl_snapshot *s = h->prev;
    for (size_t i = 0; i < s->nprocs; i++)
        mark_threads(h, &s->procs[i]);
    if (!append_ended(h, s)) {
        history_free(h);
        return tl_error_set(err, TL_ENOMEM, "out of memory keeping the threads that ended");
    }
    s->window = (tl_window){.samples = h->samples, .interval_ms = interval_ms, .first_unix_ms = h->first_ms,
                            .last_unix_ms = h->last_ms, .stops_saved = stops_saved};
    h->prev = NULL;
    history_free(h);
    tl_status st = history_chains(s, err);
    if (st != TL_OK) {
        snapshot_free(s);
        return st;
    }
    *out = s;
    return TL_OK;
}

tl_status history_pair(const tl_snapshot *before, tl_snapshot *now, tl_error *err)
{
    size_t nb = model_thread_count(before), k = 0;
    track *tb = calloc(nb ? nb : 1, sizeof *tb);
    if (!tb)
        return tl_error_set(err, TL_ENOMEM, "out of memory following %zu threads", nb);
    for (size_t i = 0; i < before->nprocs; i++)
        for (size_t j = 0; j < before->procs[i].nthreads; j++)
            track_step(&tb[k++], NULL, before->procs[i].pid, &before->procs[i].threads[j], 0, before->taken_unix_ms, 0);
    qsort(tb, k, sizeof *tb, cmp_track);
    tl_history_set h = {.samples = 2, .first_ms = before->taken_unix_ms, .last_ms = now->taken_unix_ms};
    for (size_t i = 0; i < now->nprocs; i++)
        for (size_t j = 0; j < now->procs[i].nthreads; j++) {
            tl_thread *t = &now->procs[i].threads[j];
            track tr;
            track_step(&tr, find_track(tb, k, now->procs[i].pid, t), now->procs[i].pid, t, 1, now->taken_unix_ms,
                       now->taken_unix_ms - before->taken_unix_ms);
            set_history(&h, &tr, &t->history);
        }
    free(tb);
    return TL_OK;
}
