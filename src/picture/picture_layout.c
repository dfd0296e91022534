/* The layout of one address space: regions grouped into blocks (a module's mappings of one
 * kind, a stack, a gap), small ones put together when there are too many to label, huge gaps
 * and reservations folded, heights in proportion to size otherwise (at least a label line). */
#include <stdlib.h>
#include <string.h>

#include "picture_int.h"
#include "threadlens/java.h"

/* HotSpot with compressed oops places a heap under 32 GiB at the top of that range and its
 * compressed class space (part of metaspace) right above it: the usual layout, not a promise. */
#define JVM_OOP_TOP 0x800000000ULL
#define JVM_CLASS_SPACE_MAX (4ULL << 30)

static const char *jvm_role(const tl_process *p, const tl_region *r)
{
    if (!p->jvm || r->path)
        return NULL;
    if (r->cls == TL_REGION_CODE)
        return "code cache (JIT code)";
    if (r->cls != TL_REGION_HEAP && r->cls != TL_REGION_GUARD)
        return NULL;
    if (r->start >= (1ULL << 32) && r->end <= JVM_OOP_TOP)
        return "Java heap";
    if (r->start >= JVM_OOP_TOP && r->end <= JVM_OOP_TOP + JVM_CLASS_SPACE_MAX)
        return "metaspace (class space)";
    return NULL;
}

static bool same_path(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool can_merge(const pic_block *b, const tl_region *r, const char *role)
{
    return !b->gap && b->end == r->start && b->cls == r->cls && r->cls != TL_REGION_STACK &&
           same_path(b->first->path, r->path) && b->role == role;
}

static void block_add(pic_block *b, const tl_region *r)
{
    b->end = r->end;
    b->mapped += r->end - r->start;
    b->rss += r->rss_kib * 1024;
    b->rss_known = b->rss_known && r->rss_known;
    b->nregions++;
    b->classes |= 1u << r->cls;
}

static void block_start(pic_block *b, const tl_region *r, const char *role)
{
    *b = (pic_block){.start = r->start, .end = r->start, .cls = r->cls, .first = r, .role = role,
                     .rss_known = true};
    block_add(b, r);
}

/* Regions into blocks with gaps between them; out has room for 2 * n. */
static size_t raw_blocks(const tl_process *p, pic_block *out)
{
    const tl_shared *sh = &p->shared;
    size_t n = 0;
    for (size_t i = 0; i < sh->nregions; i++) {
        const tl_region *r = &sh->regions[i];
        const char *role = jvm_role(p, r);
        if (n && out[n - 1].end < r->start) {
            uint64_t from = out[n - 1].end;
            out[n++] = (pic_block){.gap = true, .start = from, .end = r->start};
        }
        if (n && can_merge(&out[n - 1], r, role))
            block_add(&out[n - 1], r);
        else
            block_start(&out[n++], r, role);
    }
    return n;
}

static int priority(const pic_block *b)
{
    if (b->cls == TL_REGION_STACK)
        return 4;
    if (b->role || (b->first->path && !strcmp(b->first->path, "[heap]")))
        return 3;
    if (b->cls == TL_REGION_CODE)
        return 2;
    return b->cls == TL_REGION_GUARD ? 0 : 1;
}

static const pic_block *sort_base;

static int by_importance(const void *pa, const void *pb)
{
    const pic_block *a = &sort_base[*(const size_t *)pa], *b = &sort_base[*(const size_t *)pb];
    int d = priority(b) - priority(a);
    if (d)
        return d;
    return a->mapped < b->mapped ? 1 : a->mapped > b->mapped ? -1 : 0;
}

static void group_add(pic_block *g, const pic_block *b, size_t *folded)
{
    if (b->gap) {
        g->end = b->end;
        return;
    }
    if (!g->nregions) {
        *g = *b;
        g->grouped = true;
        g->role = NULL;
    } else {
        g->end = b->end;
        g->mapped += b->mapped;
        g->rss += b->rss;
        g->rss_known = g->rss_known && b->rss_known;
        g->nregions += b->nregions;
        g->classes |= b->classes;
    }
    *folded += b->nregions;
}

/* A module's mappings (code, rodata, data, its bss after it) as one block: the first step when
 * there are too many blocks to label. Returns the new count. */
static size_t merge_modules(pic_block *v, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        pic_block *prev = m ? &v[m - 1] : NULL;
        const pic_block *b = &v[i];
        bool same_module = prev && !prev->gap && !b->gap && prev->end == b->start && prev->first->path &&
                           prev->cls != TL_REGION_STACK && b->cls != TL_REGION_STACK && !prev->role && !b->role &&
                           (same_path(prev->first->path, b->first->path) ||
                            (!b->first->path && b->cls == TL_REGION_DATA));
        if (!same_module) {
            v[m++] = *b;
            continue;
        }
        prev->end = b->end;
        prev->mapped += b->mapped;
        prev->rss += b->rss;
        prev->rss_known = prev->rss_known && b->rss_known;
        prev->nregions += b->nregions;
        prev->classes |= b->classes;
        if (b->cls == TL_REGION_CODE)
            prev->cls = TL_REGION_CODE;   /* drawn in the colour of its code */
    }
    return m;
}

static size_t count_real(const pic_block *v, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += !v[i].gap;
    return k;
}

