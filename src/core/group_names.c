/* One-line descriptions of a group: its names and tids compressed into runs, its distinct waits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "threadlens/groups.h"

typedef struct nm_entry {
    const char *name;
    size_t prefix_len;            /* bytes before the trailing number */
    bool has_num;
    unsigned long num;
} nm_entry;

/* "worker-12" -> prefix "worker-", 12. A number with a leading zero or of more than 9 digits is
 * part of the name (so "w-01" and "w-1" stay apart). */
static nm_entry nm_parse(const char *name)
{
    nm_entry e = {name ? name : "", 0, false, 0};
    size_t len = strlen(e.name), d = len;
    while (d > 0 && e.name[d - 1] >= '0' && e.name[d - 1] <= '9')
        d--;
    e.prefix_len = len;
    if (d < len && len - d <= 9 && !(e.name[d] == '0' && len - d > 1)) {
        e.prefix_len = d;
        e.has_num = true;
        e.num = strtoul(e.name + d, NULL, 10);
    }
    return e;
}

static int nm_cmp(const void *a, const void *b)
{
    const nm_entry *x = a, *y = b;
    size_t n = x->prefix_len < y->prefix_len ? x->prefix_len : y->prefix_len;
    int c = memcmp(x->name, y->name, n);
    if (c == 0 && x->prefix_len != y->prefix_len)
        c = x->prefix_len < y->prefix_len ? -1 : 1;
    if (c == 0 && x->has_num != y->has_num)
        c = x->has_num ? 1 : -1;
    if (c == 0 && x->num != y->num)
        c = x->num < y->num ? -1 : 1;
    return c ? c : strcmp(x->name, y->name);
}

static bool nm_same_prefix(const nm_entry *a, const nm_entry *b)
{
    return a->has_num && b->has_num && a->prefix_len == b->prefix_len &&
           memcmp(a->name, b->name, a->prefix_len) == 0;
}

/* One item: entries [i, j) of the sorted list: a repeated name, a run, or a single name. */
static size_t nm_item(const nm_entry *e, size_t n, size_t i, char *buf, size_t cap, bool quote)
{
    const char *q = quote ? "\"" : "";
    size_t j = i + 1;
    while (j < n && strcmp(e[j].name, e[i].name) == 0)
        j++;
    if (j - i > 1) {
        snprintf(buf, cap, "%s%s%s (x%zu)", q, e[i].name, q, j - i);
        return j;
    }
    size_t k = i + 1;   /* a run: same prefix, each number one more than the last */
    while (k < n && nm_same_prefix(&e[i], &e[k]) && e[k].num == e[k - 1].num + 1 &&
           !(k + 1 < n && strcmp(e[k + 1].name, e[k].name) == 0))
        k++;
    if (k - i >= 3) {
        snprintf(buf, cap, "%s%s%s..%s%s%s", q, e[i].name, q, q, e[k - 1].name, q);
        return k;
    }
    snprintf(buf, cap, "%s%s%s", q, e[i].name, q);
    return i + 1;
}

/* Appends items until the budget is used, then "+N more". */
static char *nm_join(const nm_entry *e, size_t n, size_t budget, bool quote)
{
    size_t cap = budget + 600, len = 0;
    char *out = malloc(cap), item[512];
    if (!out)
        return NULL;
    out[0] = '\0';
    size_t i = 0;
    while (i < n) {
        size_t next = nm_item(e, n, i, item, sizeof item, quote);
        size_t add = strlen(item) + (len ? 2 : 0);
        if (len > 0 && len + add > budget)
            break;
        /* len stays below cap: the first item is under 512 bytes, later ones fit the budget */
        len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? ", " : "", item);
        i = next;
    }
    if (i < n)
        snprintf(out + len, cap - len, "%s+%zu more", len ? " " : "", n - i);
    return out;
}

char *groups_names_compress(const char *const *names, size_t n, size_t budget, bool quote)
{
    nm_entry *e = calloc(n ? n : 1, sizeof *e);
    if (!e)
        return NULL;
    for (size_t i = 0; i < n; i++)
        e[i] = nm_parse(names[i]);
    qsort(e, n, sizeof *e, nm_cmp);
    char *out = nm_join(e, n, budget, quote);
    free(e);
    return out;
}

char *groups_names(const tl_snapshot *s, const tl_stack_group *grp, size_t budget, bool quote)
{
    const tl_process *p = &s->procs[grp->proc];
    const char **names = calloc(grp->count ? grp->count : 1, sizeof *names);
    if (!names)
        return NULL;
    for (size_t i = 0; i < grp->count; i++)
        names[i] = p->threads[grp->threads[i]].name;
    char *out = groups_names_compress(names, grp->count, budget, quote);
    free(names);
    return out;
}

char *groups_tids(const tl_snapshot *s, const tl_stack_group *grp, size_t budget)
{
    const tl_process *p = &s->procs[grp->proc];
    size_t cap = budget + 64, len = 0, i = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
    while (i < grp->count) {
        int first = p->threads[grp->threads[i]].tid;
        size_t j = i + 1;
        while (j < grp->count && p->threads[grp->threads[j]].tid == first + (int)(j - i))
            j++;
        char item[32];
        if (j - i >= 3)
            snprintf(item, sizeof item, "%d..%d", first, first + (int)(j - i - 1));
        else
            snprintf(item, sizeof item, "%d", first), j = i + 1;
        if (len > 0 && len + strlen(item) + 2 > budget)
            break;
        len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? ", " : "", item);
        i = j;
    }
    if (i < grp->count)
        snprintf(out + len, cap - len, " +%zu more", grp->count - i);
    return out;
}

static bool same_wait(const tl_wait *a, const tl_wait *b)
{
    if (a->kind != b->kind || a->address != b->address || a->owner_tid != b->owner_tid)
        return false;
    if (a->kind == TL_WAIT_FD)
        return (a->object && b->object) ? strcmp(a->object, b->object) == 0
                                        : a->description && b->description && strcmp(a->description, b->description) == 0;
    return true;
}

#define GW_MAX 64

static int gw_cmp(const void *a, const void *b)
{
    const tl_group_wait *x = a, *y = b;
    return (x->count < y->count) - (x->count > y->count);
}

size_t groups_waits(const tl_snapshot *s, const tl_stack_group *grp, tl_group_wait *out, size_t cap)
{
    const tl_process *p = &s->procs[grp->proc];
    tl_group_wait *all = calloc(grp->count ? grp->count : 1, sizeof *all);
    size_t n = 0;
    if (!all)
        return 0;
    for (size_t i = 0; i < grp->count; i++) {
        const tl_wait *w = &p->threads[grp->threads[i]].wait;
        if (w->kind == TL_WAIT_NONE || !w->description)
            continue;
        size_t k = 0;
        while (k < n && !same_wait(all[k].wait, w))
            k++;
        if (k == n && n == GW_MAX)
            continue;   /* a group whose waits all differ: the first GW_MAX kinds are enough */
        if (k == n)
            all[n++] = (tl_group_wait){w, 0};
        all[k].count++;
    }
    qsort(all, n, sizeof *all, gw_cmp);   /* equal counts: order of first appearance is lost, fine */
    for (size_t i = 0; i < n && i < cap; i++)
        out[i] = all[i];
    free(all);
    return n;
}
