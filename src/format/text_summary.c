/* The triage summary at the top of a text dump: at most ~25 lines whatever the thread count
 * (1 + 1 + 2 per group + 1 + up to 2 per object + 1). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "text_parts.h"
#include "threadlens/escape.h"
#include "threadlens/java.h"

#define NAMES_BUDGET 60
#define FRAME_CHARS 40

static void summary_states(FILE *out, const tl_summary *sum, const tl_snapshot *s)
{
    fprintf(out, "Summary: %zu thread%s in %zu process%s; states: ", sum->nthreads, sum->nthreads == 1 ? "" : "s",
            s->nprocs, s->nprocs == 1 ? "" : "es");
    static const char fixed[] = "RSDTZ";
    for (const char *c = fixed; *c; c++)
        fprintf(out, "%s%c %zu", c == fixed ? "" : "  ", *c, sum->states[(unsigned char)*c]);
    for (int c = 1; c < 128; c++)
        if (sum->states[c] && !strchr(fixed, c))
            fprintf(out, "  %c %zu", c > ' ' && c < 127 ? c : '?', sum->states[c]);
    fprintf(out, "; %zu used CPU since they started\n", sum->cpu_used);
}

/* "S 200 D 12" over a group's threads. */
void text_group_states(FILE *out, const tl_snapshot *s, const tl_stack_group *grp)
{
    size_t counts[128] = {0};
    const tl_process *p = &s->procs[grp->proc];
    for (size_t i = 0; i < grp->count; i++)
        counts[(unsigned char)p->threads[grp->threads[i]].state & 127]++;
    bool first = true;
    for (int c = 1; c < 128; c++) {
        if (!counts[c])
            continue;
        fprintf(out, "%s%c %zu", first ? "" : " ", c >= ' ' && c < 127 ? c : '?', counts[c]);
        first = false;
    }
}

/* One frame's name, cut to FRAME_CHARS. */
static void short_name(FILE *out, const char *name)
{
    char buf[FRAME_CHARS * 4 + 8];
    escape_terminal(name, buf, sizeof buf);
    if (strlen(name) > FRAME_CHARS) {
        escape_terminal(name, buf, FRAME_CHARS);
        strcat(buf, "...");
    }
    fputs(buf, out);
}

/* The top frames of the shared stack: the Java ones first for a JVM thread. */
static void top_frames(FILE *out, const tl_thread *t)
{
    size_t shown = 0;
    for (size_t i = 0; t->java && i < t->java->nframes && shown < 4; i++, shown++) {
        fputs(shown ? " < " : "", out);
        short_name(out, t->java->frames[i].method);
    }
    for (size_t i = 0; i < t->nframes && shown < 4; i++, shown++) {
        fputs(shown ? " < " : "", out);
        if (t->frames[i].function)
            short_name(out, t->frames[i].function);
        else
            fprintf(out, "0x%" PRIx64, t->frames[i].pc);
    }
    if (shown == 0)
        fputs("(no stack)", out);
}

/* "mutex ... (30), condition ... (2)": the group's distinct waits, at most `max`. */
void text_group_waits(FILE *out, const tl_snapshot *s, const tl_stack_group *grp, size_t max, const char *unit)
{
    tl_group_wait w[8];
    size_t n = groups_waits(s, grp, w, max < 8 ? max : 8);
    if (n == 0) {
        fputs("no wait known", out);
        return;
    }
    for (size_t i = 0; i < n && i < max; i++) {
        fputs(i ? ", " : "", out);
        escape_fputs(w[i].wait->description, out);
        fprintf(out, " (%zu%s)", w[i].count, i > 0 || !unit[0] ? "" : w[i].count == 1 ? " thread" : unit);
    }
    if (n > max)
        fprintf(out, ", +%zu other waits", n - max);
}

/* A JVM group's Java states ("BLOCKED (on object monitor) (19)"), at most max; false when
 * its first thread has no Java state (a native group). */
bool text_group_java_states(FILE *out, const tl_snapshot *s, const tl_stack_group *grp, size_t max)
{
    const tl_process *p = &s->procs[grp->proc];
    const tl_thread *lead = &p->threads[grp->threads[0]];
    if (!lead->java || !lead->java->state)
        return false;
    const char *states[8];
    size_t counts[8] = {0}, n = 0, other = 0;
    for (size_t i = 0; i < grp->count; i++) {
        const tl_java_thread *jt = p->threads[grp->threads[i]].java;
        const char *st = jt && jt->state ? jt->state : "no Java state";
        size_t k = 0;
        while (k < n && strcmp(states[k], st) != 0)
            k++;
        if (k == n && n == 8) {
            other++;
            continue;
        }
        if (k == n)
            states[n++] = st;
        counts[k]++;
    }
    for (size_t i = 0; i < n && i < max; i++) {
        fputs(i ? ", " : "", out);
        escape_fputs(states[i], out);
        fprintf(out, " (%zu)", counts[i]);
    }
    if (n > max || other)
        fprintf(out, ", +%zu other states", n > max ? n - max + other : other);
    return true;
}

