#include "ui_theme.h"

#include <curses.h>

/* Colour pairs: one per role that has a colour. Monochrome attributes are the fallback. */
typedef struct theme_entry {
    short fg, bg;           /* -1: terminal default */
    attr_t color_extra;     /* added in colour mode */
    attr_t mono;            /* used without colour */
} theme_entry;

static const theme_entry entries[ROLE_COUNT] = {
    [ROLE_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
    [ROLE_TITLE] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [ROLE_HEADER] = {COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_BOLD | A_UNDERLINE},
    [ROLE_HEADER_SORT] = {COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD},
    [ROLE_SELECTED] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [ROLE_PROCESS] = {COLOR_CYAN, -1, A_BOLD, A_BOLD},
    [ROLE_DEADLOCK] = {COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [ROLE_BANNER] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
    [ROLE_DIM] = {COLOR_BLUE, -1, A_BOLD, A_DIM},
    [ROLE_KEY] = {-1, -1, A_BOLD, A_BOLD},
    [ROLE_KEYLABEL] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [ROLE_RUNNING] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
    [ROLE_DISK] = {COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [ROLE_STATUS] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [ROLE_PANE_TITLE] = {COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_REVERSE},
    [ROLE_STRIP] = {-1, -1, A_NORMAL, A_NORMAL},
    [ROLE_STRIP_STACK] = {COLOR_MAGENTA, -1, A_BOLD, A_BOLD},
    [ROLE_STRIP_SEL] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD},
};

static bool use_color;

void theme_init(bool color)
{
    use_color = color && has_colors() && start_color() == OK;
    if (!use_color)
        return;
    use_default_colors();
    for (int r = 1; r < ROLE_COUNT; r++)
        init_pair((short)r, entries[r].fg, entries[r].bg);
}

unsigned long theme_attr(ui_role role)
{
    if ((unsigned)role >= ROLE_COUNT)
        role = ROLE_NORMAL;
    if (!use_color)
        return entries[role].mono;
    if (role == ROLE_NORMAL)
        return A_NORMAL;
    return COLOR_PAIR(role) | entries[role].color_extra;
}

bool theme_has_color(void)
{
    return use_color;
}
