/* The address-space band of one process: blocks from low addresses (bottom) to high (top),
 * each labelled on its left with its address, class, file or role, mapped and resident size;
 * folded gaps and reservations carry a broken-axis mark and their size. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "picture_int.h"
#include "threadlens/java.h"

#define LABEL_SIZE 10.0
#define BAND_X (PIC_LABEL_W + 20.0)

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s && s[1] ? s + 1 : path;
}

static const tl_thread *thread_of(const tl_process *p, int tid)
{
    for (size_t i = 0; i < p->nthreads; i++)
        if (p->threads[i].tid == tid)
            return &p->threads[i];
    return NULL;
}

static void classes_text(unsigned classes, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int c = 0; c < TL_REGION_NCLASSES && len + 1 < cap; c++)
        if (classes & (1u << c))
            len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? ", " : "",
                                    model_region_class_name((tl_region_class)c));
}

/* What the block is, for people: its file, its role, or whose stack. */
static void role_text(const tl_process *p, const pic_block *b, char *buf, size_t cap)
{
    const tl_region *r = b->first;
    if (b->grouped) {
        char cls[160];
        classes_text(b->classes, cls, sizeof cls);
        snprintf(buf, cap, "%zu small regions grouped (%s)", b->nregions, cls);
    } else if (b->role) {
        snprintf(buf, cap, "%s", b->role);
    } else if (b->cls == TL_REGION_STACK) {
        const tl_thread *t = thread_of(p, r->stack_tid);
        const char *name = t && t->java && t->java->name ? t->java->name : t && t->name ? t->name : "?";
        snprintf(buf, cap, "%sstack of tid %d \"%s\"%s", r->path && !strcmp(r->path, "[stack]") ? "[stack] " : "",
                 r->stack_tid, name, t && t->java && t->java->name ? " (Java)" : "");
    } else if (r->path) {
        snprintf(buf, cap, "%s%s", base_name(r->path), !strcmp(r->path, "[heap]") ? " (brk heap)" : "");
    } else if (b->cls == TL_REGION_GUARD) {
        snprintf(buf, cap, "no access: guard page or reservation");
    } else {
        snprintf(buf, cap, "anonymous (malloc arenas, mmap)");
    }
}

/* "code" or, for a module's mappings as one block, "code+data". */
static const char *class_words(const pic_block *b, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int c = 0; c < TL_REGION_NCLASSES && n < cap; c++)
        if (b->classes & (1u << c))
            n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? "+" : "", model_region_class_name((tl_region_class)c));
    return buf;
}

static void block_label(pic_ctx *c, const tl_process *p, const pic_block *b, double x, double y)
{
    char role[400], mapped[32], rss[32], text[640], cls_buf[96];
    role_text(p, b, role, sizeof role);
    char many[48] = "";
    if (b->nregions > 1 && !b->grouped)
        snprintf(many, sizeof many, " in %zu mappings", b->nregions);
    int n = snprintf(text, sizeof text, "0x%" PRIx64 "  %s  %s  %s mapped%s", b->start,
                     b->grouped ? "grouped" : class_words(b, cls_buf, sizeof cls_buf), role,
                     draw_human(b->mapped, mapped), many);
    if (b->rss_known && n > 0 && (size_t)n < sizeof text)
        n += snprintf(text + n, sizeof text - (size_t)n, ", %s resident", draw_human(b->rss, rss));
    if (b->folded && n > 0 && (size_t)n < sizeof text)   /* the broken-axis mark's size */
        snprintf(text + n, sizeof text - (size_t)n, " (folded)");
    /* the text layer's class: every region class inside ("code data" for a module) */
    char kind[96];
    size_t k = (size_t)snprintf(kind, sizeof kind, "%s", b->grouped ? "grouped" : "");
    for (int cls = 0; cls < TL_REGION_NCLASSES && k < sizeof kind; cls++)
        if (b->classes & (1u << cls))
            k += (size_t)snprintf(kind + k, sizeof kind - k, "%s%s", k ? " " : "", model_region_class_name((tl_region_class)cls));
    draw_text_right(c, x, y, LABEL_SIZE, 0x202020, kind, text);
}

