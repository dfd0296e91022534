/* Drawing helpers: text through pango (escaped first, remembered for the SVG text layer),
 * colours per region class, sizes for people. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "picture_int.h"
#include "threadlens/escape.h"

static const uint32_t class_rgb[TL_REGION_NCLASSES] = {
    [TL_REGION_OTHER] = 0xb0b0b0, [TL_REGION_CODE] = 0x4c72b0, [TL_REGION_DATA] = 0x8fb3e0,
    [TL_REGION_HEAP] = 0x55a868,  [TL_REGION_STACK] = 0xdd8452, [TL_REGION_GUARD] = 0x6b6b6b,
    [TL_REGION_FILE] = 0x937860,  [TL_REGION_SHM] = 0xda8bc3,   [TL_REGION_KERNEL] = 0x8c8c8c,
};

uint32_t draw_class_rgb(tl_region_class cls)
{
    return cls < TL_REGION_NCLASSES ? class_rgb[cls] : class_rgb[TL_REGION_OTHER];
}

void draw_rgb(cairo_t *cr, uint32_t rgb, double alpha)
{
    cairo_set_source_rgba(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                          (rgb & 0xff) / 255.0, alpha);
}

const char *draw_human(uint64_t bytes, char buf[32])
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) {
        snprintf(buf, 32, "%" PRIu64 " B", bytes);
        return buf;
    }
    double v = (double)bytes / 1024.0;
    size_t u = 0;
    while (v >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024.0;
        u++;
    }
    snprintf(buf, 32, v < 10 && v != (double)(uint64_t)v ? "%.1f %s" : "%.0f %s", v, units[u]);
    return buf;
}

static void remember(pic_ctx *c, const char *text, const char *kind, int tid, double x, double y,
                     double size)
{
    if (!c->keep_text || c->oom)
        return;
    if (c->nlabels == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        pic_label *v = realloc(c->labels, cap * sizeof *v);
        if (!v) {
            c->oom = true;
            return;
        }
        c->labels = v;
        c->cap = cap;
    }
    pic_label *l = &c->labels[c->nlabels];
    *l = (pic_label){.text = strdup(text), .tid = tid, .x = x, .y = y, .size = size};
    snprintf(l->kind, sizeof l->kind, "%s", kind);
    if (!l->text)
        c->oom = true;
    else
        c->nlabels++;
}

static PangoLayout *make_layout(pic_ctx *c, double size, bool bold, const char *text)
{
    PangoLayout *lay = pango_cairo_create_layout(c->cr);
    PangoFontDescription *fd = pango_font_description_from_string(bold ? "DejaVu Sans Bold" : "DejaVu Sans");
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(lay, text, -1);   /* plain text, never markup */
    if (c->text_w > 0) {   /* a long path stays in its place; the text layer keeps it whole */
        pango_layout_set_width(lay, (int)(c->text_w * PANGO_SCALE));
        pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_MIDDLE);
    }
    return lay;
}

static double text_at(pic_ctx *c, double x, double y, double size, bool bold, bool right,
                      uint32_t rgb, const char *kind, int tid, const char *raw)
{
    char *text = escape_terminal_dup(raw ? raw : "");
    if (!text) {
        c->oom = true;
        return 0;
    }
    PangoLayout *lay = make_layout(c, size, bold, text);
    int w, h;
    pango_layout_get_pixel_size(lay, &w, &h);
    double left = right ? x - w : x;
    cairo_save(c->cr);
    draw_rgb(c->cr, rgb, 1.0);
    cairo_move_to(c->cr, left, y);
    pango_cairo_show_layout(c->cr, lay);
    cairo_restore(c->cr);
    g_object_unref(lay);
    remember(c, text, kind, tid, left, y + size, size);
    free(text);
    return w;
}

double draw_text(pic_ctx *c, double x, double y, double size, bool bold, uint32_t rgb,
                 const char *kind, int tid, const char *raw)
{
    return text_at(c, x, y, size, bold, false, rgb, kind, tid, raw);
}

double draw_text_right(pic_ctx *c, double x, double y, double size, uint32_t rgb,
                       const char *kind, const char *raw)
{
    return text_at(c, x, y, size, false, true, rgb, kind, 0, raw);
}
