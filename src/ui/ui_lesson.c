/* The guided lesson (threadlens demo --lesson, top --lesson): four steps, each one sentence on
 * the status line and the view that shows it; Space goes on. */
#include <stdio.h>
#include <string.h>

#include "ui_state.h"

#define LESSON_STEPS 4

static const char *const sentences[LESSON_STEPS + 1] = {
    "Each row is a thread; the threads under a process share its memory.",
    "Shared pane: code, heap, files and signal handlers are shared by all threads; the stack is not.",
    "One thread's stack: its own call chain, PC and SP.",
    "The child process, made by fork, beside its parent: its own memory, its own threads.",
    "Lesson done: ? lists the keys, p draws the picture, q quits.",
};

/* The thread the stack step shows: the demo's request-1, else the root's second thread. */
static int stack_tid(const tl_snapshot *s)
{
    const tl_process *root = s->nprocs ? &s->procs[0] : NULL;
    for (size_t i = 0; root && i < root->nthreads; i++)
        if (root->threads[i].name && !strcmp(root->threads[i].name, "request-1"))
            return root->threads[i].tid;
    return root && root->nthreads ? root->threads[root->nthreads > 1].tid : 0;
}

static int child_pid(const tl_snapshot *s)
{
    for (size_t i = 1; i < s->nprocs; i++)
        if (s->procs[i].ppid == s->procs[0].pid)
            return s->procs[i].pid;
    return 0;
}

static void select_id(ui_state *st, bool is_proc, int id)
{
    if (!id)
        return;
    st->sel_id = (ui_sel){is_proc, id};
    st->dirty |= DIRTY_ROWS;
}

/* Sets the view of the current step. */
static void show_step(ui_state *st)
{
    st->pane = PANE_NONE;
    st->pane_scroll = 0;
    st->tree = true;
    st->filter[0] = '\0';
    if (st->cur) {
        if (st->lesson_step == 2 || st->lesson_step == 3)
            select_id(st, false, stack_tid(st->cur));
        if (st->lesson_step == 4)
            select_id(st, true, child_pid(st->cur));
    }
    if (st->lesson_step == 2)
        st->pane = PANE_SHARED;
    if (st->lesson_step == 3)
        st->pane = PANE_STACK;
    if (st->lesson_step > LESSON_STEPS)
        snprintf(st->status, sizeof st->status, "%s", sentences[LESSON_STEPS]);
    else
        snprintf(st->status, sizeof st->status, "Lesson %d/%d (Space: next): %s", st->lesson_step,
                 LESSON_STEPS, sentences[st->lesson_step - 1]);
    st->dirty |= DIRTY_ROWS | DIRTY_REQUEST | DIRTY_NOW | DIRTY_DRAW;
}

void lesson_start(ui_state *st)
{
    st->lesson_step = 1;
    show_step(st);
}

bool lesson_active(const ui_state *st)
{
    return st->lesson_step >= 1 && st->lesson_step <= LESSON_STEPS;
}

void lesson_next(ui_state *st)
{
    st->lesson_step++;
    show_step(st);
}
