/* The picture as a whole: one column per process of the tree (a fork child beside its parent),
 * a title, then the chosen cairo surface (SVG with its text layer, PNG, PDF) written to a fd. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "picture_int.h"
#include "threadlens/escape.h"

#define TITLE_H 60.0
#define PNG_MAX_PIXELS 40e6   /* a bigger page is scaled down (an image surface of 1 GiB helps nobody) */

/* Where cairo's stream output goes: a fd, or memory (the SVG, which gets its text layer first). */
typedef struct sink {
    int fd;
    int err;                  /* errno of the first failed write */
    char *mem;
    size_t len, cap;
    bool to_mem, oom;
} sink;

static bool write_all(int fd, const char *p, size_t n, int *err)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            *err = w < 0 ? errno : EIO;
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int n)
{
    sink *s = closure;
    if (!s->to_mem)
        return write_all(s->fd, (const char *)data, n, &s->err) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
    if (s->len + n + 1 > s->cap) {
        size_t cap = (s->len + n + 1) * 2;
        char *m = realloc(s->mem, cap);
        if (!m) {
            s->oom = true;
            return CAIRO_STATUS_NO_MEMORY;
        }
        s->mem = m;
        s->cap = cap;
    }
    memcpy(s->mem + s->len, data, n);
    s->len += n;
    s->mem[s->len] = '\0';
    return CAIRO_STATUS_SUCCESS;
}

typedef struct page {
    pic_column cols[PIC_MAX_COLUMNS];
    size_t ncols;
    size_t nprocs_drawable;       /* more than ncols: the rest are not drawn (the title says so) */
    double body_h, legend_h, w, h;
} page;

static bool drawable(const tl_process *p)
{
    return !p->kernel_thread && !p->zombie;
}

static bool page_layout(page *pg, const tl_snapshot *snap)
{
    for (size_t i = 0; i < snap->nprocs && pg->ncols < PIC_MAX_COLUMNS; i++) {
        if (!drawable(&snap->procs[i]))
            continue;
        pic_column *col = &pg->cols[pg->ncols];
        if (!layout_column(col, &snap->procs[i]))
            return false;
        pg->ncols++;
        double th = threads_height(col);
        double body = col->band_h > th ? col->band_h : th;
        if (body > pg->body_h)
            pg->body_h = body;
        double lh = legend_height(col->proc);
        if (lh > pg->legend_h)
            pg->legend_h = lh;
    }
    for (size_t i = 0; i < snap->nprocs; i++)
        pg->nprocs_drawable += drawable(&snap->procs[i]);
    pg->w = 2 * PIC_MARGIN + (double)pg->ncols * PIC_COL_W;
    pg->h = 2 * PIC_MARGIN + TITLE_H + PIC_HEADER_H + pg->body_h + 36 + pg->legend_h;
    return true;
}

static void page_free(page *pg)
{
    for (size_t i = 0; i < pg->ncols; i++)
        layout_free(&pg->cols[i]);
}

static void title_text(const tl_snapshot *snap, const page *pg, char *buf, size_t cap)
{
    time_t t = (time_t)(snap->taken_unix_ms / 1000);
    struct tm tm;
    char when[40];
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    const tl_process *root = &snap->procs[0];
    char name[200];
    escape_terminal(root->name, name, sizeof name);   /* the title goes into the XML as is */
    char more[64] = "";
    if (pg->nprocs_drawable > pg->ncols)
        snprintf(more, sizeof more, " (%zu more processes not drawn)", pg->nprocs_drawable - pg->ncols);
    snprintf(buf, cap, "threadlens picture of process %d \"%s\"%s%s, %s: threads share one address "
             "space; processes each have their own", root->pid, name,
             pg->ncols > 1 ? " and its children" : "", more, when);
}

/* An arrow from the parent's column to the child's above their headers: "fork()". */
static void fork_arrow(pic_ctx *c, const page *pg, size_t child, double top)
{
    const tl_process *p = pg->cols[child].proc;
    for (size_t j = 0; j < child; j++) {
        if (pg->cols[j].proc->pid != p->ppid)
            continue;
        double x1 = PIC_MARGIN + (double)j * PIC_COL_W + 300, x2 = PIC_MARGIN + (double)child * PIC_COL_W + 40;
        double y = top - 10;
        cairo_t *cr = c->cr;
        draw_rgb(cr, 0x505050, 1.0);
        cairo_set_line_width(cr, 1.5);
        cairo_move_to(cr, x1, y);
        cairo_line_to(cr, x2 - 8, y);
        cairo_stroke(cr);
        cairo_move_to(cr, x2, y);
        cairo_line_to(cr, x2 - 9, y - 4.5);
        cairo_line_to(cr, x2 - 9, y + 4.5);
        cairo_close_path(cr);
        cairo_fill(cr);
        char text[160];
        snprintf(text, sizeof text, "fork(): %d gets a copy of %d's address space (then its own memory)", p->pid, p->ppid);
        c->text_w = 0;
        draw_text(c, x1 + 10, y - 16, 11, false, 0x404040, "fork", 0, text);
        return;
    }
}

