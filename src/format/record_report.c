/* threadlens report: what a recording says, for people. Per thread a state strip (one
 * character per bucket of samples: the class seen most in it), the stacks that took the most
 * wall and CPU time, the objects waited on longest (waiter-seconds, owners), and the threads
 * that never ran and stayed on one stack for the whole recording. Names are escaped. */
#include "record.h"

#include <stdlib.h>
#include <string.h>

#include "threadlens/escape.h"

#define TOP_STACKS 5
#define TOP_WAITS 8
#define LEAF_FRAMES 6

typedef struct by_thread {
    size_t *order;                /* sample indices, grouped by thread, in time order */
    size_t *first;                /* thread t: order[first[t] .. first[t + 1]) */
} by_thread;

static bool group_by_thread(const recording *r, by_thread *b)
{
    b->order = malloc((r->nsamples ? r->nsamples : 1) * sizeof *b->order);
    b->first = calloc(r->nthreads + 2, sizeof *b->first);
    if (!b->order || !b->first)
        return false;
    for (size_t i = 0; i < r->nsamples; i++)
        b->first[r->samples[i].thread + 2]++;
    for (size_t t = 2; t < r->nthreads + 2; t++)
        b->first[t] += b->first[t - 1];
    for (size_t i = 0; i < r->nsamples; i++)
        b->order[b->first[r->samples[i].thread + 1]++] = i;
    return true;
}

static void put_name(const rec_thread *t, FILE *f)
{
    char name[64], proc[64];
    escape_terminal(t->name, name, sizeof name);
    escape_terminal(t->process, proc, sizeof proc);
    fprintf(f, "\"%s\" tid %d (%s %d)", name, t->tid, proc, t->pid);
}

static const char classes[] = "RSLID";

static void timeline(const recording *r, const by_thread *b, uint32_t t, unsigned width, FILE *f)
{
    char strip[1001];
    size_t per = (r->nticks + width - 1) / width;   /* ticks per character */
    size_t nchars = (r->nticks + per - 1) / per;
    unsigned count[1000][5];
    memset(count, 0, sizeof count);
    size_t total[5] = {0};
    for (size_t o = b->first[t]; o < b->first[t + 1]; o++) {
        const rec_sample *s = &r->samples[b->order[o]];
        int c = (int)(strchr(classes, record_state_class(r, s)) - classes);
        count[s->tick / per][c]++;
        total[c]++;
    }
    for (size_t i = 0; i < nchars; i++) {
        int best = -1;
        for (int c = 0; c < 5; c++)
            if (count[i][c] && (best < 0 || count[i][c] > count[i][best]))
                best = c;
        strip[i] = best < 0 ? '.' : classes[best];
    }
    strip[nchars] = '\0';
    size_t n = b->first[t + 1] - b->first[t];
    fprintf(f, "  %s  ", strip);
    put_name(&r->threads[t], f);
    for (int c = 0; c < 5; c++)
        if (total[c])
            fprintf(f, " %c %.0f%%", classes[c], 100.0 * (double)total[c] / (double)n);
    fputc('\n', f);
}

static void put_stack(const recording *r, uint32_t stack, FILE *f)
{
    const rec_stack *s = &r->stacks[stack];
    for (uint32_t k = 0; k < s->nframes && k < LEAF_FRAMES; k++) {
        char buf[160];
        escape_terminal(r->strings[s->frames[s->nframes - 1 - k]], buf, sizeof buf);
        fprintf(f, "%s%s", k ? " < " : "", buf);
    }
    if (s->nframes > LEAF_FRAMES)
        fputs(" < ...", f);
}

typedef struct ranked { uint32_t id; size_t n; } ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->n != y->n)
        return (x->n < y->n) - (x->n > y->n);
    return (x->id > y->id) - (x->id < y->id);
}

static void top_stacks(const recording *r, bool cpu, ranked *rk, FILE *f)
{
    for (size_t i = 0; i < r->nstacks; i++)
        rk[i] = (ranked){(uint32_t)i, 0};
    size_t all = 0;
    for (size_t i = 0; i < r->nsamples; i++)
        if (r->samples[i].stack != REC_NONE && (!cpu || r->samples[i].state == 'R')) {
            rk[r->samples[i].stack].n++;
            all++;
        }
    qsort(rk, r->nstacks, sizeof *rk, cmp_ranked);
    fprintf(f, "\nTop stacks by %s time (%.2f thread-seconds in all):\n", cpu ? "CPU" : "wall",
            (double)all / r->rate_hz);
    for (size_t i = 0; i < r->nstacks && i < TOP_STACKS && rk[i].n; i++) {
        fprintf(f, "  %5.1f%% %8.2f s  ", 100.0 * (double)rk[i].n / (double)all, (double)rk[i].n / r->rate_hz);
        put_stack(r, rk[i].id, f);
        fputc('\n', f);
    }
    if (!all)
        fputs("  (none)\n", f);
}

static const rec_thread *thread_by_tid(const recording *r, int tid)
{
    for (size_t i = r->nthreads; i-- > 0;)
        if (r->threads[i].tid == tid)
            return &r->threads[i];
    return NULL;
}

