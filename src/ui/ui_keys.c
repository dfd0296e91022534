/* Keys and mouse: each handler changes the state and sets dirty flags; nothing draws here. */
#include <stdio.h>
#include <string.h>

#include "ui_state.h"
#include "ui_term.h"

static void set_sort(ui_state *st, ui_col c)
{
    st->sort_col = c;
    /* numbers people look for the top of sort descending; ids and names ascending */
    st->sort_desc = c == COL_CPU || c == COL_USER || c == COL_SYS || c == COL_CSW;
    st->dirty |= DIRTY_ROWS | DIRTY_DRAW;
}

static void move_sel(ui_state *st, long delta)
{
    long i = (long)st->sel + delta;
    if (i < 0)
        i = 0;
    rows_select_index(st, (size_t)i);
}

static void toggle_pane(ui_state *st, ui_pane p)
{
    st->pane = st->pane == p ? PANE_NONE : p;
    st->pane_scroll = 0;
    st->dirty |= DIRTY_REQUEST | DIRTY_DRAW | (st->pane != PANE_NONE ? DIRTY_NOW : 0);
}

static void filter_key(ui_state *st, int key)
{
    size_t len = strlen(st->edit);
    if (key == TK_ENTER) {
        memcpy(st->filter, st->edit, sizeof st->filter);
        st->filter_jump = st->filter[0] != 0;
        st->mode = MODE_TABLE;
        st->dirty |= DIRTY_ROWS;
    } else if (key == TK_ESC) {
        st->filter[0] = st->edit[0] = 0;
        st->mode = MODE_TABLE;
        st->dirty |= DIRTY_ROWS;
    } else if (key == TK_BACKSPACE) {
        while (len > 0 && (st->edit[len - 1] & 0xc0) == 0x80)   /* a whole UTF-8 character */
            len--;
        if (len > 0)
            len--;
        st->edit[len] = 0;
    } else if (key >= 32 && key < 256 && key != 127 && len + 1 < sizeof st->edit) {
        st->edit[len] = (char)key;
        st->edit[len + 1] = 0;
    }
    st->dirty |= DIRTY_DRAW;
}

static void sort_key(ui_state *st, int key)
{
    if (key == TK_UP && st->sort_menu > 0)
        st->sort_menu--;
    else if (key == TK_DOWN && st->sort_menu + 1 < COL_COUNT)
        st->sort_menu++;
    else if (key == TK_ENTER) {
        set_sort(st, (ui_col)st->sort_menu);
        st->mode = MODE_TABLE;
    } else if (key == TK_ESC || key == TK_F6 || key == 'q')
        st->mode = MODE_TABLE;
    st->dirty |= DIRTY_DRAW;
}

static ui_col column_at(const ui_state *st, int x)
{
    for (int c = COL_COUNT - 1; c >= 0; c--)
        if (x >= st->lay.col_x[c])
            return (ui_col)c;
    return COL_TID;
}

static void mouse_key(ui_state *st)
{
    int y, x;
    if (!term_mouse_click(&y, &x))
        return;
    if (st->mode == MODE_SORT) {
        int i = y - st->lay.table_y;
        if (i >= 0 && i < COL_COUNT) {
            set_sort(st, (ui_col)i);
            st->mode = MODE_TABLE;
        }
    } else if (y == st->lay.header_y) {
        ui_col c = column_at(st, x);
        if (c == st->sort_col) {
            st->sort_desc = !st->sort_desc;
            st->dirty |= DIRTY_ROWS;
        } else {
            set_sort(st, c);
        }
    } else if (y >= st->lay.table_y && y < st->lay.table_y + st->lay.table_h) {
        size_t i = st->top + (size_t)(y - st->lay.table_y);
        if (i < st->nrows)
            rows_select_index(st, i);
    }
    st->dirty |= DIRTY_DRAW;
}

