/* What each thread waits on, and the deadlock report, shaped like jstack's. */
#include <inttypes.h>

#include "text_parts.h"
#include "threadlens/escape.h"

void text_wait(FILE *out, const tl_thread *t)
{
    if (t->wait.kind == TL_WAIT_NONE || !t->wait.description)
        return;
    static const char *const ends[] = {
        [TL_END_TIMEOUT] = ", timed",
        [TL_END_SIGNAL] = ", a signal handler can end it",
        [TL_END_ANOTHER_HOLDER] = ", another process also holds the other end",
    };
    fputs("   waiting on: ", out);
    escape_fputs(t->wait.description, out);
    if ((unsigned)t->wait.can_end_by < sizeof ends / sizeof ends[0] && ends[t->wait.can_end_by])
        fputs(ends[t->wait.can_end_by], out);
    fputc('\n', out);
}

/* "name" tid=N (process P "comm") */
static void thread_title(FILE *out, const tl_snapshot *s, int tid)
{
    const tl_process *p = NULL;
    const tl_thread *t = model_find_thread(s, tid, &p);
    fputc('"', out);
    escape_fputs(t ? t->name : "?", out);
    fprintf(out, "\" tid=%d", tid);
    if (p) {
        fprintf(out, " (process %d \"", p->pid);
        escape_fputs(p->name, out);
        fputs("\")", out);
    }
}

/* What the waiter of edge e waits on: its own wait when that names the edge's holder; else
 * (an edge another analysis added, e.g. a JVM's) the edge, with the native wait for context. */
static void edge_wait(FILE *out, const tl_thread *t, const tl_wait_edge *e)
{
    if (t && t->wait.description && t->wait.owner_tid == e->holder_tid) {
        escape_fputs(t->wait.description, out);
        return;
    }
    fputs(model_wait_kind_name(e->kind), out);
    if (e->address)
        fprintf(out, " 0x%" PRIx64, e->address);
    if (t && t->wait.description) {
        fputs(" (natively: ", out);
        escape_fputs(t->wait.description, out);
        fputc(')', out);
    }
}

static void deadlock_edges(FILE *out, const tl_snapshot *s, const tl_deadlock *d)
{
    for (size_t i = 0; i < d->nedges; i++) {
        const tl_wait_edge *e = &d->edges[i];
        thread_title(out, s, e->waiter_tid);
        fputs(":\n  waiting on ", out);
        edge_wait(out, model_find_thread(s, e->waiter_tid, NULL), e);
        fputs(",\n  which is held by ", out);
        thread_title(out, s, e->holder_tid);
        fputc('\n', out);
    }
}

static void deadlock_stacks(FILE *out, const tl_snapshot *s, const tl_deadlock *d)
{
    fputs("\nNative stack information for the threads listed above:\n"
          "======================================================\n", out);
    for (size_t i = 0; i < d->ntids; i++) {
        const tl_thread *t = model_find_thread(s, d->tids[i], NULL);
        thread_title(out, s, d->tids[i]);
        fputs(":\n", out);
        if (!t)
            continue;
        if (!s->stacks_taken)
            fputs("   (no stacks: the dump was taken without them)\n", out);
        else
            text_frames(out, t);
    }
}

void text_deadlocks(FILE *out, const tl_snapshot *s)
{
    if (s->ndeadlocks == 0)
        return;
    for (size_t i = 0; i < s->ndeadlocks; i++) {
        /* jstack's wording: a cycle the JVM reported is a Java-level one */
        if (s->deadlocks[i].reported_by_jvm)
            fputs("\nFound one Java-level deadlock (reported by the JVM):\n"
                  "===================================================\n", out);
        else
            fputs("\nFound one native-level deadlock:\n"
                  "================================\n", out);
        deadlock_edges(out, s, &s->deadlocks[i]);
        deadlock_stacks(out, s, &s->deadlocks[i]);
    }
    fprintf(out, "\nFound %zu deadlock%s.\n", s->ndeadlocks, s->ndeadlocks == 1 ? "" : "s");
}
