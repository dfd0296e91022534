/* The table's columns: titles, widths for the screen width, cell text, sort order. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ui_state.h"

#define NAME_W_NARROW 20       /* a thread name is at most 15 bytes, plus the tree */
#define NAME_W_MAX 40
#define WAIT_W_MIN 8

typedef struct coldef {
    const char *title;
    const char *long_name;     /* for the F6 menu */
    int width;                 /* 0: computed */
    bool right;                /* right-aligned numbers */
} coldef;

static const coldef cols[COL_COUNT] = {
    [COL_TID] = {"TID", "TID (thread id)", 7, true},
    [COL_NAME] = {"NAME", "NAME (thread name)", 0, false},
    [COL_STATE] = {"S", "S (state)", 1, false},
    [COL_CPU] = {"CPU%", "CPU% (of one CPU)", 5, true},
    [COL_USER] = {"USER", "USER (user time)", 7, true},
    [COL_SYS] = {"SYS", "SYS (system time)", 7, true},
    [COL_CSW] = {"CSW/s", "CSW/s (context switches per second)", 6, true},
    [COL_LASTCPU] = {"CPU", "CPU (last CPU it ran on)", 3, true},
    [COL_PRIO] = {"PRI", "PRI (priority)", 3, true},
    [COL_WAIT] = {"WAITING ON", "WAITING ON (or wchan)", 0, false},
};

const char *columns_title(ui_col c)
{
    return cols[c].title;
}

const char *columns_long_name(ui_col c)
{
    return cols[c].long_name;
}

void columns_layout(ui_layout *lay)
{
    int name_w = NAME_W_NARROW;
    if (lay->cols >= 120)
        name_w = NAME_W_NARROW + (lay->cols - 120) / 8 + 8;
    if (name_w > NAME_W_MAX)
        name_w = NAME_W_MAX;
    int x = 1;   /* column 0: the mark (deadlock, stack taken) */
    for (int c = 0; c < COL_COUNT; c++) {
        int w = cols[c].width ? cols[c].width : name_w;
        if (c == COL_WAIT)
            w = lay->cols - x > WAIT_W_MIN ? lay->cols - x : WAIT_W_MIN;
        lay->col_x[c] = x;
        lay->col_w[c] = w;
        x += w + 1;
    }
}

/* At most 7 columns: 9:59.99, 59:59.9, 99h59m, then days. */
void columns_format_time(uint64_t ms, char *buf, size_t cap)
{
    uint64_t minutes = ms / 60000, secs = (ms / 1000) % 60;
    if (minutes < 10)
        snprintf(buf, cap, "%" PRIu64 ":%02" PRIu64 ".%02" PRIu64, minutes, secs, (ms / 10) % 100);
    else if (minutes < 60)
        snprintf(buf, cap, "%" PRIu64 ":%02" PRIu64 ".%" PRIu64, minutes, secs, (ms / 100) % 10);
    else if (minutes < 100 * 60)
        snprintf(buf, cap, "%" PRIu64 "h%02" PRIu64 "m", minutes / 60, minutes % 60);
    else
        snprintf(buf, cap, "%" PRIu64 "d%02" PRIu64 "h", minutes / 1440, (minutes / 60) % 24);
}

void columns_format_size(uint64_t bytes, char *buf, size_t cap)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)bytes;
    size_t u = 0;
    while (v >= 1024 && u + 1 < sizeof units / sizeof units[0])
        v /= 1024, u++;
    snprintf(buf, cap, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

static bool has_text(const char *s)
{
    return s && *s && strcmp(s, "0") != 0;
}

const char *columns_wait_text(const tl_thread *t, char *buf, size_t cap)
{
    const tl_wait *w = &t->wait;
    if (w->kind != TL_WAIT_NONE && has_text(w->description))
        return w->description;
    if (w->kind != TL_WAIT_NONE) {
        if (w->owner_tid)
            snprintf(buf, cap, "%s held by tid %d", model_wait_kind_name(w->kind), w->owner_tid);
        else
            snprintf(buf, cap, "%s", model_wait_kind_name(w->kind));
        return buf;
    }
    if (has_text(t->wchan))
        return t->wchan;
    if (t->syscall.valid && !t->syscall.running && t->syscall.name[0])
        return t->syscall.name;
    return t->state == 'R' ? "(running)" : "-";
}

static void format_rate(double v, char *buf, size_t cap)
{
    if (v >= 100000)
        snprintf(buf, cap, "%.0fk", v / 1000);
    else
        snprintf(buf, cap, "%.0f", v);
}

void columns_cell(const ui_row *r, ui_col c, char *buf, size_t cap, bool *target)
{
    const tl_thread *t = r->thread;
    *target = false;
    double cpu = r->rate ? r->rate->cpu : 0, csw = r->rate ? r->rate->csw : 0;
    switch (c) {
    case COL_TID: snprintf(buf, cap, "%d", t->tid); break;
    case COL_NAME: snprintf(buf, cap, "%s", t->name ? t->name : "?"); *target = true; break;
    case COL_STATE: snprintf(buf, cap, "%c", t->state ? t->state : '?'); break;
    case COL_CPU: snprintf(buf, cap, "%.1f", cpu); break;
    case COL_USER: columns_format_time(t->cpu_user_ms, buf, cap); break;
    case COL_SYS: columns_format_time(t->cpu_system_ms, buf, cap); break;
    case COL_CSW: format_rate(csw, buf, cap); break;
    case COL_LASTCPU: snprintf(buf, cap, "%d", t->last_cpu); break;
    case COL_PRIO: snprintf(buf, cap, "%d", t->priority); break;
    case COL_WAIT: {
        char tmp[160];
        snprintf(buf, cap, "%s", columns_wait_text(t, tmp, sizeof tmp));
        *target = true;
        break;
    }
    default: buf[0] = 0; break;
    }
}

static int cmp_num(double a, double b)
{
    return (a > b) - (a < b);
}

static int cmp_text(const char *a, const char *b)
{
    return strcasecmp(a ? a : "", b ? b : "");
}

int columns_compare(const ui_row *a, const ui_row *b, ui_col c)
{
    const tl_thread *x = a->thread, *y = b->thread;
    char bx[160], by[160];
    switch (c) {
    case COL_TID: return cmp_num(x->tid, y->tid);
    case COL_NAME: return cmp_text(x->name, y->name);
    case COL_STATE: return cmp_num(x->state, y->state);
    case COL_CPU: return cmp_num(a->rate ? a->rate->cpu : 0, b->rate ? b->rate->cpu : 0);
    case COL_USER: return cmp_num((double)x->cpu_user_ms, (double)y->cpu_user_ms);
    case COL_SYS: return cmp_num((double)x->cpu_system_ms, (double)y->cpu_system_ms);
    case COL_CSW: return cmp_num(a->rate ? a->rate->csw : 0, b->rate ? b->rate->csw : 0);
    case COL_LASTCPU: return cmp_num(x->last_cpu, y->last_cpu);
    case COL_PRIO: return cmp_num(x->priority, y->priority);
    case COL_WAIT: return cmp_text(columns_wait_text(x, bx, sizeof bx), columns_wait_text(y, by, sizeof by));
    default: return 0;
    }
}

bool columns_right_aligned(ui_col c)
{
    return cols[c].right;
}
