/* The OpenMetrics text of a snapshot (threadlens metrics). Families are written whole, one
 * after the other (the format forbids interleaving them); label values the target wrote (process
 * and thread names) are escaped for a terminal first (controls and invalid UTF-8 as \xNN text,
 * the same text a dump shows), then for the label syntax (backslash and double quote). */
#include "threadlens/metrics.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "threadlens/escape.h"

/* States whose count is written even when zero: stable series for queries and alerts. */
static const char ALWAYS_STATES[] = "RSDTtZI";
/* Every state letter the kernel shows; any other counts as "unknown". */
static const char ALL_STATES[] = "RSDTtZIXPWK";

static void family(FILE *out, const char *name, const char *help)
{
    fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* Writes s as the inside of a label value. */
static void label_value(FILE *out, const char *s)
{
    char *safe = escape_terminal_dup(s);
    for (const char *p = safe ? safe : "?"; *p; p++) {
        if (*p == '\\' || *p == '"')
            fputc('\\', out);
        fputc(*p, out);
    }
    free(safe);
}

static void process_labels(FILE *out, const tl_process *p)
{
    fprintf(out, "pid=\"%d\",name=\"", p->pid);
    label_value(out, p->name);
    fputc('"', out);
}

static void thread_labels(FILE *out, const tl_process *p, const tl_thread *t)
{
    fprintf(out, "pid=\"%d\",tid=\"%d\",name=\"", p->pid, t->tid);
    label_value(out, t->name);
    fputc('"', out);
}

static void write_targets(FILE *out, const tl_metrics_options *o)
{
    family(out, "threadlens_target_up",
           "1 when the process given on the command line was read, 0 when it is gone.");
    for (size_t i = 0; i < o->ntargets; i++)
        fprintf(out, "threadlens_target_up{pid=\"%d\"} %d\n", o->targets[i].pid, o->targets[i].up ? 1 : 0);
}

static size_t count_state(const tl_process *p, char state)
{
    size_t n = 0;
    for (size_t i = 0; i < p->nthreads; i++) {
        char s = p->threads[i].state;
        bool known = s && strchr(ALL_STATES, s);
        n += state ? s == state : !known;
    }
    return n;
}

static void write_state_count(FILE *out, const tl_process *p, char state, bool always)
{
    size_t n = count_state(p, state);
    if (!n && !always)
        return;
    fputs("threadlens_threads{", out);
    process_labels(out, p);
    fprintf(out, ",state=\"%s\"} %zu\n", state ? model_state_word(state) : "unknown", n);
}

static void write_threads_by_state(FILE *out, const tl_snapshot *s)
{
    family(out, "threadlens_threads", "Threads of the process in each scheduler state.");
    for (size_t i = 0; i < s->nprocs; i++) {
        for (const char *st = ALL_STATES; *st; st++)
            write_state_count(out, &s->procs[i], *st, strchr(ALWAYS_STATES, *st) != NULL);
        write_state_count(out, &s->procs[i], 0, false);
    }
}

static void write_lock_waiters(FILE *out, const tl_snapshot *s)
{
    family(out, "threadlens_lock_waiters", "Threads of the process waiting on a mutex or rwlock.");
    for (size_t i = 0; i < s->nprocs; i++) {
        const tl_process *p = &s->procs[i];
        size_t n = 0;
        for (size_t j = 0; j < p->nthreads; j++)
            n += metrics_waits_on_lock(&p->threads[j]);
        fputs("threadlens_lock_waiters{", out);
        process_labels(out, p);
        fprintf(out, "} %zu\n", n);
    }
}

/* The earlier snapshot's threads by TID, for one lookup per thread of the later one. */
typedef struct tid_ref {
    int tid;
    const tl_thread *t;
} tid_ref;

static int cmp_tid(const void *a, const void *b)
{
    const tid_ref *x = a, *y = b;
    return (x->tid > y->tid) - (x->tid < y->tid);
}

static tid_ref *index_threads(const tl_snapshot *s, size_t *n)
{
    *n = model_thread_count(s);
    tid_ref *idx = malloc((*n ? *n : 1) * sizeof *idx);
    if (!idx)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < s->nprocs; i++)
        for (size_t j = 0; j < s->procs[i].nthreads && k < *n; j++)
            idx[k++] = (tid_ref){s->procs[i].threads[j].tid, &s->procs[i].threads[j]};
    *n = k;
    qsort(idx, k, sizeof *idx, cmp_tid);
    return idx;
}

static const tl_thread *thread_in(const tid_ref *idx, size_t n, int tid)
{
    tid_ref key = {.tid = tid};
    const tid_ref *r = n ? bsearch(&key, idx, n, sizeof key, cmp_tid) : NULL;
    return r ? r->t : NULL;
}

