/* The threads of one process as markers right of its band: name, stack range (an arrow to the
 * stack mapping at its SP), PC (a dashed arrow into the code, with the function when known)
 * and what it waits on. Markers are placed next to their stacks, pushed apart to not overlap. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "picture_int.h"
#include "threadlens/java.h"

#define LINE_H 12.0
#define GAP 6.0

static const uint32_t palette[] = {0xc44e52, 0x8172b2, 0x2a9d8f, 0xccb974, 0x64b5cd, 0xe76f51,
                                   0x4c72b0, 0x55a868, 0x937860, 0xda8bc3};

typedef struct marker {
    const tl_thread *t;
    double want, y;
} marker;

static uint64_t thread_pc(const tl_thread *t)
{
    if (t->priv.valid && t->priv.source != TL_REGS_NONE)
        return t->priv.pc;
    if (t->regs_valid)
        return t->pc;
    return t->nframes ? t->frames[0].pc : 0;
}

static int by_want(const void *pa, const void *pb)
{
    const marker *a = pa, *b = pb;
    return a->want < b->want ? -1 : a->want > b->want;
}

static size_t nmarkers(const pic_column *col)
{
    return col->proc->nthreads < PIC_MAX_MARKERS ? col->proc->nthreads : PIC_MAX_MARKERS;
}

/* Wanted y (middle of the marker at the thread's SP), then pushed down past the previous one. */
static marker *place(const pic_column *col, size_t n)
{
    marker *m = calloc(n ? n : 1, sizeof *m);
    if (!m)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const tl_thread *t = &col->proc->threads[i];
        const tl_private *pv = &t->priv;
        double y = -1;
        if (pv->valid && pv->stack_known)
            y = layout_y_of(col, pv->source != TL_REGS_NONE && pv->sp ? pv->sp : pv->stack_end - 1);
        m[i] = (marker){.t = t, .want = y < 0 ? col->band_h + 1e6 + (double)i : y - PIC_MARK_H / 2};
    }
    qsort(m, n, sizeof *m, by_want);
    double next = 0;
    for (size_t i = 0; i < n; i++) {
        m[i].y = m[i].want > next ? m[i].want : next;
        if (m[i].want > col->band_h + 1e5)
            m[i].y = next;
        next = m[i].y + PIC_MARK_H + GAP;
    }
    return m;
}

double threads_height(const pic_column *col)
{
    marker *m = place(col, nmarkers(col));
    size_t n = nmarkers(col);
    double h = m && n ? m[n - 1].y + PIC_MARK_H : 0;
    free(m);
    return h + (col->proc->nthreads > n ? 2 * LINE_H : 0);
}

static void arrow(cairo_t *cr, double x1, double y1, double x2, double y2, bool dashed)
{
    double mx = (x1 + x2) / 2;
    cairo_save(cr);
    cairo_set_line_width(cr, 1.3);
    if (dashed) {
        static const double dash[] = {4.0, 3.0};
        cairo_set_dash(cr, dash, 2, 0);
    }
    cairo_move_to(cr, x1, y1);
    cairo_curve_to(cr, mx, y1, mx, y2, x2 + 6, y2);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_move_to(cr, x2, y2);   /* the head points left, into the band */
    cairo_line_to(cr, x2 + 7, y2 - 3.5);
    cairo_line_to(cr, x2 + 7, y2 + 3.5);
    cairo_close_path(cr);
    cairo_fill(cr);
    cairo_restore(cr);
}

