/* Reads a jsonl recording back (record_jsonl.c writes it). The file may come from anywhere:
 * every id is checked against what was declared before it, every field's type is checked, and
 * an error names the line. */
#include "record.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct id_map {
    uint32_t *ids;                /* file id -> recording id */
    size_t n, cap;
} id_map;

static bool map_put(id_map *m, size_t file_id, uint32_t id)
{
    if (file_id != m->n)          /* ids are declared in order 0, 1, 2, ... */
        return false;
    if (m->n == m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 64;
        uint32_t *p = realloc(m->ids, ncap * sizeof *p);
        if (!p)
            return false;
        m->ids = p;
        m->cap = ncap;
    }
    m->ids[m->n++] = id;
    return true;
}

/* json null -> REC_NONE; an integer declared in m -> its id; else false */
static bool map_get(const id_map *m, json_t *v, uint32_t *out)
{
    if (json_is_null(v)) {
        *out = REC_NONE;
        return true;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 0 || (size_t)json_integer_value(v) >= m->n)
        return false;
    *out = m->ids[json_integer_value(v)];
    return true;
}

typedef struct reader {
    recording *r;
    id_map threads, stacks, waits;
    const char *why;
} reader;

static bool read_header(reader *rd, json_t *o)
{
    json_int_t version = 0, rate = 0;
    int only_cpu = 0;
    json_t *pids = NULL;
    const char *ended = "";
    if (json_unpack(o, "{s:I, s:I, s:o, s?b, s?s}", "format_version", &version, "rate_hz", &rate, "pids", &pids,
                    "only_cpu", &only_cpu, "ended_by", &ended) || version != 1 || rate < 1 || rate > 100000 ||
        !json_is_array(pids)) {
        rd->why = "not a threadlens recording header (format_version 1, rate_hz, pids)";
        return false;
    }
    int ids[64];
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(pids) && n < 64; i++)
        if (json_is_integer(json_array_get(pids, i)))
            ids[n++] = (int)json_integer_value(json_array_get(pids, i));
    if (!(rd->r = record_new((unsigned)rate, only_cpu, ids, n))) {
        rd->why = "out of memory";
        return false;
    }
    snprintf(rd->r->ended_by, sizeof rd->r->ended_by, "%s", ended);
    return true;
}

static bool read_thread(reader *rd, json_t *o)
{
    json_int_t id, pid, tid, start;
    const char *process, *name;
    if (json_unpack(o, "{s:I, s:I, s:I, s:I, s:s, s:s}", "id", &id, "pid", &pid, "tid", &tid, "start_time_ms", &start,
                    "process", &process, "name", &name)) {
        rd->why = "a thread needs id, pid, tid, start_time_ms, process and name";
        return false;
    }
    uint32_t rid = record_thread_add(rd->r, (int)pid, (int)tid, (uint64_t)start, process, name);
    if (rid == REC_NONE || !map_put(&rd->threads, (size_t)id, rid)) {
        rd->why = "thread ids must be 0, 1, 2, ... and unique by tid and start_time_ms";
        return false;
    }
    return true;
}

static bool read_stack(reader *rd, json_t *o)
{
    json_int_t id;
    json_t *frames;
    if (json_unpack(o, "{s:I, s:o}", "id", &id, "frames", &frames) || !json_is_array(frames) ||
        json_array_size(frames) > 100000) {
        rd->why = "a stack needs id and frames (an array of names)";
        return false;
    }
    size_t n = json_array_size(frames);
    uint32_t *ids = malloc((n ? n : 1) * sizeof *ids);
    bool ok = ids != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        const char *s = json_string_value(json_array_get(frames, i));
        ok = s && (ids[i] = record_string(rd->r, s)) != REC_NONE;
    }
    uint32_t sid = ok ? record_stack(rd->r, ids, (uint32_t)n) : REC_NONE;
    free(ids);
    if (sid == REC_NONE || !map_put(&rd->stacks, (size_t)id, sid)) {
        rd->why = "stack ids must be 0, 1, 2, ... and frames strings";
        return false;
    }
    return true;
}