static void escape_key(ui_state *st)
{
    if (st->pane != PANE_NONE) {
        toggle_pane(st, st->pane);
    } else if (st->filter[0]) {
        st->filter[0] = st->edit[0] = 0;
        st->dirty |= DIRTY_ROWS | DIRTY_DRAW;
    }
}

static void freeze_key(ui_state *st)
{
    if (st->opt->loaded) {
        snprintf(st->status, sizeof st->status, "a saved dump: nothing to resume");
        st->dirty |= DIRTY_DRAW;
        return;
    }
    st->frozen = !st->frozen;
    worker_freeze(st->worker, st->frozen);
    snprintf(st->status, sizeof st->status, "%s", st->frozen ? "frozen: Space resumes" : "");
    st->dirty |= DIRTY_DRAW;
}

/* Moving around and scrolling. True when the key was one of them. */
static bool motion_key(ui_state *st, int key)
{
    long page = st->lay.table_h > 1 ? st->lay.table_h - 1 : 1;
    switch (key) {
    case TK_UP: move_sel(st, -1); return true;
    case TK_DOWN: move_sel(st, 1); return true;
    case TK_PGUP: move_sel(st, -page); return true;
    case TK_PGDN: move_sel(st, page); return true;
    case TK_HOME: rows_select_index(st, 0); return true;
    case TK_END: rows_select_index(st, st->nrows ? st->nrows - 1 : 0); return true;
    case '[': st->pane_scroll = st->pane_scroll > 0 ? st->pane_scroll - 1 : 0; break;
    case ']': st->pane_scroll++; break;
    case TK_MOUSE: mouse_key(st); return true;
    default: return false;
    }
    st->dirty |= DIRTY_DRAW;
    return true;
}

static void sort_step(ui_state *st, int dir)
{
    int c = ((int)st->sort_col + dir + COL_COUNT) % COL_COUNT;
    set_sort(st, (ui_col)c);
}

/* Keys of the table (no menu or prompt open). */
static void table_key(ui_state *st, int key)
{
    switch (key) {
    case 'q': case TK_F10: st->quit = true; break;
    case TK_ENTER: toggle_pane(st, PANE_STACK); break;
    case TK_ESC: escape_key(st); break;
    case 's': toggle_pane(st, PANE_SHARED); break;
    case 'e': st->explain = !st->explain; break;
    case 'H': st->show_history = !st->show_history; break;
    case 'a': st->want_all_stacks = true; break;
    case '/': st->mode = MODE_FILTER; memcpy(st->edit, st->filter, sizeof st->edit); break;
    case TK_F6: st->mode = MODE_SORT; st->sort_menu = (int)st->sort_col; break;
    case '<': case ',': sort_step(st, -1); break;
    case '>': case '.': sort_step(st, 1); break;
    case 'I': st->sort_desc = !st->sort_desc; st->dirty |= DIRTY_ROWS; break;
    case TK_F5: case 't': st->tree = !st->tree; st->dirty |= DIRTY_ROWS; break;
    case 'g': st->grouped = !st->grouped; st->top = 0; st->dirty |= DIRTY_ROWS | DIRTY_REQUEST; break;
    case ' ':
        if (lesson_active(st))
            lesson_next(st);
        else
            freeze_key(st);
        break;
    case 'd': dump_write(st); break;
    case 'p': picture_key(st); break;
    case '?': case 'h': case TK_F1: st->mode = MODE_HELP; break;
    case 12: term_force_redraw(); break;
    default: break;
    }
    st->dirty |= DIRTY_DRAW;
}

void keys_handle(ui_state *st, int key)
{
    if (key == TK_RESIZE) {
        st->dirty |= DIRTY_DRAW;
        return;
    }
    switch (st->mode) {
    case MODE_HELP: st->mode = MODE_TABLE; st->dirty |= DIRTY_DRAW; return;
    case MODE_FILTER: filter_key(st, key); return;
    case MODE_SORT: if (key == TK_MOUSE) mouse_key(st); else sort_key(st, key); return;
    case MODE_TABLE: break;
    }
    if (!motion_key(st, key))
        table_key(st, key);
}