/* Ends a group: one block alone stays what it was. */
static void group_close(pic_block *v, size_t *m, pic_block *group, const pic_block *only, size_t *folded)
{
    if (group->nregions && group->start == only->start && group->mapped == only->mapped) {
        *folded -= only->nregions;
        v[(*m)++] = *only;
        if (group->end > only->end)   /* the small gap it had taken in */
            v[(*m)++] = (pic_block){.gap = true, .start = only->end, .end = group->end};
    } else if (group->nregions) {
        v[(*m)++] = *group;
    }
    *group = (pic_block){0};
}

/* Keeps the most telling blocks and puts each run of the others (with the small gaps between
 * them) into one grouped block. Returns the new count. */
static size_t group_small(pic_block *v, size_t n, size_t *folded)
{
    size_t nreal = 0;
    size_t *idx = malloc(n * sizeof *idx);
    bool *keep = calloc(n, sizeof *keep);
    if (!idx || !keep) {
        free(idx);
        free(keep);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (!v[i].gap)
            idx[nreal++] = i;
    sort_base = v;
    qsort(idx, nreal, sizeof *idx, by_importance);
    for (size_t i = 0; i < nreal && i < PIC_MAX_BLOCKS / 2; i++)
        keep[idx[i]] = true;
    size_t m = 0;
    pic_block group = {0}, first = {0};
    for (size_t i = 0; i < n; i++) {
        bool big_gap = v[i].gap && v[i].end - v[i].start > PIC_FOLD_BYTES;
        if (keep[i] || big_gap) {
            group_close(v, &m, &group, &first, folded);
            v[m++] = v[i];
        } else if (v[i].gap && !group.nregions) {
            v[m++] = v[i];   /* a gap before the group starts stays a gap */
        } else {
            if (!group.nregions)
                first = v[i];
            group_add(&group, &v[i], folded);
        }
    }
    group_close(v, &m, &group, &first, folded);
    free(idx);
    free(keep);
    return m;
}

static double total_height(const pic_column *col, double k)
{
    double h = 0;
    for (size_t i = 0; i < col->nblocks; i++) {
        const pic_block *b = &col->blocks[i];
        double prop = k * (double)(b->end - b->start);
        h += b->folded ? PIC_FOLD_H : b->gap ? prop : (prop > PIC_MIN_BLOCK_H ? prop : PIC_MIN_BLOCK_H);
    }
    return h;
}

static void assign_heights(pic_column *col)
{
    for (size_t i = 0; i < col->nblocks; i++) {
        pic_block *b = &col->blocks[i];
        b->folded = b->end - b->start > PIC_FOLD_BYTES;
    }
    double floor_h = total_height(col, 0);
    col->band_h = floor_h * 1.25 > PIC_BAND_H ? floor_h * 1.25 : PIC_BAND_H;
    double lo = 0, hi = col->band_h;   /* pixels per byte: a 1-byte block could fill it */
    for (int it = 0; it < 80; it++) {
        double mid = (lo + hi) / 2;
        if (total_height(col, mid) > col->band_h)
            hi = mid;
        else
            lo = mid;
    }
    double y = col->band_h;   /* low addresses at the bottom */
    for (size_t i = 0; i < col->nblocks; i++) {
        pic_block *b = &col->blocks[i];
        double prop = lo * (double)(b->end - b->start);
        b->h = b->folded ? PIC_FOLD_H : b->gap ? prop : (prop > PIC_MIN_BLOCK_H ? prop : PIC_MIN_BLOCK_H);
        y -= b->h;
        b->y = y;
    }
}

bool layout_column(pic_column *col, const tl_process *proc)
{
    *col = (pic_column){.proc = proc, .band_h = PIC_BAND_H};
    const tl_shared *sh = &proc->shared;
    if (!sh->valid || !sh->nregions)
        return true;
    col->blocks = calloc(2 * sh->nregions, sizeof *col->blocks);
    if (!col->blocks)
        return false;
    col->nblocks = raw_blocks(proc, col->blocks);
    if (count_real(col->blocks, col->nblocks) > PIC_MAX_BLOCKS)
        col->nblocks = merge_modules(col->blocks, col->nblocks);
    if (count_real(col->blocks, col->nblocks) > PIC_MAX_BLOCKS) {
        col->nblocks = group_small(col->blocks, col->nblocks, &col->nfolded);
        if (!col->nblocks)
            return false;
    }
    col->nreal = count_real(col->blocks, col->nblocks);
    assign_heights(col);
    return true;
}

void layout_free(pic_column *col)
{
    free(col->blocks);
    col->blocks = NULL;
    col->nblocks = 0;
}

const pic_block *layout_block_of(const pic_column *col, uint64_t addr)
{
    size_t lo = 0, hi = col->nblocks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const pic_block *b = &col->blocks[mid];
        if (addr < b->start)
            hi = mid;
        else if (addr >= b->end)
            lo = mid + 1;
        else
            return b;
    }
    return NULL;
}

double layout_y_of(const pic_column *col, uint64_t addr)
{
    const pic_block *b = layout_block_of(col, addr);
    if (!b)
        return 4;
    double f = (double)(addr - b->start) / (double)(b->end - b->start);
    return b->y + b->h * (1.0 - f);
}
