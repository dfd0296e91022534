/* Internals of the picture: the layout (pure: blocks of an address space, their heights) and
 * the drawing context shared by the files that draw (cairo + pango). */
#ifndef THREADLENS_PICTURE_INT_H
#define THREADLENS_PICTURE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <cairo.h>

#include "picture.h"

/* Geometry, in SVG pixels. */
#define PIC_MARGIN 24.0
#define PIC_COL_W 1400.0          /* one process column */
#define PIC_LABEL_W 520.0         /* region labels, left of the band */
#define PIC_BAND_W 110.0
#define PIC_MARK_X 790.0          /* thread markers, from the column's left */
#define PIC_MARK_W 590.0
#define PIC_MARK_H 50.0           /* four lines */
#define PIC_HEADER_H 70.0
#define PIC_BAND_H 1000.0         /* the band's height when its blocks fit */
#define PIC_MIN_BLOCK_H 13.0      /* a region's label line */
#define PIC_FOLD_H 24.0           /* a folded gap or reservation (broken-axis mark) */
#define PIC_FOLD_BYTES (64ULL << 20)   /* gaps and regions above this are folded */
#define PIC_MAX_BLOCKS 72         /* regions drawn per column; the rest grouped */
#define PIC_MAX_MARKERS 400       /* thread markers per column */
#define PIC_MAX_COLUMNS 8

/* One drawn piece of an address space: a region (or several grouped) or a gap. */
typedef struct pic_block {
    uint64_t start, end;
    uint64_t mapped, rss;
    bool rss_known;
    bool gap;                     /* unmapped addresses */
    bool folded;                  /* drawn shorter than in proportion (broken-axis mark) */
    size_t nregions;              /* regions inside (0 for a gap) */
    bool grouped;                 /* small regions of several kinds put together */
    unsigned classes;             /* bit per tl_region_class inside */
    tl_region_class cls;          /* the first region's class */
    const tl_region *first;       /* its first region */
    const char *role;             /* "Java heap", "code cache (JIT)" ..., or NULL */
    double y, h;                  /* top and height in the band */
} pic_block;

typedef struct pic_column {
    const tl_process *proc;
    pic_block *blocks;            /* by address, low (drawn at the bottom) first */
    size_t nblocks;
    size_t nfolded;               /* regions inside grouped blocks */
    size_t nreal;                 /* blocks that are not gaps */
    double band_h;
} pic_column;

/* Builds col->blocks from proc's regions (proc->shared.valid); false on allocation failure. */
bool layout_column(pic_column *col, const tl_process *proc);
void layout_free(pic_column *col);
/* The y of addr in the band (blocks laid out); -1 when outside every block. */
double layout_y_of(const pic_column *col, uint64_t addr);
/* The block holding addr, or NULL. */
const pic_block *layout_block_of(const pic_column *col, uint64_t addr);

/* Drawn text, kept for the SVG's text layer (cairo's SVG surface writes glyph outlines). */
typedef struct pic_label {
    char *text;                   /* escaped, valid UTF-8 */
    char kind[96];                /* "thread", "process", "legend", "fold", region classes ... */
    int tid;                      /* thread labels */
    double x, y, size;
} pic_label;

typedef struct pic_ctx {
    cairo_t *cr;
    bool keep_text;               /* SVG: record the labels */
    pic_label *labels;
    size_t nlabels, cap;
    bool oom;
    double text_w;                /* wider text is ellipsized; 0: never */
    picture_stats stats;
} pic_ctx;

/* Text at (x, y) top-left, size px, rgb colour; bold when asked; returns its width.
 * raw is target-written or ours: it is escaped (controls, invalid UTF-8) before pango. */
double draw_text(pic_ctx *c, double x, double y, double size, bool bold, uint32_t rgb,
                 const char *kind, int tid, const char *raw);
/* The same, right-aligned at x. */
double draw_text_right(pic_ctx *c, double x, double y, double size, uint32_t rgb,
                       const char *kind, const char *raw);
void draw_rgb(cairo_t *cr, uint32_t rgb, double alpha);
uint32_t draw_class_rgb(tl_region_class cls);
const char *draw_human(uint64_t bytes, char buf[32]);

/* picture_band.c: the address-space band and its labels; picture_threads.c: the markers. */
void band_draw(pic_ctx *c, const pic_column *col, double x0, double y0);
double band_x(void);   /* the band's left edge from the column's left */
/* Returns the height the markers took (may exceed the band). */
double threads_draw(pic_ctx *c, const pic_column *col, double x0, double y0);
double threads_height(const pic_column *col);
/* picture_legend.c */
double legend_height(const tl_process *p);
void legend_draw(pic_ctx *c, const tl_process *p, double x0, double y0);
void header_draw(pic_ctx *c, const tl_snapshot *s, size_t i, const pic_column *col, double x0, double y0);

/* picture_svg.c: splices the text layer (written with libxml2) into cairo's SVG. */
bool svg_add_text_layer(const pic_ctx *c, const char *title, const char *svg, size_t len,
                        char **out, size_t *outlen);

/* The marker colour (one square per thread, drawn without antialiasing: tests count them). */
#define PIC_MARKER_RGB 0xe0119du

#endif
