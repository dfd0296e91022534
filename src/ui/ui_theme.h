/* Roles of what is drawn; the theme turns them into curses attributes (colour or monochrome). */
#ifndef THREADLENS_UI_THEME_H
#define THREADLENS_UI_THEME_H

#include <stdbool.h>

typedef enum ui_role {
    ROLE_NORMAL = 0,
    ROLE_TITLE,        /* top line */
    ROLE_HEADER,       /* column titles */
    ROLE_HEADER_SORT,  /* the sorted column's title */
    ROLE_SELECTED,     /* the selected row */
    ROLE_PROCESS,      /* a process row of the tree */
    ROLE_DEADLOCK,     /* a thread in a deadlock cycle */
    ROLE_BANNER,       /* the deadlock banner */
    ROLE_DIM,          /* secondary text, explanations */
    ROLE_KEY,          /* a key in the function bar */
    ROLE_KEYLABEL,     /* its label */
    ROLE_RUNNING,      /* state R */
    ROLE_DISK,         /* state D */
    ROLE_STATUS,       /* messages, the filter prompt */
    ROLE_PANE_TITLE,   /* title line of a pane */
    ROLE_STRIP,        /* the address-space strip */
    ROLE_STRIP_STACK,  /* a thread's stack on the strip */
    ROLE_STRIP_SEL,    /* the selected thread's stack on the strip */
    ROLE_COUNT
} ui_role;

/* Called once the terminal is up. color false: attributes only (bold, reverse, underline),
 * readable on a monochrome terminal. */
void theme_init(bool color);
/* The curses attribute of a role (an attr_t value). */
unsigned long theme_attr(ui_role role);
bool theme_has_color(void);

#endif
