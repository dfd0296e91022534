#include "jvm_text.h"

#include <stdlib.h>
#include <string.h>

bool jlines_next(jlines *it, jtext *line)
{
    if (it->pos >= it->len)
        return false;
    const char *start = it->text + it->pos;
    const char *nl = memchr(start, '\n', it->len - it->pos);
    size_t n = nl ? (size_t)(nl - start) : it->len - it->pos;
    line->p = start;
    line->n = n;
    it->pos += n + (nl ? 1 : 0);
    return true;
}

bool jtext_starts(jtext t, const char *prefix)
{
    size_t k = strlen(prefix);
    return t.n >= k && memcmp(t.p, prefix, k) == 0;
}

jtext jtext_ltrim(jtext t)
{
    while (t.n > 0 && (*t.p == ' ' || *t.p == '\t')) {
        t.p++;
        t.n--;
    }
    return t;
}

jtext jtext_rtrim(jtext t)
{
    while (t.n > 0 && (t.p[t.n - 1] == ' ' || t.p[t.n - 1] == '\t' || t.p[t.n - 1] == '\r'))
        t.n--;
    return t;
}

jtext jtext_skip(jtext t, const char *prefix)
{
    size_t k = strlen(prefix);
    if (t.n >= k && memcmp(t.p, prefix, k) == 0) {
        t.p += k;
        t.n -= k;
    }
    return t;
}

const char *jtext_find(jtext t, const char *needle)
{
    size_t k = strlen(needle);
    if (k == 0 || k > t.n)
        return NULL;
    return memmem(t.p, t.n, needle, k);
}

char *jtext_dup(jtext t)
{
    char *s = malloc(t.n + 1);
    if (!s)
        return NULL;
    memcpy(s, t.p, t.n);
    s[t.n] = '\0';
    return s;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool jtext_u64(jtext t, uint64_t *v, size_t *used)
{
    size_t i = 0;
    unsigned base = 10;
    if (t.n > 2 && t.p[0] == '0' && (t.p[1] == 'x' || t.p[1] == 'X')) {
        base = 16;
        i = 2;
    }
    size_t first = i;
    uint64_t acc = 0;
    for (; i < t.n; i++) {
        int d = hexval(t.p[i]);
        if (d < 0 || (unsigned)d >= base || acc > (UINT64_MAX - (unsigned)d) / base)
            break;
        acc = acc * base + (unsigned)d;
    }
    if (i == first)
        return false;
    *v = acc;
    if (used)
        *used = i;
    return true;
}

/* Scale of a unit word at t ("K", "Kb", "KB", "M", "MB", "G", "GB", "B"), 0 if none. */
static double unit_scale(jtext t, size_t *used)
{
    static const struct { const char *word; double kib; } units[] = {
        {"KB", 1}, {"Kb", 1}, {"K", 1}, {"k", 1}, {"MB", 1024}, {"M", 1024},
        {"GB", 1048576}, {"G", 1048576}, {"bytes", 1.0 / 1024}, {"B", 1.0 / 1024},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (jtext_starts(t, units[i].word)) {
            *used = strlen(units[i].word);
            return units[i].kib;
        }
    }
    return 0;
}

int64_t jtext_kib(jtext t, size_t *used)
{
    size_t i = 0;
    double v = 0, frac = 0.1;
    bool digits = false, dot = false;
    for (; i < t.n && i < 32; i++) {
        char c = t.p[i];
        if (c >= '0' && c <= '9') {
            digits = true;
            if (dot) {
                v += (c - '0') * frac;
                frac /= 10;
            } else {
                v = v * 10 + (c - '0');
            }
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    jtext rest = jtext_ltrim((jtext){t.p + i, t.n - i});
    size_t ulen = 0;
    double scale = digits ? unit_scale(rest, &ulen) : 0;
    if (scale == 0)
        return -1;
    double kib = v * scale + 0.5;
    if (!(kib < 9.0e18))   /* larger than any memory (and than int64_t) */
        return -1;
    if (used)
        *used = (size_t)(rest.p - t.p) + ulen;
    return (int64_t)kib;
}

bool jvm_grow(void **arr, size_t n, size_t elem, size_t limit)
{
    if (n >= limit)
        return false;
    bool full = n == 0 || (n >= 8 && (n & (n - 1)) == 0);
    if (!full)
        return true;
    size_t want = n == 0 ? 8 : n * 2;
    void *grown = realloc(*arr, want * elem);
    if (!grown)
        return false;
    memset((char *)grown + n * elem, 0, (want - n) * elem);
    *arr = grown;
    return true;
}
