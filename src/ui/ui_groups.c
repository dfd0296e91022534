/* The grouped table (g): one row per group of threads: its count, names, states, summed CPU%
 * and what its threads wait on. Threads are grouped by stack once a sample holds every stack
 * (a), else by state and wait (a refresh takes one stack at most). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_state.h"
#include "ui_term.h"

void groups_rows_free(ui_state *st)
{
    groups_free(st->groups);
    st->groups = NULL;
    free(st->group_rates);
    st->group_rates = NULL;
}

static bool any_name_matches(const ui_state *st, const tl_process *p, const tl_stack_group *grp)
{
    if (!st->filter[0])
        return true;
    for (size_t i = 0; i < grp->count; i++) {
        const char *name = p->threads[grp->threads[i]].name;
        if (name && strcasestr(name, st->filter))
            return true;
    }
    return false;
}

/* The selected thread's group is selected by its first thread. */
static void select_group_of(ui_state *st)
{
    if (st->sel_id.is_proc)
        return;
    for (size_t i = 0; i < st->cur->nprocs; i++) {
        const tl_process *p = &st->cur->procs[i];
        for (size_t j = 0; j < p->nthreads; j++) {
            if (p->threads[j].tid != st->sel_id.id)
                continue;
            const tl_stack_group *grp = groups_find(st->groups, st->groups->procs[i].group_of[j]);
            if (grp)
                st->sel_id.id = grp->first_tid;
            return;
        }
    }
}

bool groups_rows_build(ui_state *st)
{
    groups_rows_free(st);
    tl_error err = {0};
    tl_status rc = st->last.all_stacks ? groups_build(st->cur, &st->groups, &err)
                                       : groups_build_by_state(st->cur, &st->groups, &err);
    if (rc != TL_OK)
        return false;
    st->group_rates = calloc(st->groups->ngroups ? st->groups->ngroups : 1, sizeof *st->group_rates);
    if (!st->group_rates)
        return false;
    size_t rate_base = 0, k = 0;
    for (size_t i = 0; i < st->cur->nprocs; i++) {
        const tl_process *p = &st->cur->procs[i];
        const tl_process_groups *pg = &st->groups->procs[i];
        for (size_t g = 0; g < pg->ngroups; g++, k++) {
            const tl_stack_group *grp = &pg->groups[g];
            for (size_t m = 0; st->rates && m < grp->count; m++) {
                st->group_rates[k].cpu += st->rates[rate_base + grp->threads[m]].cpu;
                st->group_rates[k].csw += st->rates[rate_base + grp->threads[m]].csw;
            }
            if (!any_name_matches(st, p, grp))
                continue;
            st->rows[st->nrows++] = (ui_row){.proc = p, .thread = &p->threads[grp->threads[0]],
                                             .rate = &st->group_rates[k], .group = grp};
        }
        rate_base += p->nthreads;
    }
    select_group_of(st);
    return true;
}

/* "S 118 R 2" */
static void states_text(const tl_process *p, const tl_stack_group *grp, char *buf, size_t cap, char *one)
{
    size_t counts[128] = {0}, len = 0, kinds = 0;
    for (size_t i = 0; i < grp->count; i++)
        counts[(unsigned char)p->threads[grp->threads[i]].state & 127]++;
    buf[0] = '\0';
    for (int c = 33; c < 127 && len < cap; c++) {
        if (!counts[c])
            continue;
        len += (size_t)snprintf(buf + len, cap - len, "%s%c %zu", len ? " " : "", c, counts[c]);
        *one = (char)c;
        kinds++;
    }
    if (kinds > 1)
        *one = '+';
}

static void draw_cell(ui_state *st, int y, ui_col c, ui_role role, const char *text, bool target)
{
    int x = st->lay.col_x[c], w = st->lay.col_w[c], len = (int)strlen(text);
    if (columns_right_aligned(c) && len < w)
        x += w - len;
    if (target)
        term_target(y, x, w, role, text);
    else
        term_text(y, x, w, role, text);
}

static void draw_wait(ui_state *st, int y, const ui_row *r, ui_role role, const char *states)
{
    int x = st->lay.col_x[COL_WAIT], w = st->lay.col_w[COL_WAIT], right = x + w;
    char buf[64];
    snprintf(buf, sizeof buf, "[%s] ", states);
    x += term_text(y, x, right - x, role, buf);
    tl_group_wait gw[2];
    size_t n = groups_waits(st->cur, r->group, gw, 2);
    if (n == 0) {
        term_text(y, x, right - x, role, "-");
        return;
    }
    x += term_target(y, x, right - x, role, gw[0].wait->description);
    snprintf(buf, sizeof buf, " (%zu)%s", gw[0].count, n > 1 ? " +more" : "");
    term_text(y, x, right - x, role, buf);
}

void groups_row_draw(ui_state *st, int y, const ui_row *r, bool selected)
{
    ui_role role = selected ? ROLE_SELECTED : ROLE_NORMAL;
    if (selected)
        term_fill(y, 0, st->lay.cols, ROLE_SELECTED);
    term_text(y, 0, 1, role, r->thread->nframes ? "*" : " ");
    char buf[128], states[64], one = '?';
    snprintf(buf, sizeof buf, "x%zu", r->group->count);
    draw_cell(st, y, COL_TID, role, buf, false);
    char *names = groups_names(st->cur, r->group, (size_t)st->lay.col_w[COL_NAME], false);
    draw_cell(st, y, COL_NAME, role, names ? names : "?", true);
    free(names);
    states_text(r->proc, r->group, states, sizeof states, &one);
    snprintf(buf, sizeof buf, "%c", one);
    draw_cell(st, y, COL_STATE, role, buf, false);
    bool target;
    for (int c = COL_CPU; c <= COL_CSW; c++) {
        if (c == COL_USER || c == COL_SYS)
            continue;   /* the first thread's times would mislead */
        columns_cell(r, (ui_col)c, buf, sizeof buf, &target);
        draw_cell(st, y, (ui_col)c, role, buf, target);
    }
    draw_wait(st, y, r, role, states);
}