/* Two zigzags across the band with paper between them: "this part is not to scale". */
static void broken_axis(cairo_t *cr, double x, double y, double w, double h)
{
    double mid = y + h / 2;
    cairo_save(cr);
    draw_rgb(cr, 0xffffff, 1.0);
    cairo_rectangle(cr, x - 4, mid - 3, w + 8, 6);
    cairo_fill(cr);
    draw_rgb(cr, 0x303030, 1.0);
    cairo_set_line_width(cr, 1.2);
    for (int k = -1; k <= 1; k += 2) {
        double yy = mid + k * 3;
        cairo_move_to(cr, x - 6, yy);
        for (int i = 0; i <= 8; i++)
            cairo_line_to(cr, x - 6 + (w + 12) * i / 8.0, yy + ((i & 1) ? -2.5 : 2.5));
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

static void stack_block(pic_ctx *c, const tl_process *p, const pic_block *b, double x, double y)
{
    cairo_t *cr = c->cr;
    uint32_t rgb = draw_class_rgb(TL_REGION_STACK);
    const tl_thread *t = thread_of(p, b->first->stack_tid);
    double used = 0;
    if (t && t->priv.valid && t->priv.stack_known && t->priv.source != TL_REGS_NONE && b->mapped)
        used = (double)t->priv.stack_used / (double)b->mapped;
    draw_rgb(cr, rgb, 0.15);
    cairo_rectangle(cr, x, y, PIC_BAND_W, b->h);
    cairo_fill(cr);
    if (used > 0) {   /* the stack grows down from its top: the used part is at high addresses */
        double uh = b->h * used < 2 ? 2 : b->h * used;
        draw_rgb(cr, rgb, 1.0);
        cairo_rectangle(cr, x, y, PIC_BAND_W, uh);
        cairo_fill(cr);
    }
    draw_rgb(cr, rgb, 1.0);
    cairo_set_line_width(cr, 1.5);
    cairo_rectangle(cr, x + 0.75, y + 0.75, PIC_BAND_W - 1.5, b->h - 1.5);
    cairo_stroke(cr);
}

static void region_block(pic_ctx *c, const tl_process *p, const pic_block *b, double x, double y)
{
    cairo_t *cr = c->cr;
    if (b->cls == TL_REGION_STACK && !b->grouped) {
        stack_block(c, p, b, x, y);
        return;
    }
    draw_rgb(cr, b->grouped ? 0xd8d8d8 : draw_class_rgb(b->cls), b->cls == TL_REGION_GUARD ? 0.35 : 0.9);
    cairo_rectangle(cr, x, y, PIC_BAND_W, b->h);
    cairo_fill(cr);
    draw_rgb(cr, 0xffffff, 1.0);   /* a hairline between neighbours */
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, x, y + b->h);
    cairo_line_to(cr, x + PIC_BAND_W, y + b->h);
    cairo_stroke(cr);
}

static void gap_block(pic_ctx *c, const pic_block *b, double x, double y)
{
    if (!b->folded)
        return;   /* a gap in proportion is just paper */
    char size[32], text[96];
    snprintf(text, sizeof text, "0x%" PRIx64 "  unmapped gap of %s (folded)", b->start, draw_human(b->end - b->start, size));
    draw_text_right(c, x - 8, y + b->h / 2 - 6, LABEL_SIZE, 0x707070, "fold", text);
}

void band_draw(pic_ctx *c, const pic_column *col, double x0, double y0)
{
    double x = x0 + BAND_X;
    cairo_t *cr = c->cr;
    c->text_w = PIC_LABEL_W - 10;
    draw_rgb(cr, 0xf3f3f3, 1.0);
    cairo_rectangle(cr, x, y0, PIC_BAND_W, col->band_h);
    cairo_fill(cr);
    for (size_t i = 0; i < col->nblocks; i++) {
        const pic_block *b = &col->blocks[i];
        double y = y0 + b->y;
        if (b->gap) {
            gap_block(c, b, x, y);
        } else {
            region_block(c, col->proc, b, x, y);
            block_label(c, col->proc, b, x - 8, y + b->h / 2 - 6);
        }
        if (b->folded)
            broken_axis(cr, x, y, PIC_BAND_W, b->h);
    }
    draw_rgb(cr, 0x404040, 1.0);
    cairo_set_line_width(cr, 1.0);
    cairo_rectangle(cr, x - 0.5, y0 - 0.5, PIC_BAND_W + 1, col->band_h + 1);
    cairo_stroke(cr);
    draw_text(c, x, y0 + col->band_h + 4, 9.0, false, 0x505050, "axis", 0, "low addresses");
    draw_text(c, x, y0 - 14, 9.0, false, 0x505050, "axis", 0, "high addresses");
}

double band_x(void)
{
    return BAND_X;
}
