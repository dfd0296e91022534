/* Reading a saved dump: the JSON dump is threadlens's file format ("format_version"). The file
 * may come from anywhere, so it is checked before it is trusted: JSON at all, complete, a
 * threadlens dump, and a format this build knows. Each refusal is one line saying which. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "json_read_parts.h"
#include "threadlens/format.h"

static bool read_notes(const json_t *a, tl_snapshot *s)
{
    for (size_t i = 0; i < json_array_size(a); i++) {
        const char *n = json_string_value(json_array_get(a, i));
        if (n && !snapshot_add_note(s, "%s", n))
            return false;
    }
    return true;
}

static bool read_processes(const json_t *a, tl_snapshot *s)
{
    size_t n = json_array_size(a);
    if (!n)
        return true;
    s->procs = calloc(n, sizeof *s->procs);
    if (!s->procs)
        return false;
    for (; s->nprocs < n; s->nprocs++)
        if (!jr_process(json_array_get(a, s->nprocs), &s->procs[s->nprocs]))
            return s->nprocs++, false;
    return true;
}

static tl_wait_kind kind_from_name(const char *name)
{
    for (int k = TL_WAIT_MUTEX; name && k <= TL_WAIT_OTHER; k++)
        if (!strcmp(name, model_wait_kind_name((tl_wait_kind)k)))
            return (tl_wait_kind)k;
    return TL_WAIT_OTHER;
}

static bool read_deadlock(const json_t *o, tl_deadlock *d)
{
    const json_t *tids = json_object_get(o, "threads"), *edges = json_object_get(o, "edges");
    d->reported_by_jvm = !strcmp(json_string_value(json_object_get(o, "level")) ?: "", "java");
    d->tids = calloc(json_array_size(tids) + 1, sizeof *d->tids);
    d->edges = calloc(json_array_size(edges) + 1, sizeof *d->edges);
    if (!d->tids || !d->edges)
        return false;
    for (size_t i = 0; i < json_array_size(tids); i++) {
        json_int_t v = json_integer_value(json_array_get(tids, i));
        d->tids[d->ntids++] = v > 0 && v <= INT_MAX ? (int)v : 0;
    }
    for (size_t i = 0; i < json_array_size(edges); i++) {
        const json_t *e = json_array_get(edges, i);
        tl_wait_edge *w = &d->edges[d->nedges++];
        w->waiter_tid = (int)jr_int(e, "waiter", 0, INT_MAX, 0);
        w->holder_tid = (int)jr_int(e, "holder", 0, INT_MAX, 0);
        w->kind = kind_from_name(json_string_value(json_object_get(e, "kind")));
        w->address = jr_hex(e, "address");
    }
    return true;
}

static bool read_deadlocks(const json_t *a, tl_snapshot *s)
{
    size_t n = json_array_size(a);
    if (!n)
        return true;
    s->deadlocks = calloc(n, sizeof *s->deadlocks);
    if (!s->deadlocks)
        return false;
    for (; s->ndeadlocks < n; s->ndeadlocks++)
        if (!read_deadlock(json_array_get(a, s->ndeadlocks), &s->deadlocks[s->ndeadlocks]))
            return s->ndeadlocks++, false;
    return true;
}

static uint64_t jr_ns(const json_t *o, const char *key, double scale)
{
    double v = json_number_value(json_object_get(o, key));
    return v > 0 && v < 1e18 / scale ? (uint64_t)(v * scale + 0.5) : 0;
}

static void read_stall(const json_t *o, tl_stall_stats *st)
{
    st->threads_stopped = (size_t)jr_u64(o, "threads_stopped");
    st->median_ns = jr_ns(o, "median_us", 1e3);
    st->max_ns = jr_ns(o, "max_us", 1e3);
    st->total_ns = jr_ns(o, "total_ms", 1e6);
    st->capture_wall_ns = jr_ns(o, "capture_wall_ms", 1e6);
    st->threads_not_stopped = (size_t)jr_u64(o, "threads_not_stopped");
    const json_t *fb = json_object_get(o, "fallbacks");
    for (int r = 0; r < TL_STOP_NREASONS; r++)
        st->fallbacks[r] = (size_t)jr_u64(fb, model_stop_reason_name((tl_stop_reason)r));
    st->wait_median_ns = jr_ns(o, "stop_wait_median_us", 1e3);
    st->wait_max_ns = jr_ns(o, "stop_wait_max_us", 1e3);
    st->held_median_ns = jr_ns(o, "held_median_us", 1e3);
    st->held_max_ns = jr_ns(o, "held_max_us", 1e3);
}

static void read_window(const json_t *o, tl_window *w)
{
    w->samples = (unsigned)jr_int(o, "samples", 0, UINT_MAX, 0);
    w->interval_ms = jr_u64(o, "interval_ms");
    w->first_unix_ms = jr_int(o, "first_unix_ms", 0, INT64_MAX, 0);
    w->last_unix_ms = jr_int(o, "last_unix_ms", 0, INT64_MAX, 0);
    w->stops_saved = (size_t)jr_u64(o, "stops_saved");
}

static bool read_chains(const json_t *a, tl_snapshot *s)
{
    size_t n = json_array_size(a);
    if (!n)
        return true;
    s->chains = calloc(n, sizeof *s->chains);
    if (!s->chains)
        return false;
    for (; s->nchains < n; s->nchains++) {
        const json_t *c = json_array_get(a, s->nchains);
        tl_chain *ch = &s->chains[s->nchains];
        ch->tids = calloc(json_array_size(c) + 1, sizeof *ch->tids);
        if (!ch->tids)
            return false;
        for (size_t i = 0; i < json_array_size(c); i++) {
            json_int_t v = json_integer_value(json_array_get(c, i));
            ch->tids[ch->ntids++] = v > 0 && v <= INT_MAX ? (int)v : 0;
        }
        for (size_t i = 0; ch->ntids > 1 && i + 1 < ch->ntids; i++)
            if (ch->tids[i] == ch->tids[ch->ntids - 1])
                ch->cycle = true;
    }
    return true;
}

static bool read_snapshot(const json_t *root, tl_snapshot *s)
{
    s->taken_unix_ms = jr_int(root, "taken_unix_ms", 0, INT64_MAX, 0);
    s->uptime_ms = jr_u64(root, "uptime_ms");
    s->stacks_taken = jr_bool(root, "stacks_taken");
    s->partial = jr_bool(root, "partial");
    read_stall(json_object_get(root, "stall"), &s->stall);
    read_window(json_object_get(root, "window"), &s->window);
    return read_notes(json_object_get(root, "notes"), s) &&
           read_processes(json_object_get(root, "processes"), s) &&
           read_deadlocks(json_object_get(root, "deadlocks"), s) &&
           read_chains(json_object_get(root, "chains"), s);
}

/* Is root a dump this build can read? NULL when it is, else why not. */
static const char *check_root(const json_t *root, char *buf, size_t len)
{
    if (!json_is_object(root) || !json_is_string(json_object_get(root, "threadlens_version")) ||
        !json_is_array(json_object_get(root, "processes")))
        return "is JSON but not a threadlens JSON dump (no \"threadlens_version\" and \"processes\")";
    const json_t *fv = json_object_get(root, "format_version");
    if (fv && !json_is_integer(fv))
        return "has a \"format_version\" that is not a number: not a threadlens JSON dump";
    if (fv && json_integer_value(fv) > TL_FORMAT_VERSION) {
        snprintf(buf, len, "has format_version %lld, newer than this threadlens reads (%d): use a newer threadlens",
                 (long long)json_integer_value(fv), TL_FORMAT_VERSION);
        return buf;
    }
    return NULL;
}