static void summary_group(FILE *out, const tl_snapshot *s, const tl_groups *g, const tl_stack_group *grp)
{
    const tl_process *p = &s->procs[grp->proc];
    char *names = groups_names(s, grp, NAMES_BUDGET, true);
    fprintf(out, "  %zu threads [", grp->count);
    text_group_states(out, s, grp);
    fputs("] ", out);
    escape_fputs(names ? names : "?", out);
    free(names);
    fprintf(out, " (process %d, group %d)\n      ", p->pid, grp->id);
    if (g->procs[grp->proc].by_state)
        fputs("no stacks", out);
    else
        top_frames(out, &p->threads[grp->threads[0]]);
    fputs("; ", out);
    if (!text_group_java_states(out, s, grp, 1)) {
        fputs("waiting on: ", out);
        text_group_waits(out, s, grp, 1, "");
    }
    fputc('\n', out);
}

static void summary_groups(FILE *out, const tl_snapshot *s, const tl_groups *g, const tl_summary *sum)
{
    fprintf(out, "Largest stack groups (%zu of 2 threads or more, %zu unique threads", sum->nshared_groups,
            sum->nunique);
    if (sum->nfailed)
        fprintf(out, ", %zu threads without a stack, in no group", sum->nfailed);
    if (sum->nby_state)
        fprintf(out, "; %zu process%s without stacks grouped by state and wait only", sum->nby_state,
                sum->nby_state == 1 ? "" : "es");
    fputs(sum->ntop ? "):\n" : "): no two threads share a stack\n", out);
    for (size_t i = 0; i < sum->ntop; i++)
        summary_group(out, s, g, sum->top[i]);
}

/* The part of a description before its holder ("mutex (normal) 0x..."). */
static void object_head(FILE *out, const tl_waited *w)
{
    if (w->object) {
        fprintf(out, "%s ", w->kind);
        escape_fputs(w->object, out);
        return;
    }
    if (!w->description) {
        fprintf(out, "%s 0x%" PRIx64, w->kind, w->address);
        return;
    }
    char *d = strdup(w->description);
    if (!d)
        return;
    static const char *const cuts[] = {" held by ", " owner unknown", " (no owner known)", " (memory not"};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        char *c = strstr(d, cuts[i]);
        if (c)
            *c = '\0';
    }
    escape_fputs(d, out);
    free(d);
}

static void summary_waited(FILE *out, const tl_waited *w)
{
    fputs("  ", out);
    object_head(out, w);
    fprintf(out, ": %zu waiter%s", w->waiters, w->waiters == 1 ? "" : "s");
    if (w->owner_tid) {
        fprintf(out, ", %s tid %d", w->object ? "other end held by" : "held by", w->owner_tid);
        if (w->owner) {
            fputs(" \"", out);
            escape_fputs(w->owner->name, out);
            fputc('"', out);
        }
    }
    fputc('\n', out);
    const tl_thread *o = w->owner;
    bool java = o && o->java && o->java->state;
    if (o && o->wait.kind != TL_WAIT_NONE && o->wait.description) {
        fputs("      which is itself waiting on ", out);
        escape_fputs(o->wait.description, out);
    } else if (java) {
        fputs("      which is itself", out);
    }
    if (java) {
        fputs(" (Java: ", out);
        escape_fputs(o->java->state, out);
        fputc(')', out);
    }
    if (java || (o && o->wait.kind != TL_WAIT_NONE && o->wait.description))
        fputc('\n', out);
}

void text_summary(FILE *out, const tl_snapshot *s, const tl_groups *g, const tl_summary *sum)
{
    fputc('\n', out);
    summary_states(out, sum, s);
    summary_groups(out, s, g, sum);
    fputs(sum->nwaited ? "Most waited on:\n" : "Most waited on: nothing two threads wait on\n", out);
    for (size_t i = 0; i < sum->nwaited; i++)
        summary_waited(out, &sum->waited[i]);
    if (sum->ndeadlocks)
        fprintf(out, "Deadlocks: %zu found (details at the end)\n", sum->ndeadlocks);
    else
        fputs("Deadlocks: none found\n", out);
}
