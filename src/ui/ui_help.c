/* Help (? or F1), the F6 sort menu and the function-key bar at the bottom. */
#include <stdio.h>
#include <string.h>

#include "ui_state.h"
#include "ui_term.h"

#define HELP_KEY_W 19   /* the key column; descriptions fit in 80 columns after it */

typedef struct key_help {
    const char *keys;
    const char *what;
} key_help;

static const key_help keys[] = {
    {"Up Down", "move the selection (it follows its thread)"},
    {"PgUp PgDn Home End", "move by pages, to the first or last row"},
    {"mouse click", "select a row; on a column title: sort by it"},
    {"Enter", "open/close the selected thread's stack pane"},
    {"Esc", "close the pane; with none open, clear the filter"},
    {"s", "open/close the shared-vs-private pane"},
    {"e", "show/hide explanations in the shared pane"},
    {"a", "take every thread's stack now, then freeze"},
    {"[ ]", "scroll the open pane"},
    {"/", "filter by name: type, Enter applies (selects the first match), Esc clears"},
    {"F6", "choose the sort column (Enter; Esc cancels)"},
    {"< >", "sort by the previous/next column"},
    {"I", "invert the sort order"},
    {"F5 t", "tree (threads under their process) or flat"},
    {"g", "group threads: one row per stack (or state+wait)"},
    {"H", "show/hide the state history: the last 20 refreshes (R S L I D, . not there)"},
    {"Space", "freeze/unfreeze (sampling pauses)"},
    {"d", "write a text dump to a file (the status says where)"},
    {"p", "draw the selected process's picture (SVG file; the status says where)"},
    {"Ctrl-L", "redraw the screen"},
    {"? F1 h", "this help (any key closes it)"},
    {"q F10", "quit (also Ctrl-C); the target keeps running"},
};

void ui_print_keys(void (*emit)(const char *line, void *ctx), void *ctx)
{
    char line[160];
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        snprintf(line, sizeof line, "  %-*s %s", HELP_KEY_W, keys[i].keys, keys[i].what);
        emit(line, ctx);
    }
}

void help_draw(ui_state *st)
{
    int W = st->lay.cols, H = st->lay.rows;
    term_fill(0, 0, W, ROLE_TITLE);
    term_text(0, 0, W, ROLE_TITLE, " threadlens top: keys (any key closes this help)");
    int y = 2;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0] && y < H - 2; i++, y++) {
        term_text(y, 1, HELP_KEY_W, ROLE_KEY, keys[i].keys);
        term_text(y, HELP_KEY_W + 2, W - HELP_KEY_W - 2, ROLE_NORMAL, keys[i].what);
    }
    term_text(y++, 1, W - 1, ROLE_DIM, "Marks: ! in a deadlock cycle, * stack taken. F6 lists the columns.");
    term_text(y, 1, W - 1, ROLE_DIM, "No colours: NO_COLOR or --no-color. Refresh: -d SECONDS.");
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
    {"F1", "Help"}, {"Enter", "Stack"}, {"s", "Shared"}, {"/", "Filter"}, {"F5", "Tree"}, {"g", "Group"},
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
