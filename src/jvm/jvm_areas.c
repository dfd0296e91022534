/* The JVM's shared areas from jcmd answers (see java_dump.h). Shapes, from HotSpot's
 * CollectedHeap::print_on() implementations, MetaspaceUtils::print_basic_report() and
 * CodeCache::print_summary():
 *    garbage-first heap   total 397312K, used 5658K [0x..., 0x...)
 *    PSYoungGen      total 113152K, used 11673K [...]           (one line per generation)
 *    Metaspace       used 168K, committed 384K, reserved 1114112K
 *     class space    used 12K, committed 128K, reserved 1048576K
 *          Both:  1114112.00 KB reserved,     384.00 KB ( <1%) committed.
 *   CodeHeap 'profiled nmethods': size=120032Kb used=13Kb max_used=13Kb free=120018Kb
 *    bounds [LOW, COMMITTED_END, RESERVED_END] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "java_dump.h"
#include "jvm_text.h"

/* Index of the area called name, adding it (all sizes unknown) when absent; -1 on OOM. */
static long area_get(tl_jvm_area **areas, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*areas)[i].name, name))
            return (long)i;
    if (!jvm_grow((void **)areas, *n, sizeof **areas, JVM_MAX_AREAS))
        return -1;
    tl_jvm_area *a = &(*areas)[*n];
    a->name = strdup(name);
    if (!a->name)
        return -1;
    a->used_kib = a->committed_kib = a->reserved_kib = -1;
    return (long)(*n)++;
}

/* The size after the word key (e.g. "used"), -1 when absent. */
static int64_t field_kib(jtext line, const char *key)
{
    const char *k = jtext_find(line, key);
    if (!k)
        return -1;
    size_t off = (size_t)(k - line.p) + strlen(key);
    return jtext_kib(jtext_ltrim((jtext){line.p + off, line.n - off}), NULL);
}

static void add_kib(int64_t *sum, int64_t v)
{
    if (v < 0)
        return;
    *sum = *sum < 0 ? v : *sum + v;
}

/* The name before the first size field of a heap line ("garbage-first heap", "PSYoungGen"). */
static jtext heap_line_name(jtext body)
{
    static const char *const keys[] = {" total ", " used ", " capacity "};
    size_t cut = body.n;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *k = jtext_find(body, keys[i]);
        if (k && (size_t)(k - body.p) < cut)
            cut = (size_t)(k - body.p);
    }
    return jtext_rtrim((jtext){body.p, cut});
}

static int heap_line(jtext body, tl_jvm_area **areas, size_t *n, long *last)
{
    int64_t used = field_kib(body, " used ");
    jtext name = heap_line_name(body);
    if (used < 0 || name.n == 0 || name.n > 64)
        return 0;
    char label[96];
    bool meta = jtext_starts(name, "Metaspace") || jtext_starts(name, "class space");
    snprintf(label, sizeof label, "%s%.*s", meta ? "" : "heap: ", (int)name.n, name.p);
    if (jtext_starts(name, "Metaspace"))
        snprintf(label, sizeof label, "metaspace");
    else if (jtext_starts(name, "class space"))
        snprintf(label, sizeof label, "metaspace: class space");
    long i = area_get(areas, n, label);
    if (i < 0)
        return -1;
    tl_jvm_area *a = &(*areas)[i];
    a->used_kib = used;
    a->committed_kib = field_kib(body, " total ");
    if (a->committed_kib < 0)
        a->committed_kib = field_kib(body, "committed ");
    if (a->committed_kib < 0)
        a->committed_kib = field_kib(body, " capacity ");
    a->reserved_kib = field_kib(body, "reserved ");
    *last = meta ? -1 : i;
    return 1;
}

/* Sums the generations into the "heap" area (index 0 of those this call added). */
static void heap_total(tl_jvm_area *areas, size_t first, size_t n)
{
    tl_jvm_area *total = &areas[first];
    for (size_t i = first + 1; i < n; i++) {
        if (strncmp(areas[i].name, "heap: ", 6) != 0)
            continue;
        add_kib(&total->used_kib, areas[i].used_kib);
        add_kib(&total->committed_kib, areas[i].committed_kib);
    }
}

static bool set_detail(tl_jvm_area *a, jtext body)
{
    if (a->detail)
        return true;
    a->detail = jtext_dup(body);
    return a->detail != NULL;
}

int jvm_areas_parse_heap_info(const char *text, size_t len, tl_jvm_area **areas, size_t *n)
{
    size_t first = *n;
    long heap = area_get(areas, n, "heap");
    if (heap < 0)
        return -1;
    long last = -1;
    jlines it = {.text = text, .len = len};
    jtext line;
    while (jlines_next(&it, &line)) {
        jtext body = jtext_rtrim(jtext_ltrim(line));
        int rc = heap_line(body, areas, n, &last);
        if (rc < 0)
            return -1;
        if (rc == 0 && last >= 0 && jtext_starts(body, "region size") && !set_detail(&(*areas)[last], body))
            return -1;
    }
    heap_total(*areas, (size_t)heap, *n);
    if (*n == first + 1 && (*areas)[heap].used_kib < 0) {   /* nothing understood */
        jvm_area_clear(&(*areas)[heap]);
        *n = first;
        return 0;
    }
    return (int)(*n - first);
}

