/* threadlens's own recording format, one JSON object per line (docs/record.md):
 *   {"type":"recording", "format_version":1, "rate_hz", "pids", "only_cpu", "ended_by", ...}
 *   {"type":"thread", "id", "pid", "tid", "start_time_ms", "process", "name"}
 *   {"type":"stack", "id", "frames":[root … leaf]}
 *   {"type":"wait", "id", "kind", "object", "owner_tid"}
 *   {"type":"sample", "tick", "t_ms", "unix_ms", "threads":[[thread, "state", stack|null, wait|null, ran]]}
 * the input of threadlens report. Target-written strings are made valid UTF-8 first. */
#include "record.h"

#include <jansson.h>
#include <stdlib.h>

#include "threadlens/escape.h"
#include "threadlens/format.h"

static json_t *str(const char *s)
{
    char *u = escape_utf8_dup(s ? s : "");
    json_t *j = u ? json_string(u) : NULL;
    free(u);
    return j ? j : json_null();
}

static bool put(json_t *obj, FILE *f)
{
    bool ok = obj && json_dumpf(obj, f, JSON_COMPACT | JSON_ENSURE_ASCII) == 0 && fputc('\n', f) != EOF;
    json_decref(obj);
    return ok;
}

static json_t *id_or_null(uint32_t id)
{
    return id == REC_NONE ? json_null() : json_integer(id);
}

static bool write_header(const recording *r, FILE *f)
{
    json_t *pids = json_array();
    for (size_t i = 0; i < r->npids; i++)
        json_array_append_new(pids, json_integer(r->pids[i]));
    return put(json_pack("{s:s, s:i, s:s, s:I, s:o, s:b, s:s, s:I, s:I, s:I, s:I}",
                         "type", "recording", "format_version", 1, "threadlens_version", threadlens_version(),
                         "rate_hz", (json_int_t)r->rate_hz, "pids", pids, "only_cpu", r->only_cpu,
                         "ended_by", r->ended_by, "ticks", (json_int_t)r->nticks,
                         "samples", (json_int_t)r->nsamples, "stops", (json_int_t)r->stops,
                         "memory_bytes", (json_int_t)record_memory(r)), f);
}

static bool write_tables(const recording *r, FILE *f)
{
    bool ok = true;
    for (size_t i = 0; ok && i < r->nthreads; i++) {
        const rec_thread *t = &r->threads[i];
        ok = put(json_pack("{s:s, s:I, s:i, s:i, s:I, s:o, s:o}", "type", "thread", "id", (json_int_t)i,
                           "pid", t->pid, "tid", t->tid, "start_time_ms", (json_int_t)t->start_time_ms,
                           "process", str(t->process), "name", str(t->name)), f);
    }
    for (size_t i = 0; ok && i < r->nstacks; i++) {
        json_t *frames = json_array();
        for (uint32_t k = 0; k < r->stacks[i].nframes; k++)
            json_array_append_new(frames, str(r->strings[r->stacks[i].frames[k]]));
        ok = put(json_pack("{s:s, s:I, s:o}", "type", "stack", "id", (json_int_t)i, "frames", frames), f);
    }
    for (size_t i = 0; ok && i < r->nwaits; i++) {
        const rec_wait *w = &r->waits[i];
        ok = put(json_pack("{s:s, s:I, s:s, s:o, s:i}", "type", "wait", "id", (json_int_t)i,
                           "kind", record_wait_kind_name(w->kind), "object", str(r->strings[w->object]),
                           "owner_tid", w->owner_tid), f);
    }
    return ok;
}

tl_status record_write_jsonl(const recording *r, FILE *f, tl_error *err)
{
    bool ok = write_header(r, f) && write_tables(r, f);
    size_t s = 0;
    for (size_t t = 0; ok && t < r->nticks; t++) {
        json_t *threads = json_array();
        for (; s < r->nsamples && r->samples[s].tick == t; s++) {
            const rec_sample *x = &r->samples[s];
            char state[2] = {x->state ? x->state : '?', '\0'};
            json_array_append_new(threads, json_pack("[I, s, o, o, b]", (json_int_t)x->thread, state,
                                                     id_or_null(x->stack), id_or_null(x->wait), x->ran));
        }
        ok = put(json_pack("{s:s, s:I, s:I, s:I, s:o}", "type", "sample", "tick", (json_int_t)t,
                           "t_ms", (json_int_t)r->ticks[t].ms, "unix_ms", (json_int_t)r->ticks[t].unix_ms,
                           "threads", threads), f);
    }
    if (!ok || fflush(f) || ferror(f))
        return tl_error_set(err, TL_EIO, "writing the jsonl recording failed");
    return TL_OK;
}