static void page_draw(pic_ctx *c, const page *pg, const tl_snapshot *snap, const char *title)
{
    cairo_t *cr = c->cr;
    draw_rgb(cr, 0xffffff, 1.0);
    cairo_paint(cr);
    c->text_w = 0;
    draw_text(c, PIC_MARGIN, PIC_MARGIN, 16, true, 0x101010, "title", 0, title);
    double top = PIC_MARGIN + TITLE_H;
    for (size_t i = 0; i < pg->ncols; i++) {
        const pic_column *col = &pg->cols[i];
        double x0 = PIC_MARGIN + (double)i * PIC_COL_W;
        size_t pi = (size_t)(col->proc - snap->procs);
        header_draw(c, snap, pi, col, x0, top);
        double y0 = top + PIC_HEADER_H;
        band_draw(c, col, x0, y0);
        threads_draw(c, col, x0, y0);
        legend_draw(c, col->proc, x0, y0 + pg->body_h + 30);
        if (i)
            fork_arrow(c, pg, i, top);
        if (i) {   /* a divider: a different address space begins */
            draw_rgb(cr, 0x909090, 1.0);
            cairo_set_line_width(cr, 1.0);
            cairo_move_to(cr, x0 - 12, top);
            cairo_line_to(cr, x0 - 12, pg->h - PIC_MARGIN);
            cairo_stroke(cr);
        }
        c->stats.processes++;
        c->stats.regions += col->proc->shared.nregions;
        c->stats.folded += col->nfolded;
    }
}

static cairo_surface_t *make_surface(picture_format f, sink *s, const page *pg, double *scale)
{
    *scale = 1.0;
    if (f == PICTURE_SVG) {
        cairo_surface_t *sf = cairo_svg_surface_create_for_stream(sink_write, s, pg->w, pg->h);
        cairo_svg_surface_set_document_unit(sf, CAIRO_SVG_UNIT_PX);
        return sf;
    }
    if (f == PICTURE_PDF)
        return cairo_pdf_surface_create_for_stream(sink_write, s, pg->w, pg->h);
    if (pg->w * pg->h > PNG_MAX_PIXELS)
        *scale = sqrt(PNG_MAX_PIXELS / (pg->w * pg->h));
    return cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(pg->w * *scale), (int)ceil(pg->h * *scale));
}

static tl_status finish(picture_format f, cairo_surface_t *sf, sink *s, const pic_ctx *c,
                        const char *title, tl_error *err)
{
    cairo_status_t cst = CAIRO_STATUS_SUCCESS;
    if (f == PICTURE_PNG)
        cst = cairo_surface_write_to_png_stream(sf, sink_write, s);
    cairo_surface_finish(sf);
    if (cst == CAIRO_STATUS_SUCCESS)
        cst = cairo_surface_status(sf);
    if (s->oom || c->oom)
        return tl_error_set(err, TL_ENOMEM, "out of memory while drawing the picture");
    if (cst != CAIRO_STATUS_SUCCESS || s->err)
        return tl_error_set(err, TL_EIO, "writing the %s picture failed: %s", picture_format_name(f),
                            s->err ? strerror(s->err) : cairo_status_to_string(cst));
    if (f != PICTURE_SVG)
        return TL_OK;
    char *svg = NULL;
    size_t n = 0;
    if (!svg_add_text_layer(c, title, s->mem, s->len, &svg, &n))
        return tl_error_set(err, TL_ENOMEM, "adding the text layer to the SVG failed (out of memory?)");
    bool ok = write_all(s->fd, svg, n, &s->err);
    free(svg);
    return ok ? TL_OK : tl_error_set(err, TL_EIO, "writing the SVG picture failed: %s", strerror(s->err));
}

static void ctx_free(pic_ctx *c)
{
    for (size_t i = 0; i < c->nlabels; i++)
        free(c->labels[i].text);
    free(c->labels);
}

tl_status picture_write(const tl_snapshot *snap, int fd, picture_format f, picture_stats *stats,
                        tl_error *err)
{
    if (!snap || !snap->nprocs)
        return tl_error_set(err, TL_EINVAL, "no process to draw");
    page pg = {0};
    if (!page_layout(&pg, snap)) {
        page_free(&pg);
        return tl_error_set(err, TL_ENOMEM, "out of memory while laying out the picture");
    }
    if (!pg.ncols) {
        page_free(&pg);
        return tl_error_set(err, TL_EINVAL, "no process with an address space to draw (kernel threads, zombies)");
    }
    sink s = {.fd = fd, .to_mem = f == PICTURE_SVG};
    double scale;
    cairo_surface_t *sf = make_surface(f, &s, &pg, &scale);
    pic_ctx c = {.cr = cairo_create(sf), .keep_text = f == PICTURE_SVG};
    cairo_scale(c.cr, scale, scale);
    char title[600];
    title_text(snap, &pg, title, sizeof title);
    page_draw(&c, &pg, snap, title);
    cairo_destroy(c.cr);
    tl_status st = finish(f, sf, &s, &c, title, err);
    cairo_surface_destroy(sf);
    if (stats)
        *stats = c.stats;
    ctx_free(&c);
    free(s.mem);
    page_free(&pg);
    return st;
}
