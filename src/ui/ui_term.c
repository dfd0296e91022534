#include "ui_term.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "threadlens/escape.h"

#define TERM_LINE_MAX 4096      /* bytes of one drawn string (the widest line is far less) */
#define TERM_ESC_DELAY_MS 25    /* how long curses waits to tell Esc from an escape sequence */

static SCREEN *screen;
static bool is_open;

tl_status term_open(bool color, tl_error *err)
{
    const char *term = getenv("TERM");
    screen = newterm(term && *term ? term : "xterm", stdout, stdin);
    if (!screen)
        return tl_error_set(err, TL_EINVAL, "cannot start the terminal (TERM=%s); run threadlens top in a "
                            "terminal, or use threadlens dump", term ? term : "unset");
    set_term(screen);
    is_open = true;
    set_escdelay(TERM_ESC_DELAY_MS);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED, NULL);
    mouseinterval(0);
    theme_init(color);
    return TL_OK;
}

void term_close(void)
{
    if (!is_open)
        return;
    is_open = false;
    curs_set(1);
    endwin();
    fflush(stdout);
    delscreen(screen);
    screen = NULL;
}

void term_suspend(void)
{
    if (is_open)
        endwin();
}

void term_resume(void)
{
    if (!is_open)
        return;
    clearok(curscr, TRUE);
    doupdate();
}

bool term_is_open(void)
{
    return is_open;
}

void term_size(int *rows, int *cols)
{
    getmaxyx(stdscr, *rows, *cols);
}

void term_begin(void)
{
    werase(stdscr);
}

void term_end(void)
{
    wnoutrefresh(stdscr);
    doupdate();
}

void term_force_redraw(void)
{
    clearok(curscr, TRUE);
}

void term_fill(int y, int x, int w, ui_role role)
{
    int rows, cols;
    term_size(&rows, &cols);
    if (y < 0 || y >= rows || x < 0 || x >= cols || w <= 0)
        return;
    if (w > cols - x)
        w = cols - x;
    attr_t a = (attr_t)theme_attr(role);
    mvwhline(stdscr, y, x, ' ' | a, w);
}

/* Converts the UTF-8 text to wide characters that fit in w columns; returns their count.
 * A byte that is not valid in the current locale is drawn as '?'. */
static int clip_wide(const char *text, int w, wchar_t *out, int cap, int *used)
{
    mbstate_t ms;
    memset(&ms, 0, sizeof ms);
    int n = 0, cols = 0;
    size_t left = strlen(text);
    while (*text && n < cap) {
        wchar_t wc;
        size_t len = mbrtowc(&wc, text, left, &ms);
        if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
            memset(&ms, 0, sizeof ms);
            wc = L'?';
            len = 1;
        }
        int cw = wcwidth(wc);
        if (cw < 0)
            wc = L'?', cw = 1;
        if (cols + cw > w)
            break;
        out[n++] = wc;
        cols += cw;
        text += len;
        left -= len;
    }
    *used = cols;
    return n;
}

int term_text(int y, int x, int w, ui_role role, const char *text)
{
    int rows, cols;
    term_size(&rows, &cols);
    if (!text || y < 0 || y >= rows || x < 0 || x >= cols || w <= 0)
        return 0;
    if (w > cols - x)
        w = cols - x;
    static wchar_t wide[TERM_LINE_MAX];
    int used;
    int n = clip_wide(text, w, wide, TERM_LINE_MAX, &used);
    attr_t a = (attr_t)theme_attr(role);
    wattr_on(stdscr, a, NULL);
    mvwaddnwstr(stdscr, y, x, wide, n);
    wattr_off(stdscr, a, NULL);
    return used;
}

int term_target(int y, int x, int w, ui_role role, const char *raw)
{
    static char safe[TERM_LINE_MAX];
    escape_terminal(raw, safe, sizeof safe);
    return term_text(y, x, w, role, safe);
}

static int map_function_key(int ch)
{
    for (int i = 1; i <= 10; i++)
        if (ch == KEY_F(i))
            return TK_F1 + i - 1;
    return TK_NONE;
}

static int map_key(int ch)
{
    switch (ch) {
    case KEY_UP: return TK_UP;
    case KEY_DOWN: return TK_DOWN;
    case KEY_LEFT: return TK_LEFT;
    case KEY_RIGHT: return TK_RIGHT;
    case KEY_PPAGE: return TK_PGUP;
    case KEY_NPAGE: return TK_PGDN;
    case KEY_HOME: return TK_HOME;
    case KEY_END: return TK_END;
    case KEY_ENTER: case '\r': case '\n': return TK_ENTER;
    case 27: return TK_ESC;
    case KEY_BACKSPACE: case 127: case 8: return TK_BACKSPACE;
    case KEY_RESIZE: return TK_RESIZE;
    case KEY_MOUSE: return TK_MOUSE;
    default: break;
    }
    int f = map_function_key(ch);
    if (f != TK_NONE)
        return f;
    return ch >= 0 && ch < 256 ? ch : TK_NONE;
}

int term_key(void)
{
    for (int tries = 0; tries < 64; tries++) {   /* skip keys we do not know */
        int ch = wgetch(stdscr);
        if (ch == ERR)
            return TK_NONE;
        int k = map_key(ch);
        if (k != TK_NONE)
            return k;
    }
    return TK_NONE;
}

bool term_mouse_click(int *y, int *x)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return false;
    if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
        return false;
    *y = ev.y;
    *x = ev.x;
    return true;
}
