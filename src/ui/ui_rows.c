/* The table's rows: threads grouped under their process (tree) or one flat list, filtered by
 * name, sorted by a column; the selection follows its thread or process across rebuilds. */
#include <stdlib.h>
#include <string.h>

#include "ui_rates.h"
#include "ui_state.h"

typedef struct sort_ctx {
    ui_col col;
    bool desc;
} sort_ctx;

void rows_apply_snapshot(ui_state *st, tl_snapshot *snap)
{
    snapshot_free(st->prev);
    st->prev = st->cur;
    st->cur = snap;
    free(st->rates);
    st->rates = rates_compute(st->prev, st->cur);
    statehist_update(st);
    st->dirty |= DIRTY_ROWS | DIRTY_DRAW;
}

static bool rows_reserve(ui_state *st, size_t n)
{
    if (n <= st->rows_cap)
        return true;
    size_t cap = st->rows_cap ? st->rows_cap : 64;
    while (cap < n)
        cap *= 2;
    ui_row *grown = realloc(st->rows, cap * sizeof *grown);
    if (!grown)
        return false;
    st->rows = grown;
    st->rows_cap = cap;
    return true;
}

static bool name_matches(const ui_state *st, const char *name)
{
    return !st->filter[0] || (name && strcasestr(name, st->filter));
}

static int row_cmp(const void *a, const void *b, void *arg)
{
    const sort_ctx *c = arg;
    const ui_row *x = a, *y = b;
    int r = columns_compare(x, y, c->col);
    if (c->desc)
        r = -r;
    if (r == 0)
        r = (x->thread->tid > y->thread->tid) - (x->thread->tid < y->thread->tid);
    return r;
}

static void sort_rows(const ui_state *st, ui_row *rows, size_t n)
{
    sort_ctx c = {st->sort_col, st->sort_desc};
    qsort_r(rows, n, sizeof *rows, row_cmp, &c);
}

/* Appends the matching threads of process pi; returns how many. */
static size_t add_threads(ui_state *st, size_t pi, size_t rate_base, int depth)
{
    const tl_process *p = &st->cur->procs[pi];
    size_t added = 0;
    for (size_t j = 0; j < p->nthreads; j++) {
        const tl_thread *t = &p->threads[j];
        if (!name_matches(st, t->name))
            continue;
        ui_row *r = &st->rows[st->nrows++];
        *r = (ui_row){.proc = p, .thread = t, .rate = st->rates ? &st->rates[rate_base + j] : NULL,
                      .depth = depth};
        added++;
    }
    return added;
}

static int depth_of(const tl_snapshot *s, const int *depths, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (s->procs[k].pid == s->procs[i].ppid)
            return depths[k] + 1;
    return 0;
}

static void build_tree(ui_state *st, int *depths)
{
    size_t rate_base = 0;
    for (size_t i = 0; i < st->cur->nprocs; i++) {
        const tl_process *p = &st->cur->procs[i];
        depths[i] = depth_of(st->cur, depths, i);
        size_t head = st->nrows;
        double cpu = 0;
        for (size_t j = 0; st->rates && j < p->nthreads; j++)
            cpu += st->rates[rate_base + j].cpu;
        st->rows[st->nrows++] = (ui_row){.proc = p, .depth = depths[i], .proc_cpu = cpu};
        size_t n = add_threads(st, i, rate_base, depths[i]);
        rate_base += p->nthreads;
        if (n == 0 && st->filter[0] && !name_matches(st, p->name)) {
            st->nrows = head;      /* nothing of it matches the filter */
            continue;
        }
        sort_rows(st, &st->rows[head + 1], n);
        if (n)
            st->rows[st->nrows - 1].last = true;
    }
}

static void build_flat(ui_state *st)
{
    size_t rate_base = 0;
    for (size_t i = 0; i < st->cur->nprocs; i++) {
        add_threads(st, i, rate_base, 0);
        rate_base += st->cur->procs[i].nthreads;
    }
    sort_rows(st, st->rows, st->nrows);
}

static bool same_sel(const ui_row *r, ui_sel s)
{
    return s.is_proc ? (!r->thread && r->proc->pid == s.id) : (r->thread && r->thread->tid == s.id);
}

static void follow_selection(ui_state *st)
{
    for (size_t i = 0; i < st->nrows; i++) {
        if (same_sel(&st->rows[i], st->sel_id)) {
            st->sel = i;
            return;
        }
    }
    /* gone (exited or filtered out): keep the position, select what is there now */
    rows_select_index(st, st->sel);
}

/* After /name Enter: the first matching thread, not the process row above it or a row the
 * filter hid (Enter would open that thread's stack). */
static void select_first_thread(ui_state *st)
{
    for (size_t i = 0; i < st->nrows; i++) {
        if (st->rows[i].thread) {
            rows_select_index(st, i);
            return;
        }
    }
}

bool rows_rebuild(ui_state *st)
{
    st->nrows = 0;
    if (!st->cur)
        return true;
    if (st->grouped) {
        bool ok = rows_reserve(st, model_thread_count(st->cur) + 1) && groups_rows_build(st);
        sort_rows(st, st->rows, st->nrows);
        follow_selection(st);
        rows_scroll_into_view(st);
        return ok;
    }
    groups_rows_free(st);
    size_t need = model_thread_count(st->cur) + st->cur->nprocs;
    int *depths = calloc(st->cur->nprocs ? st->cur->nprocs : 1, sizeof *depths);
    if (!depths || !rows_reserve(st, need)) {
        free(depths);
        return false;
    }
    if (st->tree)
        build_tree(st, depths);
    else
        build_flat(st);
    free(depths);
    follow_selection(st);
    if (st->filter_jump) {
        st->filter_jump = false;
        select_first_thread(st);
    }
    rows_scroll_into_view(st);
    return true;
}

void rows_select_index(ui_state *st, size_t i)
{
    if (st->nrows == 0) {
        st->sel = 0;
        return;
    }
    if (i >= st->nrows)
        i = st->nrows - 1;
    ui_sel old = st->sel_id;
    st->sel = i;
    const ui_row *r = &st->rows[i];
    st->sel_id = r->thread ? (ui_sel){false, r->thread->tid} : (ui_sel){true, r->proc->pid};
    if (old.is_proc != st->sel_id.is_proc || old.id != st->sel_id.id)
        st->dirty |= DIRTY_REQUEST | (st->pane != PANE_NONE ? DIRTY_NOW : 0);
    st->dirty |= DIRTY_DRAW;
    rows_scroll_into_view(st);
}

void rows_scroll_into_view(ui_state *st)
{
    size_t h = st->lay.table_h > 0 ? (size_t)st->lay.table_h : 1;
    if (st->sel < st->top)
        st->top = st->sel;
    else if (st->sel >= st->top + h)
        st->top = st->sel - h + 1;
    if (st->nrows <= h)
        st->top = 0;
    else if (st->top > st->nrows - h)
        st->top = st->nrows - h;
}

const ui_row *rows_selected(const ui_state *st)
{
    return st->sel < st->nrows ? &st->rows[st->sel] : NULL;
}

const tl_thread *rows_selected_thread(const ui_state *st, const tl_process **proc)
{
    const ui_row *r = rows_selected(st);
    if (!r)
        return NULL;
    *proc = r->proc;
    if (r->thread)
        return r->thread;
    for (size_t j = 0; j < r->proc->nthreads; j++)
        if (r->proc->threads[j].tid == r->proc->pid)
            return &r->proc->threads[j];
    return r->proc->nthreads ? &r->proc->threads[0] : NULL;
}