static bool read_wait(reader *rd, json_t *o)
{
    json_int_t id, owner = 0;
    const char *kind, *object;
    tl_wait_kind k;
    if (json_unpack(o, "{s:I, s:s, s:s, s?I}", "id", &id, "kind", &kind, "object", &object, "owner_tid", &owner) ||
        !record_wait_kind_parse(kind, &k)) {
        rd->why = "a wait needs id, a known kind and object";
        return false;
    }
    uint32_t wid = record_wait(rd->r, k, object, (int)owner);
    if (wid == REC_NONE || !map_put(&rd->waits, (size_t)id, wid)) {
        rd->why = "wait ids must be 0, 1, 2, ...";
        return false;
    }
    return true;
}

static bool read_sample(reader *rd, json_t *o)
{
    json_int_t tick, t_ms, unix_ms = 0;
    json_t *threads;
    if (json_unpack(o, "{s:I, s:I, s?I, s:o}", "tick", &tick, "t_ms", &t_ms, "unix_ms", &unix_ms, "threads", &threads) ||
        !json_is_array(threads) || (size_t)tick != rd->r->nticks || t_ms < 0) {
        rd->why = "a sample needs tick (0, 1, 2, ...), t_ms and threads";
        return false;
    }
    rec_tick *ticks = realloc(rd->r->ticks, (rd->r->nticks + 1) * sizeof *ticks);
    if (!ticks) {
        rd->why = "out of memory";
        return false;
    }
    rd->r->ticks = ticks;
    ticks[rd->r->nticks++] = (rec_tick){.unix_ms = unix_ms, .ms = (uint64_t)t_ms};
    for (size_t i = 0; i < json_array_size(threads); i++) {
        json_t *th, *stack, *wait;
        const char *state;
        int ran = 0;
        rec_sample s = {.tick = (uint32_t)tick};
        if (json_unpack(json_array_get(threads, i), "[o, s, o, o, b]", &th, &state, &stack, &wait, &ran) ||
            !map_get(&rd->threads, th, &s.thread) || s.thread == REC_NONE || !map_get(&rd->stacks, stack, &s.stack) ||
            !map_get(&rd->waits, wait, &s.wait) || strlen(state) != 1) {
            rd->why = "a sample's thread is [thread id, \"state\", stack id or null, wait id or null, ran]";
            return false;
        }
        s.state = state[0];
        s.ran = ran;
        if (!record_push_sample(rd->r, &s)) {
            rd->why = "out of memory";
            return false;
        }
    }
    return true;
}

static bool read_line(reader *rd, const char *line)
{
    json_error_t je;
    json_t *o = json_loads(line, JSON_REJECT_DUPLICATES, &je);
    const char *type = json_string_value(json_object_get(o, "type"));
    bool ok = false;
    if (!o || !type)
        rd->why = o ? "a line without \"type\"" : "not JSON";
    else if (!rd->r)
        ok = !strcmp(type, "recording") ? read_header(rd, o) : (rd->why = "the first line must be the recording header", false);
    else if (!strcmp(type, "thread"))
        ok = read_thread(rd, o);
    else if (!strcmp(type, "stack"))
        ok = read_stack(rd, o);
    else if (!strcmp(type, "wait"))
        ok = read_wait(rd, o);
    else if (!strcmp(type, "sample"))
        ok = read_sample(rd, o);
    else
        ok = true;                /* a later version's line: skipped */
    json_decref(o);
    return ok;
}

tl_status record_read_jsonl(FILE *f, const char *name, recording **out, tl_error *err)
{
    *out = NULL;
    reader rd = {0};
    char *line = NULL;
    size_t cap = 0;
    size_t lineno = 0;
    bool ok = true;
    ssize_t len;
    while (ok && (len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (len == 0 || (len == 1 && line[0] == '\n'))
            continue;
        ok = read_line(&rd, line);
    }
    free(line);
    free(rd.threads.ids);
    free(rd.stacks.ids);
    free(rd.waits.ids);
    if (ok && !rd.r) {
        ok = false;
        rd.why = "empty: no recording header";
        lineno = 1;
    }
    if (!ok) {
        record_free(rd.r);
        return tl_error_set(err, TL_EINVAL, "%s line %zu: %s; give a file written by threadlens record --format jsonl",
                            name, lineno, rd.why);
    }
    *out = rd.r;
    return TL_OK;
}