/* ---- VM.metaspace basic scale=KB -------------------------------------------------------- */

int jvm_areas_parse_metaspace(const char *text, size_t len, tl_jvm_area **areas, size_t *n)
{
    int64_t used = -1, committed = -1, reserved = -1;
    bool usage = false, virt = false;
    jlines it = {.text = text, .len = len};
    jtext line;
    while (jlines_next(&it, &line)) {
        jtext body = jtext_rtrim(jtext_ltrim(line));
        if (jtext_starts(body, "Usage:") || jtext_starts(body, "Virtual space:")) {
            usage = jtext_starts(body, "Usage:");
            virt = !usage;
        } else if (jtext_starts(body, "Both:") && usage && used < 0) {
            used = jtext_kib(jtext_ltrim(jtext_skip(body, "Both:")), NULL);
        } else if (jtext_starts(body, "Both:") && virt && reserved < 0) {
            jtext rest = jtext_ltrim(jtext_skip(body, "Both:"));
            reserved = jtext_kib(rest, NULL);
            const char *comma = memchr(rest.p, ',', rest.n);
            if (comma)
                committed = jtext_kib(jtext_ltrim((jtext){comma + 1, rest.n - (size_t)(comma + 1 - rest.p)}), NULL);
        }
    }
    if (used < 0 && committed < 0)
        return 0;
    long i = area_get(areas, n, "metaspace");
    if (i < 0)
        return -1;
    tl_jvm_area *a = &(*areas)[i];
    if (used >= 0)
        a->used_kib = used;
    if (committed >= 0)
        a->committed_kib = committed;
    if (reserved >= 0)
        a->reserved_kib = reserved;
    return 1;
}

/* ---- Compiler.codecache ----------------------------------------------------------------- */

/* "bounds [LOW, COMMITTED_END, RESERVED_END]": committed KiB, -1 when unreadable. */
static int64_t bounds_committed(jtext body)
{
    const char *open = memchr(body.p, '[', body.n);
    if (!open)
        return -1;
    jtext t = {open + 1, body.n - (size_t)(open + 1 - body.p)};
    uint64_t low, high;
    size_t used;
    if (!jtext_u64(t, &low, &used) || used + 2 > t.n)
        return -1;
    t = jtext_ltrim((jtext){t.p + used + 1, t.n - used - 1});
    if (!jtext_u64(t, &high, NULL) || high < low)
        return -1;
    return (int64_t)((high - low) / 1024);
}

static long codeheap_line(jtext body, tl_jvm_area **areas, size_t *n)
{
    char label[96];
    if (jtext_starts(body, "CodeHeap '")) {
        jtext name = jtext_skip(body, "CodeHeap '");
        const char *q = memchr(name.p, '\'', name.n);
        if (!q || q - name.p > 64)
            return -2;
        snprintf(label, sizeof label, "code cache: %.*s", (int)(q - name.p), name.p);
    } else if (jtext_starts(body, "CodeCache:")) {
        snprintf(label, sizeof label, "code cache: all");
    } else {
        return -2;
    }
    long i = area_get(areas, n, label);
    if (i < 0)
        return -1;
    (*areas)[i].reserved_kib = field_kib(body, "size=");
    (*areas)[i].used_kib = field_kib(body, "used=");
    return i;
}

int jvm_areas_parse_codecache(const char *text, size_t len, tl_jvm_area **areas, size_t *n)
{
    size_t first = *n;
    long total = area_get(areas, n, "code cache");
    if (total < 0)
        return -1;
    long last = -1;
    jlines it = {.text = text, .len = len};
    jtext line;
    while (jlines_next(&it, &line)) {
        jtext body = jtext_rtrim(jtext_ltrim(line));
        long i = codeheap_line(body, areas, n);
        if (i == -1)
            return -1;
        if (i >= 0)
            last = i;
        else if (jtext_starts(body, "bounds [") && last >= 0)
            (*areas)[last].committed_kib = bounds_committed(body);
    }
    tl_jvm_area *a = *areas;
    for (size_t i = (size_t)total + 1; i < *n; i++) {
        add_kib(&a[total].used_kib, a[i].used_kib);
        add_kib(&a[total].committed_kib, a[i].committed_kib);
        add_kib(&a[total].reserved_kib, a[i].reserved_kib);
    }
    if (*n == first + 1) {
        jvm_area_clear(&a[total]);
        *n = first;
        return 0;
    }
    return (int)(*n - first);
}