static bool write_blocked(FILE *out, const tl_snapshot *before, const tl_snapshot *now,
                          const tl_metrics_options *o)
{
    size_t nidx;
    tid_ref *idx = index_threads(before, &nidx);
    if (!idx)
        return false;
    family(out, "threadlens_window_seconds", "Length of the window the blocked-thread count looks at.");
    fprintf(out, "threadlens_window_seconds %.3f\n", o->window_seconds);
    family(out, "threadlens_blocked_threads",
           "Threads of the process that stayed blocked (never scheduled) for the whole window.");
    for (size_t i = 0; i < now->nprocs; i++) {
        const tl_process *p = &now->procs[i];
        size_t n = 0;
        for (size_t j = 0; j < p->nthreads; j++)
            n += metrics_stayed_blocked(thread_in(idx, nidx, p->threads[j].tid), &p->threads[j]);
        fputs("threadlens_blocked_threads{", out);
        process_labels(out, p);
        fprintf(out, "} %zu\n", n);
    }
    free(idx);
    return true;
}

static void write_deadlock(FILE *out, const tl_snapshot *s)
{
    family(out, "threadlens_deadlock", "1 when a deadlock (a wait-for cycle) was found in the tree.");
    fprintf(out, "threadlens_deadlock %d\n", s->ndeadlocks > 0);
    family(out, "threadlens_processes", "Processes in the tree (the given ones and their descendants).");
    fprintf(out, "threadlens_processes %zu\n", s->nprocs);
}

static void write_ms_as_seconds(FILE *out, uint64_t ms)
{
    fprintf(out, "%" PRIu64 ".%03u\n", ms / 1000, (unsigned)(ms % 1000));
}

static void write_per_thread_cpu(FILE *out, const tl_snapshot *s)
{
    family(out, "threadlens_thread_cpu_seconds",
           "CPU time of the thread, by mode (a gauge: it starts again when a TID is reused).");
    for (size_t i = 0; i < s->nprocs; i++)
        for (size_t j = 0; j < s->procs[i].nthreads; j++) {
            const tl_thread *t = &s->procs[i].threads[j];
            for (int mode = 0; mode < 2; mode++) {
                fputs("threadlens_thread_cpu_seconds{", out);
                thread_labels(out, &s->procs[i], t);
                fprintf(out, ",mode=\"%s\"} ", mode ? "system" : "user");
                write_ms_as_seconds(out, mode ? t->cpu_system_ms : t->cpu_user_ms);
            }
        }
}

static void write_per_thread_switches(FILE *out, const tl_snapshot *s)
{
    family(out, "threadlens_thread_context_switches", "Context switches of the thread, by kind.");
    for (size_t i = 0; i < s->nprocs; i++)
        for (size_t j = 0; j < s->procs[i].nthreads; j++) {
            const tl_thread *t = &s->procs[i].threads[j];
            for (int k = 0; k < 2; k++) {
                fputs("threadlens_thread_context_switches{", out);
                thread_labels(out, &s->procs[i], t);
                fprintf(out, ",kind=\"%s\"} %" PRIu64 "\n", k ? "involuntary" : "voluntary",
                        k ? t->nonvoluntary_ctxt_switches : t->voluntary_ctxt_switches);
            }
        }
}

static void write_per_thread_state(FILE *out, const tl_snapshot *s)
{
    family(out, "threadlens_thread_state", "1 for the thread's current scheduler state.");
    for (size_t i = 0; i < s->nprocs; i++)
        for (size_t j = 0; j < s->procs[i].nthreads; j++) {
            const tl_thread *t = &s->procs[i].threads[j];
            fputs("threadlens_thread_state{", out);
            thread_labels(out, &s->procs[i], t);
            fprintf(out, ",state=\"%s\"} 1\n", model_state_word(t->state));
        }
}

/* Its verdict over the window (history_pair: blocked, busy, idle, changing, new), the same words
 * as dump --count gives. */
static void write_per_thread_verdict(FILE *out, const tl_snapshot *s)
{
    family(out, "threadlens_thread_verdict",
           "1 for the thread's verdict over the window: blocked, busy, idle, changing or new.");
    for (size_t i = 0; i < s->nprocs; i++)
        for (size_t j = 0; j < s->procs[i].nthreads; j++) {
            const tl_thread *t = &s->procs[i].threads[j];
            const char *v = model_verdict_name(t->history.verdict);
            if (!v)
                continue;
            fputs("threadlens_thread_verdict{", out);
            thread_labels(out, &s->procs[i], t);
            fprintf(out, ",verdict=\"%s\"} 1\n", v);
        }
}

tl_status format_openmetrics(FILE *out, const tl_snapshot *before, const tl_snapshot *now,
                             const tl_metrics_options *o, tl_error *err)
{
    write_targets(out, o);
    if (now) {
        write_deadlock(out, now);
        write_threads_by_state(out, now);
        write_lock_waiters(out, now);
        if (before && !write_blocked(out, before, now, o))
            return tl_error_set(err, TL_ENOMEM, "out of memory writing the metrics");
        if (o->per_thread) {
            write_per_thread_cpu(out, now);
            write_per_thread_switches(out, now);
            write_per_thread_state(out, now);
            if (before)
                write_per_thread_verdict(out, now);
        }
    }
    fputs("# EOF\n", out);
    if (fflush(out) != 0 || ferror(out))
        return tl_error_set(err, TL_EIO, "cannot write the metrics: %s", strerror(errno));
    return TL_OK;
}
