/* The state-history column (key H): per thread its state class at each of the last
 * HISTORY_LEN refreshes, newest on the right, in threadlens record's letters: R running,
 * S sleeping, L waiting on a lock, I waiting on I/O, D uninterruptible, . not there yet. */
#include <stdlib.h>
#include <string.h>

#include "ui_state.h"
#include "ui_term.h"

typedef struct hist_entry {
    int tid;
    uint64_t start_time_ms;       /* a reused TID starts a new history */
    char h[HISTORY_LEN + 1];
} hist_entry;

struct ui_history {
    hist_entry *e;                /* sorted by tid */
    size_t n;
};

static char state_class(const tl_thread *t)
{
    if (t->state == 'R' || t->state == 'D')
        return t->state;
    switch (t->wait.kind) {
    case TL_WAIT_MUTEX: case TL_WAIT_PI_MUTEX: case TL_WAIT_RWLOCK: case TL_WAIT_SEMAPHORE: return 'L';
    case TL_WAIT_FD: return 'I';
    default: return 'S';
    }
}

static int cmp_entry(const void *a, const void *b)
{
    const hist_entry *x = a, *y = b;
    return (x->tid > y->tid) - (x->tid < y->tid);
}

void statehist_update(ui_state *st)
{
    if (!st->cur)
        return;
    size_t n = 0;
    for (size_t i = 0; i < st->cur->nprocs; i++)
        n += st->cur->procs[i].nthreads;
    hist_entry *e = calloc(n ? n : 1, sizeof *e);
    if (!e)
        return;                   /* keeps the old history: one refresh missing */
    struct ui_history *old = st->history;
    size_t k = 0;
    for (size_t i = 0; i < st->cur->nprocs; i++)
        for (size_t j = 0; j < st->cur->procs[i].nthreads; j++) {
            const tl_thread *t = &st->cur->procs[i].threads[j];
            hist_entry key = {.tid = t->tid};
            const hist_entry *was = old && old->n ? bsearch(&key, old->e, old->n, sizeof key, cmp_entry) : NULL;
            hist_entry *x = &e[k++];
            x->tid = t->tid;
            x->start_time_ms = t->start_time_ms;
            if (was && was->start_time_ms == t->start_time_ms)
                memcpy(x->h, was->h + 1, HISTORY_LEN - 1);   /* shift left by one refresh */
            else
                memset(x->h, '.', HISTORY_LEN - 1);
            x->h[HISTORY_LEN - 1] = state_class(t);
            x->h[HISTORY_LEN] = '\0';
        }
    qsort(e, k, sizeof *e, cmp_entry);
    if (!old && !(old = st->history = calloc(1, sizeof *old))) {
        free(e);
        return;
    }
    free(old->e);
    old->e = e;
    old->n = k;
}

const char *statehist_of(const ui_state *st, const tl_thread *t)
{
    if (!st->history || !st->history->n)
        return NULL;
    hist_entry key = {.tid = t->tid};
    const hist_entry *x = bsearch(&key, st->history->e, st->history->n, sizeof key, cmp_entry);
    return x ? x->h : NULL;
}

void statehist_free(ui_state *st)
{
    if (st->history)
        free(st->history->e);
    free(st->history);
    st->history = NULL;
}

void statehist_layout(ui_state *st)
{
    ui_layout *l = &st->lay;
    l->hist_w = 0;
    if (!st->show_history || l->col_w[COL_WAIT] < HISTORY_LEN + 1 + 8)
        return;
    l->hist_w = HISTORY_LEN;
    l->col_w[COL_WAIT] -= HISTORY_LEN + 1;
    l->hist_x = l->col_x[COL_WAIT] + l->col_w[COL_WAIT] + 1;
}

void statehist_draw_title(const ui_state *st, int y)
{
    if (st->lay.hist_w)
        term_text(y, st->lay.hist_x, st->lay.hist_w, ROLE_HEADER, "HISTORY (newest >)");
}

void statehist_draw_cell(const ui_state *st, int y, const tl_thread *t, int role)
{
    if (!st->lay.hist_w)
        return;
    const char *h = statehist_of(st, t);
    term_text(y, st->lay.hist_x, st->lay.hist_w, (ui_role)role, h ? h : "");
}
