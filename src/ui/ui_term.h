/* The terminal layer: the only code that talks to curses and so to the terminal. Views draw
 * through it; every string written by the target goes through term_target (escaped first). */
#ifndef THREADLENS_UI_TERM_H
#define THREADLENS_UI_TERM_H

#include <stdbool.h>

#include "threadlens/error.h"
#include "ui_theme.h"

/* Keys other than plain characters, independent of curses. */
enum {
    TK_NONE = -1,
    TK_UP = 0x10000, TK_DOWN, TK_LEFT, TK_RIGHT, TK_PGUP, TK_PGDN, TK_HOME, TK_END,
    TK_ENTER, TK_ESC, TK_BACKSPACE, TK_RESIZE, TK_MOUSE,
    TK_F1, TK_F2, TK_F3, TK_F4, TK_F5, TK_F6, TK_F7, TK_F8, TK_F9, TK_F10,
};

tl_status term_open(bool color, tl_error *err);
/* Restores the terminal; safe to call twice. */
void term_close(void);
bool term_is_open(void);
/* Gives the terminal back for a while (Ctrl-Z) and takes it again. */
void term_suspend(void);
void term_resume(void);

void term_size(int *rows, int *cols);
void term_begin(void);              /* start a frame: clears the drawing buffer */
void term_end(void);                /* send the frame's differences to the terminal */
void term_force_redraw(void);       /* next term_end repaints everything (Ctrl-L) */

/* Fills w cells of line y from x with spaces in role's attribute. */
void term_fill(int y, int x, int w, ui_role role);
/* Draws our own (trusted) text clipped to w columns; returns the columns used. */
int term_text(int y, int x, int w, ui_role role, const char *text);
/* Draws target-written text: escaped (escape_terminal), then clipped to w columns. */
int term_target(int y, int x, int w, ui_role role, const char *raw);

/* The next key, or TK_NONE when none is waiting. Never blocks. */
int term_key(void);
/* After TK_MOUSE: where the button was pressed. False for other mouse events. */
bool term_mouse_click(int *y, int *x);

#endif
