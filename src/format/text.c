/* The text dump, shaped like jstack's: a header, then per process a header and per thread a
 * quoted name line with its counters, what it waits on, and its frames. */
#include <inttypes.h>
#include <time.h>

#include "text_parts.h"
#include "threadlens/escape.h"

static void text_header(FILE *out, const tl_snapshot *s)
{
    time_t secs = (time_t)(s->taken_unix_ms / 1000);
    struct tm tm;
    char when[64];
    gmtime_r(&secs, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    fprintf(out, "threadlens %s thread dump %s: %zu process%s, %zu thread%s%s\n", threadlens_version(),
            when, s->nprocs, s->nprocs == 1 ? "" : "es", model_thread_count(s),
            model_thread_count(s) == 1 ? "" : "s", s->stacks_taken ? "" : " (no stacks)");
    for (size_t i = 0; i < s->nnotes; i++) {
        fputs("note: ", out);
        escape_fputs(s->notes[i], out);
        fputc('\n', out);
    }
}

static double elapsed_s(const tl_snapshot *s, uint64_t start_ms)
{
    return s->uptime_ms > start_ms ? (double)(s->uptime_ms - start_ms) / 1000.0 : 0.0;
}

static void text_process(FILE *out, const tl_snapshot *s, const tl_process *p)
{
    fprintf(out, "\nProcess %d", p->pid);
    if (p->ns_pid > 0 && p->ns_pid != p->pid)   /* in a container: the PID it knows itself by */
        fprintf(out, " (%d in its namespace)", p->ns_pid);
    fputs(" \"", out);
    escape_fputs(p->name, out);
    fprintf(out, "\" ppid=%d user=", p->ppid);
    escape_fputs(p->user, out);
    fprintf(out, " state=%c (%s) threads=%zu rss=%" PRIu64 "KiB elapsed=%.2fs%s%s\n", p->state,
            model_state_word(p->state), p->nthreads, p->rss_kib, elapsed_s(s, p->start_time_ms),
            p->kernel_thread ? " kernel-thread" : "", p->zombie ? " zombie" : "");
    if (p->tracer_pid)
        fprintf(out, "  traced by PID %d\n", p->tracer_pid);
    if (p->cmdline) {
        fputs("  cmdline: ", out);
        escape_fputs(p->cmdline, out);
        fputc('\n', out);
    }
    if (p->error) {
        fputs("  incomplete: ", out);
        escape_fputs(p->error, out);
        fputc('\n', out);
    }
}

static void text_syscall(FILE *out, const tl_thread *t)
{
    const tl_syscall *sc = &t->syscall;
    if (t->wchan) {
        fputs("   wchan: ", out);
        escape_fputs(t->wchan, out);
    }
    if (sc->valid && !sc->running && sc->nr >= 0) {
        fprintf(out, "%ssyscall: %s(", t->wchan ? "  " : "   ", sc->name[0] ? sc->name : "?");
        for (int i = 0; i < 6; i++)
            fprintf(out, "%s0x%" PRIx64, i ? ", " : "", sc->args[i]);
        fprintf(out, ") nr=%ld", sc->nr);
    }
    if (t->wchan || (sc->valid && !sc->running && sc->nr >= 0))
        fputc('\n', out);
}

static void text_thread(FILE *out, const tl_snapshot *s, const tl_thread *t, size_t index, const tl_format_options *o)
{
    fputs("\"", out);
    escape_fputs(t->name, out);
    fprintf(out,
            "\" #%zu tid=%d state=%c (%s) cpu=%" PRIu64 "ms user=%" PRIu64 "ms sys=%" PRIu64
            "ms elapsed=%.2fs ctxsw=%" PRIu64 "/%" PRIu64 " faults=%" PRIu64 "/%" PRIu64
            " cpu#=%d prio=%d nice=%d policy=%s%s\n",
            index + 1, t->tid, t->state, model_state_word(t->state), t->cpu_user_ms + t->cpu_system_ms,
            t->cpu_user_ms, t->cpu_system_ms, elapsed_s(s, t->start_time_ms),
            t->voluntary_ctxt_switches, t->nonvoluntary_ctxt_switches, t->minor_faults,
            t->major_faults, t->last_cpu, t->priority, t->nice, model_policy_name(t->policy),
            t->in_deadlock ? " DEADLOCKED" : "");
    text_verdict_line(out, s, t);
    text_syscall(out, t);
    text_private(out, t);
    text_wait(out, t);
    size_t lo, hi, helpers;
    bool mixed = o && o->mixed && text_mixed_run(t, &lo, &hi, &helpers);
    text_java_thread_part(out, t, !mixed);
    if (mixed)
        text_frames_mixed(out, t);
    else
        text_frames(out, t);
    fputc('\n', out);
}

/* --group: the groups of two threads or more, then each thread alone in a group or in none
 * (its stack failed) as without --group. */
static void text_grouped(FILE *out, const tl_snapshot *s, const tl_groups *g, size_t proc,
                         const tl_format_options *o)
{
    const tl_process *p = &s->procs[proc];
    const tl_process_groups *pg = &g->procs[proc];
    for (size_t k = 0; k < pg->ngroups; k++)
        if (pg->groups[k].count >= 2)
            text_group_block(out, s, g, &pg->groups[k]);
    for (size_t k = 0; k < pg->ngroups; k++)
        if (pg->groups[k].count == 1)
            text_thread(out, s, &p->threads[pg->groups[k].threads[0]], pg->groups[k].threads[0], o);
    for (size_t j = 0; j < p->nthreads; j++)
        if (pg->group_of[j] == 0)
            text_thread(out, s, &p->threads[j], j, o);
}

static tl_status text_body(FILE *out, const tl_snapshot *s, const tl_format_options *o, tl_error *err)
{
    bool summary = !(o && o->no_summary), grouped = o && o->group;
    tl_groups *g = NULL;
    tl_summary sum;
    if ((summary || grouped) && groups_build(s, &g, err) != TL_OK)
        return err ? err->code : TL_ENOMEM;
    if (summary && summary_build(s, g, &sum, err) != TL_OK) {
        groups_free(g);
        return err ? err->code : TL_ENOMEM;
    }
    if (summary) {
        text_summary(out, s, g, &sum);
        text_verdicts(out, s);
    }
    for (size_t i = 0; i < s->nprocs; i++) {
        const tl_process *p = &s->procs[i];
        text_process(out, s, p);
        text_shared(out, p);
        text_java_process(out, p);
        fputc('\n', out);
        if (grouped)
            text_grouped(out, s, g, i, o);
        else
            for (size_t j = 0; j < p->nthreads; j++)
                text_thread(out, s, &p->threads[j], j, o);
    }
    groups_free(g);
    return TL_OK;
}

tl_status format_text(FILE *out, const tl_snapshot *s, const tl_format_options *o, tl_error *err)
{
    text_header(out, s);
    tl_status st = text_body(out, s, o, err);
    if (st != TL_OK)
        return st;
    text_deadlocks(out, s);
    if (o && o->stats)
        text_stats(out, s);
    if (fflush(out) != 0 || ferror(out))
        return tl_error_set(err, TL_EIO, "could not write the dump (disk full or closed pipe?)");
    return TL_OK;
}