tl_status format_json_read(const char *data, size_t len, const char *name, tl_snapshot **out, tl_error *err)
{
    *out = NULL;
    size_t i = 0;
    while (i < len && strchr(" \t\r\n", data[i]))
        i++;
    if (i == len)
        return tl_error_set(err, TL_EINVAL, "%s is empty: not a threadlens JSON dump", name);
    json_error_t jerr;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (json_error_code(&jerr) == json_error_premature_end_of_input)
            return tl_error_set(err, TL_EINVAL, "%s is truncated: its JSON ends early (line %d)", name, jerr.line);
        return tl_error_set(err, TL_EINVAL, "%s is not JSON (line %d: %s)", name, jerr.line, jerr.text);
    }
    char why[160];
    const char *bad = check_root(root, why, sizeof why);
    if (bad) {
        json_decref(root);
        return tl_error_set(err, TL_EINVAL, "%s %s", name, bad);
    }
    tl_snapshot *s = calloc(1, sizeof *s);
    bool ok = s && read_snapshot(root, s);
    json_decref(root);
    if (!ok) {
        snapshot_free(s);
        return tl_error_set(err, TL_ENOMEM, "out of memory reading %s", name);
    }
    *out = s;
    return TL_OK;
}

tl_status format_json_load(const char *path, tl_snapshot **out, tl_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return tl_error_set(err, errno == ENOENT ? TL_ENOENT : TL_EIO, "cannot open %s: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            char *bigger = cap < ((size_t)1 << 34) ? realloc(buf, cap *= 2) : NULL;
            if (!bigger)
                free(buf);
            buf = bigger;
        }
    }
    bool failed = ferror(f);
    fclose(f);
    if (!buf)
        return tl_error_set(err, TL_ENOMEM, "out of memory reading %s", path);
    if (failed) {
        free(buf);
        return tl_error_set(err, TL_EIO, "cannot read %s (a directory?)", path);
    }
    tl_status st = format_json_read(buf, len, path, out, err);
    free(buf);
    return st;
}
