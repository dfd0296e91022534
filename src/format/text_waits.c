/* What each thread waits on, and the deadlock report, shaped like jstack's. */
#include <inttypes.h>

#include "text_parts.h"
#include "threadlens/escape.h"

void text_wait(FILE *out, const tl_thread *t)
{
    if (t->wait.kind == TL_WAIT_NONE || !t->wait.description)
        return;
    fputs("   waiting on: ", out);
    escape_fputs(t->wait.description, out);
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

static void deadlock_edges(FILE *out, const tl_snapshot *s, const tl_deadlock *d)
{
    for (size_t i = 0; i < d->nedges; i++) {
        const tl_wait_edge *e = &d->edges[i];
        const tl_thread *t = model_find_thread(s, e->waiter_tid, NULL);
        thread_title(out, s, e->waiter_tid);
        fputs(":\n  waiting on ", out);
        escape_fputs(t && t->wait.description ? t->wait.description : model_wait_kind_name(e->kind), out);
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
        fputs("\nFound one native-level deadlock:\n"
              "================================\n", out);
        deadlock_edges(out, s, &s->deadlocks[i]);
        deadlock_stacks(out, s, &s->deadlocks[i]);
    }
    fprintf(out, "\nFound %zu deadlock%s.\n", s->ndeadlocks, s->ndeadlocks == 1 ? "" : "s");
}