/* A square of one exact colour, on whole pixels, without antialiasing (counted by the tests). */
static void marker_square(cairo_t *cr, double x, double y)
{
    cairo_save(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    draw_rgb(cr, PIC_MARKER_RGB, 1.0);
    cairo_rectangle(cr, floor(x), floor(y), 10, 10);
    cairo_fill(cr);
    cairo_restore(cr);
}

static void line_stack(const tl_thread *t, char *buf, size_t cap)
{
    const tl_private *pv = &t->priv;
    char a[32], b[32];
    if (!pv->valid || !pv->stack_known) {
        snprintf(buf, cap, "stack: unknown (running: no SP without its registers)");
        return;
    }
    if (pv->source != TL_REGS_NONE)
        snprintf(buf, cap, "stack 0x%" PRIx64 "-0x%" PRIx64 ": %s used of %s", pv->stack_start,
                 pv->stack_end, draw_human(pv->stack_used, a), draw_human(pv->stack_end - pv->stack_start, b));
    else
        snprintf(buf, cap, "stack 0x%" PRIx64 "-0x%" PRIx64 ": %s reserved", pv->stack_start,
                 pv->stack_end, draw_human(pv->stack_end - pv->stack_start, b));
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s && s[1] ? s + 1 : path;
}

/* The first named frame outside frame 0's module (a libc wrapper's caller in the program). */
static const tl_frame *first_caller_elsewhere(const tl_thread *t)
{
    const char *m0 = t->frames[0].module;
    for (size_t i = 1; i < t->nframes && m0; i++) {
        const tl_frame *f = &t->frames[i];
        if (f->function && f->module && strcmp(f->module, m0) != 0)
            return f;
    }
    return NULL;
}

static void line_pc(const tl_thread *t, char *buf, size_t cap)
{
    uint64_t pc = thread_pc(t);
    if (!pc) {
        snprintf(buf, cap, "pc: unknown");
        return;
    }
    const tl_frame *f = t->nframes ? &t->frames[0] : NULL;
    if (!f || !f->function) {
        snprintf(buf, cap, "pc 0x%" PRIx64, pc);
        return;
    }
    int n = snprintf(buf, cap, "pc 0x%" PRIx64 " in %s+0x%" PRIx64 " (%s)", pc, f->function, f->offset,
                     f->module ? base_name(f->module) : "?");
    const tl_frame *caller = first_caller_elsewhere(t);   /* the thread's own code, for people */
    if (caller && n > 0 && (size_t)n < cap)
        snprintf(buf + n, cap - (size_t)n, ", called from %s (%s)", caller->function, base_name(caller->module));
}

static void line_wait(const tl_thread *t, char *buf, size_t cap)
{
    if (t->wait.kind != TL_WAIT_NONE && t->wait.description)
        snprintf(buf, cap, "waits on: %s", t->wait.description);
    else if (t->java && t->java->state)
        snprintf(buf, cap, "%s: %s", model_state_word(t->state), t->java->state);
    else
        snprintf(buf, cap, "%s%s%s", model_state_word(t->state), t->wchan && *t->wchan ? " in " : "",
                 t->wchan && *t->wchan ? t->wchan : "");
}

static void line_name(const tl_thread *t, char *buf, size_t cap)
{
    if (t->java && t->java->name)
        snprintf(buf, cap, "\"%s\" (Java; native \"%s\") tid %d", t->java->name, t->name ? t->name : "", t->tid);
    else
        snprintf(buf, cap, "\"%s\" tid %d", t->name ? t->name : "", t->tid);
}

static void draw_marker(pic_ctx *c, const pic_column *col, const marker *m, uint32_t rgb, double x0, double y0)
{
    cairo_t *cr = c->cr;
    const tl_thread *t = m->t;
    double mx = x0 + PIC_MARK_X, my = y0 + m->y;
    double band_right = x0 + band_x() + PIC_BAND_W;
    char text[700];
    draw_rgb(cr, rgb, 1.0);
    const tl_private *pv = &t->priv;
    if (pv->valid && pv->stack_known) {
        double ys = layout_y_of(col, pv->source != TL_REGS_NONE && pv->sp ? pv->sp : pv->stack_end - 1);
        if (ys >= 0)
            arrow(cr, mx - 4, my + 6, band_right + 2, y0 + ys, false);
    }
    uint64_t pc = thread_pc(t);
    double yp = pc ? layout_y_of(col, pc) : -1;
    if (yp >= 0)
        arrow(cr, mx - 4, my + 6 + 2 * LINE_H, band_right + 2, y0 + yp, true);
    draw_rgb(cr, rgb, 1.0);
    cairo_rectangle(cr, mx - 4, my, 3, PIC_MARK_H - 2);
    cairo_fill(cr);
    marker_square(cr, mx + 2, my + 1);
    line_name(t, text, sizeof text);
    draw_text(c, mx + 16, my, 10.5, true, 0x101010, "thread", t->tid, text);
    line_stack(t, text, sizeof text);
    draw_text(c, mx + 2, my + LINE_H, 9.5, false, 0x303030, "thread-stack", t->tid, text);
    line_pc(t, text, sizeof text);
    draw_text(c, mx + 2, my + 2 * LINE_H, 9.5, false, 0x303030, "thread-pc", t->tid, text);
    line_wait(t, text, sizeof text);
    draw_text(c, mx + 2, my + 3 * LINE_H, 9.5, false, 0x303030, "thread-wait", t->tid, text);
}

double threads_draw(pic_ctx *c, const pic_column *col, double x0, double y0)
{
    size_t n = nmarkers(col);
    marker *m = place(col, n);
    c->text_w = PIC_MARK_W - 20;
    if (!m) {
        c->oom = true;
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        draw_marker(c, col, &m[i], palette[i % (sizeof palette / sizeof palette[0])], x0, y0);
    c->stats.threads += n;
    double h = n ? m[n - 1].y + PIC_MARK_H : 0;
    if (col->proc->nthreads > n) {
        char text[96];
        snprintf(text, sizeof text, "... and %zu more threads (not drawn)", col->proc->nthreads - n);
        draw_text(c, x0 + PIC_MARK_X, y0 + h + 4, 10, true, 0x101010, "note", 0, text);
        h += 2 * LINE_H;
    }
    free(m);
    return h;
}
