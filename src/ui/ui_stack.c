/* The stack pane: the selected thread's native stack and what it waits on. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ui_state.h"
#include "ui_term.h"

static const char *base_name(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    return slash ? slash + 1 : path;
}

static void draw_title(ui_state *st, const tl_thread *t, int y)
{
    int W = st->lay.cols;
    term_fill(y, 0, W, ROLE_PANE_TITLE);
    char buf[128];
    snprintf(buf, sizeof buf, " Stack of thread %d \"", t->tid);
    int x = term_text(y, 0, W, ROLE_PANE_TITLE, buf);
    x += term_target(y, x, W - x, ROLE_PANE_TITLE, t->name);
    const ui_row *r = rows_selected(st);
    char grp[64] = "";
    if (r && r->group && r->group->count > 1)
        snprintf(grp, sizeof grp, ", first of a group of %zu%s", r->group->count,
                 st->groups && st->groups->procs[r->group->proc].by_state ? " (by state and wait)" : "");
    snprintf(buf, sizeof buf, "\"%s %c %s   Enter/Esc close  [ ] scroll  a all stacks", grp, t->state,
             model_state_word(t->state));
    term_text(y, x, W - x, ROLE_PANE_TITLE, buf);
}

static void draw_wait(ui_state *st, const tl_thread *t, int y)
{
    char tmp[160];
    int x = term_text(y, 1, st->lay.cols - 1, ROLE_STATUS, "waits on: ");
    term_target(y, 1 + x, st->lay.cols - 1 - x, ROLE_NORMAL, columns_wait_text(t, tmp, sizeof tmp));
}

static void draw_frame(ui_state *st, const tl_frame *f, size_t i, int y)
{
    int W = st->lay.cols;
    char buf[96];
    snprintf(buf, sizeof buf, " #%-3zu 0x%016" PRIx64 "  ", i, f->pc);
    int x = term_text(y, 0, W, ROLE_DIM, buf);
    if (f->function) {
        x += term_target(y, x, W - x, ROLE_NORMAL, f->function);
        snprintf(buf, sizeof buf, "+0x%" PRIx64, f->offset);
        x += term_text(y, x, W - x, ROLE_NORMAL, buf);
    } else {
        x += term_text(y, x, W - x, ROLE_DIM, "??");
    }
    if (f->module) {
        x += term_text(y, x, W - x, ROLE_DIM, "  in ");
        x += term_target(y, x, W - x, ROLE_DIM, base_name(f->module));
    }
    if (f->file) {
        x += term_text(y, x, W - x, ROLE_DIM, "  at ");
        x += term_target(y, x, W - x, ROLE_NORMAL, f->file);
        snprintf(buf, sizeof buf, ":%d", f->line);
        x += term_text(y, x, W - x, ROLE_NORMAL, f->line ? buf : "");
    }
    if (f->signal_frame)
        x += term_text(y, x, W - x, ROLE_STATUS, "  <signal handler called>");
    if (f->guessed)
        term_text(y, x, W - x, ROLE_STATUS, " ?");   /* found by frame pointers: a guess */
}

/* Why no frames are shown (NULL: the frames are there). */
static const char *why_no_frames(const ui_state *st, const tl_thread *t, char *buf, size_t cap)
{
    if (t->nframes)
        return NULL;
    if (st->last.stacks_error[0]) {
        snprintf(buf, cap, "native stacks unavailable: %s", st->last.stacks_error);
        return buf;
    }
    if (t->stack_error) {
        snprintf(buf, cap, "no stack for this thread: %s", t->stack_error);
        return buf;
    }
    bool asked = st->last.all_stacks || st->last.stack_tid == t->tid;
    if (!asked && st->frozen)
        return "frozen: this sample holds no stack of it (Space resumes, a takes every stack)";
    if (!asked)
        return "taking the stack...";
    if (!st->cur->stacks_taken)
        return "native stacks unavailable: this build takes no stacks";
    return "no frames (the unwinder found none)";
}

/* Where a thread in D sleeps in the kernel (root): its kernel stack under the reason. */
static void draw_kernel_frames(ui_state *st, const tl_thread *t, int y, int end)
{
    int W = st->lay.cols;
    if (!t->nkernel_frames || y >= end)
        return;
    term_text(y++, 1, W - 1, ROLE_STATUS, "kernel stack:");
    for (size_t i = 0; i < t->nkernel_frames && y < end; i++, y++) {
        const tl_kernel_frame *f = &t->kernel_frames[i];
        char buf[64];
        snprintf(buf, sizeof buf, " #%-3zu ", i);
        int x = term_text(y, 0, W, ROLE_DIM, buf);
        x += term_target(y, x, W - x, ROLE_NORMAL, f->function);
        snprintf(buf, sizeof buf, "+0x%" PRIx64, f->offset);
        x += term_text(y, x, W - x, ROLE_NORMAL, buf);
        if (f->module) {
            x += term_text(y, x, W - x, ROLE_DIM, "  [");
            x += term_target(y, x, W - x, ROLE_DIM, f->module);
            term_text(y, x, W - x, ROLE_DIM, "]");
        }
    }
}

void stack_pane_draw(ui_state *st)
{
    const tl_process *p = NULL;
    const tl_thread *t = st->cur ? rows_selected_thread(st, &p) : NULL;
    int y = st->lay.pane_y, end = st->lay.pane_y + st->lay.pane_h;
    if (!t) {
        term_fill(y, 0, st->lay.cols, ROLE_PANE_TITLE);
        term_text(y, 0, st->lay.cols, ROLE_PANE_TITLE, " Stack: no thread selected");
        return;
    }
    draw_title(st, t, y++);
    draw_wait(st, t, y++);
    char why[512];
    const char *msg = why_no_frames(st, t, why, sizeof why);
    if (msg) {
        term_target(y++, 1, st->lay.cols - 1, ROLE_STATUS, msg);
        draw_kernel_frames(st, t, y, end);
        return;
    }
    size_t room = end > y ? (size_t)(end - y) : 1;
    size_t last_page = t->nframes > room ? t->nframes - room : 0;   /* scrolling stops there */
    size_t first = (size_t)st->pane_scroll < last_page ? (size_t)st->pane_scroll : last_page;
    for (size_t i = first; i < t->nframes && y < end; i++)
        draw_frame(st, &t->frames[i], i, y++);
    if (t->stack_warning && y < end) {   /* the walk ended early: an impossible address, memory not read */
        char line[512];
        snprintf(line, sizeof line, "... walk ended: %s", t->stack_warning);
        term_target(y, 1, st->lay.cols - 1, ROLE_DIM, line);
    } else if (t->frames_truncated && y < end) {
        term_text(y, 1, st->lay.cols - 1, ROLE_DIM, "... (truncated)");
    }
}