static bool is_lock_or_fd(tl_wait_kind k)
{
    return k == TL_WAIT_MUTEX || k == TL_WAIT_PI_MUTEX || k == TL_WAIT_RWLOCK || k == TL_WAIT_SEMAPHORE ||
           k == TL_WAIT_JOIN || k == TL_WAIT_FD;
}

/* by object (the same lock under different owners is one line) */
static void longest_waits(const recording *r, ranked *rk, FILE *f)
{
    for (size_t i = 0; i < r->nstrings; i++)
        rk[i] = (ranked){(uint32_t)i, 0};
    for (size_t i = 0; i < r->nsamples; i++) {
        const rec_sample *s = &r->samples[i];
        if (s->wait != REC_NONE && is_lock_or_fd(r->waits[s->wait].kind) && s->state != 'R')
            rk[r->waits[s->wait].object].n++;
    }
    qsort(rk, r->nstrings, sizeof *rk, cmp_ranked);
    fputs("\nWaited on longest (locks and fds; waiter-seconds):\n", f);
    if (!r->nstrings || !rk[0].n)
        fputs("  (none)\n", f);
    for (size_t i = 0; i < r->nstrings && i < TOP_WAITS && rk[i].n; i++) {
        char obj[200];
        escape_terminal(r->strings[rk[i].id], obj, sizeof obj);
        fprintf(f, "  %8.2f s  %s", (double)rk[i].n / r->rate_hz, obj);
        int shown = 0;
        for (size_t w = 0; w < r->nwaits && shown < 3; w++) {
            if (r->waits[w].object != rk[i].id || !r->waits[w].owner_tid)
                continue;
            const rec_thread *o = thread_by_tid(r, r->waits[w].owner_tid);
            fputs(shown++ ? ", " : "; held by ", f);
            if (o)
                put_name(o, f);
            else
                fprintf(f, "tid %d", r->waits[w].owner_tid);
        }
        fputc('\n', f);
    }
}

static void stuck_threads(const recording *r, const by_thread *b, FILE *f)
{
    fputs("\nStuck for the whole recording (never ran, one stack and one wait in every sample):\n", f);
    size_t n = 0;
    for (uint32_t t = 0; t < r->nthreads && r->nticks >= 2; t++) {
        size_t lo = b->first[t], hi = b->first[t + 1];
        if (hi - lo != r->nticks)
            continue;
        bool stuck = true;
        /* our first stop of a sleeping thread changes how /proc shows its call (an interrupted
         * sleep becomes restart_syscall), so its second sample may differ in wait and "ran" */
        const rec_sample *s0 = &r->samples[b->order[lo]], *s1 = &r->samples[b->order[lo + 1]];
        for (size_t o = lo; o < hi && stuck; o++) {
            const rec_sample *s = &r->samples[b->order[o]];
            stuck = s->state != 'R' && s->stack == s0->stack && (o <= lo + 1 || (!s->ran && s->wait == s1->wait));
        }
        s0 = s1;
        if (!stuck)
            continue;
        fputs("  ", f);
        put_name(&r->threads[t], f);
        fprintf(f, " %c", s0->state);
        if (s0->wait != REC_NONE) {
            char obj[200];
            escape_terminal(r->strings[r->waits[s0->wait].object], obj, sizeof obj);
            fprintf(f, " waiting on %s", obj);
        }
        if (s0->stack != REC_NONE) {
            fputs(": ", f);
            put_stack(r, s0->stack, f);
        }
        fputc('\n', f);
        n++;
    }
    if (!n)
        fputs("  (none)\n", f);
}

tl_status record_report(const recording *r, FILE *f, unsigned width, tl_error *err)
{
    if (width > 1000)
        width = 1000;
    by_thread b = {0};
    size_t nrank = r->nstacks > r->nstrings ? r->nstacks : r->nstrings;
    ranked *rk = malloc((nrank ? nrank : 1) * sizeof *rk);
    if (!rk || !group_by_thread(r, &b)) {
        free(rk);
        free(b.order);
        free(b.first);
        return tl_error_set(err, TL_ENOMEM, "out of memory for the report");
    }
    double seconds = r->nticks ? (double)r->ticks[r->nticks - 1].ms / 1000.0 + 1.0 / r->rate_hz : 0;
    fprintf(f, "Recording of %zu thread(s): %zu samples at %u Hz over %.1f s%s%s%s\n", r->nthreads, r->nticks,
            r->rate_hz, seconds, r->only_cpu ? " (on-CPU samples only)" : "", r->ended_by[0] ? ", ended by " : "",
            r->ended_by);
    if (r->nticks) {
        size_t per = (r->nticks + width - 1) / width;
        fprintf(f, "\nState timelines (one character per %.2f s: R running, S sleeping, L waiting on a lock, "
                "I waiting on I/O, D uninterruptible, . absent):\n", (double)per / r->rate_hz);
        for (uint32_t t = 0; t < r->nthreads; t++)
            timeline(r, &b, t, width, f);
    }
    top_stacks(r, false, rk, f);
    top_stacks(r, true, rk, f);
    longest_waits(r, rk, f);
    stuck_threads(r, &b, f);
    free(rk);
    free(b.order);
    free(b.first);
    if (fflush(f) || ferror(f))
        return tl_error_set(err, TL_EIO, "writing the report failed");
    return TL_OK;
}
