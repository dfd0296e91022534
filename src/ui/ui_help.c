/* Help (? or F1), the F6 sort menu and the function-key bar at the bottom. */
#include <stdio.h>
#include <string.h>

#include "ui_state.h"
#include "ui_term.h"

typedef struct key_help {
    const char *keys;
    const char *what;
} key_help;

static const key_help keys[] = {
    {"Up/Down PgUp/PgDn Home/End", "move the selection (it follows its thread across refreshes)"},
    {"mouse click", "select a row; a click on a column title sorts by it"},
    {"Enter", "open/close the stack pane of the selected thread (re-taken every refresh)"},
    {"Esc", "close the open pane; else clear the filter"},
    {"s", "open/close the shared-vs-private pane (memory map, fds, signals; own stack, regs)"},
    {"e", "show/hide one-line explanations in the shared-vs-private pane"},
    {"a", "take every thread's stack now (then the view freezes: Space resumes)"},
    {"[ ]", "scroll the open pane"},
    {"/", "filter by thread name: type, Enter applies, Esc clears"},
    {"F6", "choose the sort column (Up/Down, Enter; Esc cancels)"},
    {"< >", "sort by the previous/next column"},
    {"I", "invert the sort order"},
    {"F5 t", "tree (threads under their process) / flat list"},
    {"Space", "freeze/unfreeze the display (sampling pauses)"},
    {"d", "write the current dump (text) to a file; the status line says where"},
    {"Ctrl-L", "redraw the screen"},
    {"? F1 h", "this help (any key closes it)"},
    {"q F10", "quit (also Ctrl-C); the target keeps running"},
};

void ui_print_keys(void (*emit)(const char *line, void *ctx), void *ctx)
{
    char line[160];
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        snprintf(line, sizeof line, "  %-26s %s", keys[i].keys, keys[i].what);
        emit(line, ctx);
    }
}

void help_draw(ui_state *st)
{
    int W = st->lay.cols, H = st->lay.rows;
    term_fill(0, 0, W, ROLE_TITLE);
    term_text(0, 0, W, ROLE_TITLE, " threadlens top: keys (any key closes this help)");
    int y = 2;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0] && y < H - 3; i++, y++) {
        int x = 1 + term_text(y, 1, 27, ROLE_KEY, keys[i].keys);
        x = x < 28 ? 28 : x;
        term_text(y, x, W - x, ROLE_NORMAL, keys[i].what);
    }
    y++;
    term_text(y++, 1, W - 1, ROLE_DIM, "Marks: ! thread in a deadlock cycle, * its stack was taken.  Columns: F6 lists them.");
    term_text(y, 1, W - 1, ROLE_DIM, "Colours are off with NO_COLOR or --no-color; -d SECONDS sets the refresh.");
}

void sort_menu_draw(ui_state *st)
{
    int y = st->lay.table_y, w = 40 < st->lay.cols ? 40 : st->lay.cols;
    term_fill(y - 1, 0, w, ROLE_PANE_TITLE);
    term_text(y - 1, 0, w, ROLE_PANE_TITLE, " Sort by (Enter, Esc cancels)");
    for (int c = 0; c < COL_COUNT && c < st->lay.table_h; c++) {
        ui_role role = c == st->sort_menu ? ROLE_SELECTED : ROLE_NORMAL;
        term_fill(y + c, 0, w, role);
        term_text(y + c, 1, w - 1, role, columns_long_name((ui_col)c));
    }
}

typedef struct bar_item {
    const char *key, *label;
} bar_item;

static const bar_item bar[] = {
    {"F1", "Help"}, {"Enter", "Stack"}, {"s", "Shared"}, {"/", "Filter"}, {"F5", "Tree"},
    {"F6", "Sort"}, {"Spc", "Freeze"}, {"a", "AllStk"}, {"d", "Dump"}, {"F10", "Quit"},
};

void bar_draw(ui_state *st)
{
    int y = st->lay.rows - 1, x = 0, W = st->lay.cols;
    for (size_t i = 0; i < sizeof bar / sizeof bar[0] && x < W; i++) {
        x += term_text(y, x, W - x, ROLE_KEY, bar[i].key);
        x += term_text(y, x, W - x, ROLE_KEYLABEL, bar[i].label);
        x += term_text(y, x, W - x, ROLE_NORMAL, " ");
    }
    y--;
    if (st->mode == MODE_FILTER) {
        int used = term_text(y, 0, W, ROLE_STATUS, "Filter (Enter applies, Esc clears): ");
        used += term_target(y, used, W - used, ROLE_NORMAL, st->edit);
        term_text(y, used, 1, ROLE_SELECTED, " ");
    } else if (st->status[0]) {
        term_target(y, 0, W, ROLE_STATUS, st->status);
    }
}
