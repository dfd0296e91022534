/* The top lines (title, deadlock banner or summary), the column titles and the thread rows. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ui_state.h"
#include "ui_term.h"

#define DEADLOCK_TIDS_SHOWN 8     /* tids of a cycle written in the banner */

static int put(int y, int x, int right, ui_role role, const char *text)
{
    return x < right ? x + term_text(y, x, right - x, role, text) : x;
}

static int put_target(int y, int x, int right, ui_role role, const char *raw)
{
    return x < right ? x + term_target(y, x, right - x, role, raw) : x;
}

static void draw_title(ui_state *st)
{
    int W = st->lay.cols;
    term_fill(0, 0, W, ROLE_TITLE);
    char buf[256];
    int x = put(0, 0, W, ROLE_TITLE, " threadlens top");
    if (!st->cur) {
        put(0, x, W, ROLE_TITLE, "  taking the first sample...");
        return;
    }
    const tl_process *root = st->cur->nprocs ? &st->cur->procs[0] : NULL;
    if (root) {
        snprintf(buf, sizeof buf, "  PID %d ", root->pid);
        x = put(0, x, W, ROLE_TITLE, buf);
        x = put_target(0, x, W, ROLE_TITLE, root->name);
    }
    if (st->opt->loaded) {   /* a saved dump: which file, and when it was taken */
        time_t secs = (time_t)(st->cur->taken_unix_ms / 1000);
        struct tm tm;
        char when[40];
        gmtime_r(&secs, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
        x = put(0, x, W, ROLE_TITLE, "  FILE ");
        x = put_target(0, x, W, ROLE_TITLE, st->opt->loaded_name);
        snprintf(buf, sizeof buf, "  taken %s  %zu process%s, %zu threads  [SAVED DUMP: frozen]", when,
                 st->cur->nprocs, st->cur->nprocs == 1 ? "" : "es", model_thread_count(st->cur));
        put(0, x, W, ROLE_TITLE, buf);
        return;
    }
    snprintf(buf, sizeof buf, "  %zu process%s, %zu threads  every %.1fs%s%s", st->cur->nprocs,
             st->cur->nprocs == 1 ? "" : "es", model_thread_count(st->cur), st->opt->delay_ms / 1000.0,
             st->frozen ? "  [FROZEN: Space resumes]" : "", worker_busy(st->worker) ? "  sampling..." : "");
    put(0, x, W, ROLE_TITLE, buf);
}

static void draw_banner(ui_state *st)
{
    int W = st->lay.cols;
    term_fill(1, 0, W, ROLE_BANNER);
    char buf[512];
    int n = snprintf(buf, sizeof buf, " DEADLOCK: %zu cycle%s:", st->cur->ndeadlocks,
                     st->cur->ndeadlocks == 1 ? "" : "s");
    for (size_t i = 0; i < st->cur->ndeadlocks && n < (int)sizeof buf - 64; i++) {
        const tl_deadlock *d = &st->cur->deadlocks[i];
        n += snprintf(buf + n, sizeof buf - (size_t)n, "%s", i ? ";" : "");
        for (size_t k = 0; k < d->ntids && k < DEADLOCK_TIDS_SHOWN && n < (int)sizeof buf - 32; k++)
            n += snprintf(buf + n, sizeof buf - (size_t)n, " %d ->", d->tids[k]);
        if (d->ntids)
            n += snprintf(buf + n, sizeof buf - (size_t)n, " %d", d->tids[0]);
    }
    snprintf(buf + n, sizeof buf - (size_t)n, "  (marked ! below)");
    put(1, 0, W, ROLE_BANNER, buf);
}

static const char *stacks_word(const ui_state *st)
{
    if (st->last.stacks_error[0])
        return "unavailable";
    if (st->last.all_stacks)
        return "all";
    if (st->last.stack_tid)
        return "selected";
    return "off";
}

static void draw_summary(ui_state *st)
{
    size_t running = 0, blocked = 0, total = 0;
    for (size_t i = 0; i < st->cur->nprocs; i++)
        for (size_t j = 0; j < st->cur->procs[i].nthreads; j++, total++) {
            char s = st->cur->procs[i].threads[j].state;
            running += s == 'R';
            blocked += s == 'D';
        }
    char buf[512];
    snprintf(buf, sizeof buf, " R %zu  D %zu  other %zu   ", running, blocked, total - running - blocked);
    int W = st->lay.cols, x = put(1, 0, W, ROLE_NORMAL, buf);
    if (st->filter[0]) {
        x = put(1, x, W, ROLE_STATUS, "filter: ");
        x = put_target(1, x, W, ROLE_STATUS, st->filter);
        x = put(1, x, W, ROLE_NORMAL, "   ");
    }
    const char *view = !st->grouped ? (st->tree ? "tree" : "flat")
                       : st->last.all_stacks ? "groups by stack (g: threads)"
                                             : "groups by state and wait (a: by stack, g: threads)";
    snprintf(buf, sizeof buf, "sort: %s %s   %s   stacks: %s", columns_title(st->sort_col),
             st->sort_desc ? "desc" : "asc", view, stacks_word(st));
    put(1, x, W, ROLE_NORMAL, buf);
}

void table_draw_top(ui_state *st)
{
    draw_title(st);
    if (st->cur && st->cur->ndeadlocks)
        draw_banner(st);
    else if (st->cur)
        draw_summary(st);
}

static void draw_header(ui_state *st)
{
    int y = st->lay.header_y;
    term_fill(y, 0, st->lay.cols, ROLE_HEADER);
    for (int c = 0; c < COL_COUNT; c++) {
        const char *t = columns_title((ui_col)c);
        int w = st->lay.col_w[c], x = st->lay.col_x[c];
        int len = (int)strlen(t);
        if (columns_right_aligned((ui_col)c) && len < w)
            x += w - len;
        ui_role role = c == (int)st->sort_col ? ROLE_HEADER_SORT : ROLE_HEADER;
        term_text(y, x, w, role, t);
    }
    statehist_draw_title(st, y);
}

static void draw_name(ui_state *st, int y, const ui_row *r, ui_role role)
{
    char prefix[64] = "";
    if (st->tree) {
        int indent = r->depth * 2 < 24 ? r->depth * 2 : 24;
        snprintf(prefix, sizeof prefix, "%*s%s", indent, "", r->last ? "`- " : "|- ");
    }
    int x = st->lay.col_x[COL_NAME], w = st->lay.col_w[COL_NAME];
    int used = term_text(y, x, w, role, prefix);
    term_target(y, x + used, w - used, role, r->thread->name ? r->thread->name : "?");
}

static ui_role cell_role(const ui_row *r, ui_col c, ui_role base)
{
    if (base != ROLE_NORMAL || c != COL_STATE)
        return base;
    return r->thread->state == 'R' ? ROLE_RUNNING : r->thread->state == 'D' ? ROLE_DISK : base;
}

static void draw_thread_row(ui_state *st, int y, const ui_row *r, bool selected)
{
    ui_role base = selected ? ROLE_SELECTED : r->thread->in_deadlock ? ROLE_DEADLOCK : ROLE_NORMAL;
    if (selected)
        term_fill(y, 0, st->lay.cols, ROLE_SELECTED);
    const char *mark = r->thread->in_deadlock ? "!" : r->thread->nframes ? "*" : " ";
    term_text(y, 0, 1, base, mark);
    for (int c = 0; c < COL_COUNT; c++) {
        if (c == COL_NAME) {
            draw_name(st, y, r, base);
            continue;
        }
        char buf[256];
        bool target;
        columns_cell(r, (ui_col)c, buf, sizeof buf, &target);
        int x = st->lay.col_x[c], w = st->lay.col_w[c], len = (int)strlen(buf);
        if (columns_right_aligned((ui_col)c) && len < w)
            x += w - len;
        ui_role role = cell_role(r, (ui_col)c, base);
        if (target)
            term_target(y, x, w, role, buf);
        else
            term_text(y, x, w, role, buf);
    }
    statehist_draw_cell(st, y, r->thread, base);
}

static void draw_process_row(ui_state *st, int y, const ui_row *r, bool selected)
{
    ui_role role = selected ? ROLE_SELECTED : ROLE_PROCESS;
    const tl_process *p = r->proc;
    int W = st->lay.cols;
    if (selected)
        term_fill(y, 0, W, ROLE_SELECTED);
    char buf[256];
    snprintf(buf, sizeof buf, "%*d", st->lay.col_w[COL_TID], p->pid);
    term_text(y, st->lay.col_x[COL_TID], st->lay.col_w[COL_TID], role, buf);
    int indent = r->depth * 2 < 24 ? r->depth * 2 : 24;
    snprintf(buf, sizeof buf, "%*s", indent, "");
    int x = put(y, st->lay.col_x[COL_NAME], W, role, buf);
    x = put_target(y, x, W, role, p->name);
    char rss[32];
    columns_format_size(p->rss_kib * 1024, rss, sizeof rss);
    snprintf(buf, sizeof buf, "  process, %zu thread%s, CPU %.1f%%, rss %s, user ", p->nthreads,
             p->nthreads == 1 ? "" : "s", r->proc_cpu, rss);
    x = put(y, x, W, role, buf);
    x = put_target(y, x, W, role, p->user);
    if (p->cmdline) {
        x = put(y, x, W, role, ": ");
        put_target(y, x, W, role, p->cmdline);
    }
}

void table_draw(ui_state *st)
{
    draw_header(st);
    for (int i = 0; i < st->lay.table_h; i++) {
        size_t k = st->top + (size_t)i;
        if (k >= st->nrows)
            break;
        const ui_row *r = &st->rows[k];
        int y = st->lay.table_y + i;
        if (r->group)
            groups_row_draw(st, y, r, k == st->sel);
        else if (r->thread)
            draw_thread_row(st, y, r, k == st->sel);
        else
            draw_process_row(st, y, r, k == st->sel);
    }
    if (st->cur && st->nrows == 0)
        term_text(st->lay.table_y, 1, st->lay.cols - 1, ROLE_DIM,
                  st->filter[0] ? "no thread matches the filter (Esc clears it)" : "no threads");
}
