#include "perf_map_parse.h"

#include <stdlib.h>
#include <string.h>

#define OVERLAP_SCAN 32   /* entries looked at before addr's, for code that was moved over */

/* A hex number (optional 0x) of at most 16 digits at *p, which is moved past it. */
static bool parse_hex(const char **p, const char *end, uint64_t *out)
{
    const char *s = *p;
    if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    uint64_t v = 0;
    int digits = 0;
    for (; s < end && digits <= 16; s++, digits++) {
        char c = *s;
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            break;
        v = v << 4 | (uint64_t)d;
    }
    if (digits == 0 || digits > 16)
        return false;
    *out = v;
    *p = s;
    return true;
}

static const char *skip_blanks(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    return s;
}

bool perf_map_parse_line(const char *line, size_t len, uint64_t *start, uint64_t *size, const char **name,
                         size_t *name_len)
{
    const char *p = line, *end = line + len;
    if (len && end[-1] == '\r')
        end--;
    if (!parse_hex(&p, end, start) || p == end || (*p != ' ' && *p != '\t'))
        return false;
    p = skip_blanks(p, end);
    if (!parse_hex(&p, end, size) || p == end || (*p != ' ' && *p != '\t'))
        return false;
    p = skip_blanks(p, end);
    if (p == end || *size == 0 || *start + *size < *start)
        return false;
    *name = p;
    *name_len = (size_t)(end - p);
    return true;
}

static int entry_cmp(const void *a, const void *b)
{
    const perf_map_entry *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static bool grow(void **buf, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 256;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*buf, ncap * elem);
    if (!p)
        return false;
    *buf = p;
    *cap = ncap;
    return true;
}

/* Appends one entry and its name (cut to PERF_MAP_MAX_NAME, NUL bytes ending it early). */
static bool add(perf_map *pm, size_t *ecap, size_t *ncap, uint64_t start, uint64_t size, const char *name,
                size_t name_len)
{
    if (name_len > PERF_MAP_MAX_NAME)
        name_len = PERF_MAP_MAX_NAME;
    if (pm->names_len + name_len + 1 > UINT32_MAX)
        return true;   /* more name bytes than an offset holds: the rest is left out */
    if (!grow((void **)&pm->entries, ecap, pm->n + 1, sizeof *pm->entries) ||
        !grow((void **)&pm->names, ncap, pm->names_len + name_len + 1, 1))
        return false;
    pm->entries[pm->n] = (perf_map_entry){.start = start, .size = size, .seq = (uint32_t)pm->n,
                                          .name_off = (uint32_t)pm->names_len};
    memcpy(pm->names + pm->names_len, name, name_len);
    pm->names[pm->names_len + name_len] = '\0';
    pm->names_len += name_len + 1;
    pm->n++;
    return true;
}

bool perf_map_parse(const char *text, size_t len, perf_map *out)
{
    memset(out, 0, sizeof *out);
    size_t ecap = 0, ncap = 0;
    const char *p = text, *end = text + len;
    while (p < end && out->n < PERF_MAP_MAX_ENTRIES) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;   /* the line being written */
        uint64_t start, size;
        const char *name;
        size_t name_len;
        if (perf_map_parse_line(p, (size_t)(nl - p), &start, &size, &name, &name_len) &&
            !add(out, &ecap, &ncap, start, size, name, name_len)) {
            perf_map_free(out);
            return false;
        }
        p = nl + 1;
    }
    if (out->n)
        qsort(out->entries, out->n, sizeof *out->entries, entry_cmp);
    return true;
}

const char *perf_map_find(const perf_map *pm, uint64_t addr, uint64_t *start)
{
    size_t lo = 0, hi = pm->n;   /* the first entry starting after addr */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pm->entries[mid].start <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    const perf_map_entry *best = NULL;
    for (size_t i = lo, k = 0; i > 0 && k < OVERLAP_SCAN; i--, k++) {
        const perf_map_entry *e = &pm->entries[i - 1];
        if (addr - e->start < e->size && (!best || e->seq > best->seq))
            best = e;
    }
    if (!best)
        return NULL;
    *start = best->start;
    return pm->names + best->name_off;
}

void perf_map_free(perf_map *pm)
{
    free(pm->entries);
    free(pm->names);
    memset(pm, 0, sizeof *pm);
}
