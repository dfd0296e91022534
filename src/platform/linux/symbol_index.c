#include "symbol_index.h"

#include <stdlib.h>
#include <string.h>

#define BACK_STEPS_MAX 64   /* entries looked at below addr for an enclosing one (then: none) */

bool symbol_index_reserve(symbol_index *ix, size_t n)
{
    if (n <= ix->cap)
        return true;
    symbol_entry *grown = realloc(ix->e, n * sizeof *grown);
    if (!grown)
        return false;
    ix->e = grown;
    ix->cap = n;
    return true;
}

bool symbol_index_add(symbol_index *ix, uint64_t start, uint64_t size, const char *name, int binding)
{
    if (size == 0 || start + size < start || !name || !name[0])
        return true;
    if (ix->n == UINT32_MAX)
        return false;   /* order is 32 bits: no symbol table is that large */
    if (ix->n == ix->cap) {
        size_t cap = ix->cap ? ix->cap * 2 : 256;
        symbol_entry *grown = realloc(ix->e, cap * sizeof *grown);
        if (!grown)
            return false;
        ix->e = grown;
        ix->cap = cap;
    }
    ix->e[ix->n] = (symbol_entry){.start = start, .end = start + size, .name = name, .binding = binding, .order = (uint32_t)ix->n};
    ix->n++;
    return true;
}

/* By start; at the same start the preferred first: better binding, then narrower, then added
 * first (a total order: the result never depends on qsort's). */
static int cmp_entry(const void *a, const void *b)
{
    const symbol_entry *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->binding != y->binding)
        return x->binding > y->binding ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

/* LSD radix sort by start, a byte a pass; a pass where every start has the same byte (the high
 * bytes of one module's addresses) is skipped, so a module costs 3 or 4 linear passes, not
 * qsort's n log n calls of cmp_entry (2.8M instructions for libc, half a small dump's naming).
 * Stable: equal starts stay in the order they were added. False when out of memory. */
static bool radix_by_start(symbol_entry *e, size_t n)
{
    symbol_entry *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return false;
    symbol_entry *src = e, *dst = tmp;
    for (unsigned shift = 0; shift < 64; shift += 8) {
        size_t at[256] = {0};
        for (size_t i = 0; i < n; i++)
            at[(src[i].start >> shift) & 0xff]++;
        if (at[(src[0].start >> shift) & 0xff] == n)
            continue;
        for (size_t b = 0, pos = 0; b < 256; b++) {
            size_t c = at[b];
            at[b] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[at[(src[i].start >> shift) & 0xff]++] = src[i];
        symbol_entry *t = src;
        src = dst;
        dst = t;
    }
    if (src != e)
        memcpy(e, src, n * sizeof *e);
    free(tmp);
    return true;
}

/* Within each run of one start (aliases: a handful), the preferred first: insertion sort. */
static void order_equal_starts(symbol_entry *e, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (e[i].start != e[i - 1].start)
            continue;
        symbol_entry x = e[i];
        size_t j = i;
        for (; j > 0 && e[j - 1].start == x.start && cmp_entry(&e[j - 1], &x) > 0; j--)
            e[j] = e[j - 1];
        e[j] = x;
    }
}

void symbol_index_sort(symbol_index *ix)
{
    if (!ix->n)
        return;
    if (radix_by_start(ix->e, ix->n))
        order_equal_starts(ix->e, ix->n);
    else
        qsort(ix->e, ix->n, sizeof *ix->e, cmp_entry);   /* no memory for the radix pass */
}

/* Index of the first entry whose start is above addr. */
static size_t first_above(const symbol_index *ix, uint64_t addr)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->e[mid].start <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const symbol_entry *symbol_index_find(const symbol_index *ix, uint64_t addr)
{
    size_t i = first_above(ix, addr);
    const symbol_entry *best = NULL;
    for (size_t steps = 0; i > 0 && steps < BACK_STEPS_MAX; steps++) {
        const symbol_entry *e = &ix->e[--i];
        if (best && e->start != best->start)
            break;   /* a lower start is farther from addr: the one found stays */
        if (addr < e->end)
            best = e;   /* within one start the preferred comes first: keep walking down to it */
    }
    return best;
}

bool symbol_entry_preferred(const symbol_entry *a, const symbol_entry *b)
{
    if (a->start != b->start)
        return a->start > b->start;
    return cmp_entry(a, b) < 0;
}

void symbol_index_free(symbol_index *ix)
{
    free(ix->e);
    ix->e = NULL;
    ix->n = ix->cap = 0;
}
