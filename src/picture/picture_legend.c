/* Per process: the header above its column (which process, whose child) and the legend below
 * it: what all its threads share against what each one owns, the colour of each class, and a
 * JVM's own areas. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "picture_int.h"
#include "threadlens/java.h"

#define LINE 13.0
#define BOX_W 520.0

static size_t jvm_lines(const tl_process *p)
{
    return p->jvm ? p->jvm->nareas + 1 : 0;
}

double legend_height(const tl_process *p)
{
    return (9 + (double)jvm_lines(p)) * LINE + 40;
}

static void class_line(pic_ctx *c, const tl_shared *sh, tl_region_class cls, const char *what,
                       double x, double y)
{
    char a[32], b[32], text[200];
    const tl_class_size *s = &sh->by_class[cls];
    draw_rgb(c->cr, draw_class_rgb(cls), 1.0);
    cairo_rectangle(c->cr, x, y + 2, 9, 9);
    cairo_fill(c->cr);
    int n = snprintf(text, sizeof text, "%s: %s mapped in %zu", what, draw_human(s->mapped_bytes, a), s->nregions);
    if (sh->class_rss_known && n > 0)
        snprintf(text + n, sizeof text - (size_t)n, ", %s resident", draw_human(s->rss_bytes, b));
    draw_text(c, x + 14, y, 10, false, 0x202020, "legend", 0, text);
}

static void shared_box(pic_ctx *c, const tl_process *p, double x, double y)
{
    const tl_shared *sh = &p->shared;
    char text[200];
    snprintf(text, sizeof text, "shared by all %zu thread%s", p->nthreads, p->nthreads == 1 ? "" : "s");
    draw_text(c, x, y, 12, true, 0x101010, "legend", 0, text);
    static const struct { tl_region_class cls; const char *what; } rows[] = {
        {TL_REGION_CODE, "code"}, {TL_REGION_DATA, "data, bss"}, {TL_REGION_HEAP, "heap, anonymous"},
        {TL_REGION_FILE, "mapped files"}, {TL_REGION_SHM, "shared memory"},
    };
    double yy = y + LINE + 4;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++, yy += LINE)
        class_line(c, sh, rows[i].cls, rows[i].what, x, yy);
    if (sh->nfds >= 0)
        snprintf(text, sizeof text, "open files: %d fds", sh->nfds);
    else
        snprintf(text, sizeof text, "open files: unknown");
    draw_text(c, x + 14, yy, 10, false, 0x202020, "legend", 0, text);
    yy += LINE;
    int handled = sh->sig_valid ? __builtin_popcountll(sh->sig_caught) : -1;
    if (handled >= 0)
        snprintf(text, sizeof text, "signal handlers: %d signals handled", handled);
    else
        snprintf(text, sizeof text, "signal handlers: unknown");
    draw_text(c, x + 14, yy, 10, false, 0x202020, "legend", 0, text);
}

static void owned_box(pic_ctx *c, const tl_process *p, double x, double y)
{
    draw_text(c, x, y, 12, true, 0x101010, "legend", 0, "owned by each thread");
    static const char *const rows[] = {
        "stack: its own mapping (used part filled, reserved outlined)",
        "registers and PC (the dashed arrow into the code)",
        "SP (the solid arrow to its stack)",
        "TLS (thread-local storage base)",
        "signal mask",
        "CPU time, scheduling, what it waits on",
    };
    double yy = y + LINE + 4;
    class_line(c, &p->shared, TL_REGION_STACK, "stacks", x, yy);
    yy += LINE;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++, yy += LINE)
        draw_text(c, x + 14, yy, 10, false, 0x202020, "legend", 0, rows[i]);
}

static void kib_text(int64_t kib, char buf[32])
{
    if (kib < 0)
        snprintf(buf, 32, "?");
    else
        draw_human((uint64_t)kib * 1024, buf);
}

static void jvm_box(pic_ctx *c, const tl_jvm *j, double x, double y)
{
    draw_text(c, x, y, 12, true, 0x101010, "legend", 0, "the JVM's own areas (shared by all threads)");
    double yy = y + LINE + 4;
    for (size_t i = 0; i < j->nareas; i++, yy += LINE) {
        const tl_jvm_area *a = &j->areas[i];
        char u[32], cm[32], r[32], text[300];
        kib_text(a->used_kib, u);
        kib_text(a->committed_kib, cm);
        kib_text(a->reserved_kib, r);
        const char *name = !strcmp(a->name, "heap") ? "Java heap" : !strcmp(a->name, "metaspace")
                           ? "metaspace (the method area)" : a->name;
        snprintf(text, sizeof text, "%s: %s used, %s committed, %s reserved", name, u, cm, r);
        draw_text(c, x + 14, yy, 10, false, 0x202020, "jvm", 0, text);
    }
}

void legend_draw(pic_ctx *c, const tl_process *p, double x0, double y0)
{
    cairo_t *cr = c->cr;
    double h = legend_height(p) - 16;
    c->text_w = BOX_W - 20;
    draw_rgb(cr, 0xf7f7f2, 1.0);
    cairo_rectangle(cr, x0, y0, PIC_COL_W - 30, h);
    cairo_fill(cr);
    if (!p->shared.valid) {
        draw_text(c, x0 + 10, y0 + 8, 11, false, 0x902020, "legend", 0,
                  p->shared.error ? p->shared.error : "what the threads share could not be read");
        return;
    }
    shared_box(c, p, x0 + 10, y0 + 8);
    owned_box(c, p, x0 + 10 + BOX_W, y0 + 8);
    if (p->jvm)
        jvm_box(c, p->jvm, x0 + 10, y0 + 8 + 9 * LINE);
}

static const tl_process *parent_of(const tl_snapshot *s, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (s->procs[k].pid == s->procs[i].ppid)
            return &s->procs[k];
    return NULL;
}

void header_draw(pic_ctx *c, const tl_snapshot *s, size_t i, const pic_column *col, double x0, double y0)
{
    const tl_process *p = &s->procs[i];
    const tl_process *parent = parent_of(s, i);
    c->text_w = PIC_COL_W - 40;
    char text[600];
    snprintf(text, sizeof text, "process %d \"%s\": %zu thread%s share this address space", p->pid,
             p->name ? p->name : "", p->nthreads, p->nthreads == 1 ? "" : "s");
    draw_text(c, x0, y0, 15, true, 0x101010, "process", 0, text);
    if (parent)
        snprintf(text, sizeof text, "child of %d \"%s\" (fork): its own address space, the same "
                 "addresses, different memory", parent->pid, parent->name ? parent->name : "");
    else
        snprintf(text, sizeof text, "%s", p->cmdline ? p->cmdline : "");
    draw_text(c, x0, y0 + 20, 10.5, false, 0x404040, "process", 0, text);
    const tl_shared *sh = &p->shared;
    if (sh->valid)
        snprintf(text, sizeof text, "%zu mappings%s drawn as %zu blocks (%zu small ones grouped); to scale "
                 "except the folded parts", sh->nmappings, sh->regions_truncated ? " (list cut)" : "",
                 col->nreal, col->nfolded);
    else
        snprintf(text, sizeof text, "memory map not read%s%s", sh->error ? ": " : "", sh->error ? sh->error : "");
    draw_text(c, x0, y0 + 36, 10, false, 0x404040, "process", 0, text);
}
