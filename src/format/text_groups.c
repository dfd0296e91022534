/* --group: one block per stack group of two threads or more: who is in it, their states and
 * waits (grouped when they differ), then the shared frames once. */
#include <stdlib.h>

#include "text_parts.h"
#include "threadlens/escape.h"
#include "threadlens/java.h"

#define HEADER_BUDGET 100

static void java_frames(FILE *out, const tl_thread *t)
{
    if (!t->java || t->java->nframes == 0)
        return;
    fputs("   Java frames (shared):\n", out);
    for (size_t i = 0; i < t->java->nframes; i++) {
        fputs("\tat ", out);
        escape_fputs(t->java->frames[i].method, out);
        if (t->java->frames[i].location) {
            fputc('(', out);
            escape_fputs(t->java->frames[i].location, out);
            fputc(')', out);
        }
        fputc('\n', out);
    }
    if (t->nframes)
        fputs("   native frames (shared):\n", out);
}

void text_group_block(FILE *out, const tl_snapshot *s, const tl_groups *g, const tl_stack_group *grp)
{
    const tl_process *p = &s->procs[grp->proc];
    const tl_thread *lead = &p->threads[grp->threads[0]];
    bool by_state = g->procs[grp->proc].by_state;
    char *names = groups_names(s, grp, HEADER_BUDGET, true);
    char *tids = groups_tids(s, grp, HEADER_BUDGET / 2);
    fprintf(out, "%zu threads with this %s: ", grp->count,
            by_state ? "state and wait (no stacks: grouped by state and wait only)" : "stack");
    escape_fputs(names ? names : "?", out);
    fprintf(out, " (tid %s) group=%d\n   states: ", tids ? tids : "?", grp->id);
    free(names);
    free(tids);
    text_group_states(out, s, grp);
    fputs("\n   waiting on: ", out);
    text_group_waits(out, s, grp, 3, " threads");
    fputc('\n', out);
    if (lead->java && lead->java->state) {
        fputs("   Java states: ", out);
        text_group_java_states(out, s, grp, 3);
        fputc('\n', out);
    }
    if (!by_state) {
        java_frames(out, lead);
        text_frames(out, lead);
    }
    fputc('\n', out);
}
