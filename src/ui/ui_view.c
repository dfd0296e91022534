/* Layout and the one redraw per loop pass. */
#include "ui_state.h"
#include "ui_term.h"

#define MIN_ROWS 8
#define MIN_COLS 40
#define TOP_LINES 3          /* title, banner/summary, column titles */
#define BOTTOM_LINES 2       /* status, function keys */
#define MIN_TABLE 3

static void layout(ui_state *st)
{
    ui_layout *l = &st->lay;
    term_size(&l->rows, &l->cols);
    columns_layout(l);
    statehist_layout(st);
    l->header_y = TOP_LINES - 1;
    l->table_y = TOP_LINES;
    int avail = l->rows - TOP_LINES - BOTTOM_LINES;
    int pane = 0;
    if (st->pane == PANE_STACK)
        pane = avail / 2;
    else if (st->pane == PANE_SHARED)
        pane = shared_pane_lines(st);   /* as much as its text needs, the table keeps the rest */
    if (avail - pane < MIN_TABLE)
        pane = avail - MIN_TABLE;
    l->pane_h = pane > 0 ? pane : 0;
    l->table_h = avail - l->pane_h;
    l->pane_y = l->table_y + l->table_h;
}

void view_draw(ui_state *st)
{
    layout(st);
    term_begin();
    if (st->lay.rows < MIN_ROWS || st->lay.cols < MIN_COLS) {
        term_text(0, 0, st->lay.cols, ROLE_STATUS, "terminal too small for threadlens top (q quits)");
        term_end();
        return;
    }
    if (st->mode == MODE_HELP) {
        help_draw(st);
        term_end();
        return;
    }
    rows_scroll_into_view(st);
    table_draw_top(st);
    table_draw(st);
    if (st->pane == PANE_STACK && st->lay.pane_h > 0)
        stack_pane_draw(st);
    else if (st->pane == PANE_SHARED && st->lay.pane_h > 0)
        shared_pane_draw(st);
    if (st->mode == MODE_SORT)
        sort_menu_draw(st);
    bar_draw(st);
    term_end();
}
