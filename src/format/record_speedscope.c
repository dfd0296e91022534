/* speedscope's file format (https://www.speedscope.app/file-format-schema.json): the frames
 * shared by all profiles, then one "sampled" profile per thread, each sample a stack of frame
 * indices from the root, weighted by the sampling period in milliseconds. */
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
    return j ? j : json_string("?");
}

/* frame index of each string id that is a frame; fills frames[] */
static json_t *shared_frames(const recording *r, uint32_t *index)
{
    json_t *frames = json_array();
    for (size_t i = 0; i < r->nstrings; i++)
        index[i] = REC_NONE;
    uint32_t n = 0;
    for (size_t s = 0; s < r->nstacks; s++)
        for (uint32_t k = 0; k < r->stacks[s].nframes; k++) {
            uint32_t id = r->stacks[s].frames[k];
            if (index[id] != REC_NONE)
                continue;
            index[id] = n++;
            json_array_append_new(frames, json_pack("{s:o}", "name", str(r->strings[id])));
        }
    return frames;
}

/* order[first[t] .. first[t + 1]) are thread t's samples, in time order */
static json_t *thread_profile(const recording *r, uint32_t thread, const uint32_t *index, double period_ms,
                              const size_t *order, const size_t *first)
{
    json_t *samples = json_array(), *weights = json_array();
    double start = -1, end = 0;
    for (size_t o = first[thread]; o < first[thread + 1]; o++) {
        const rec_sample *x = &r->samples[order[o]];
        if (x->stack == REC_NONE)
            continue;
        const rec_stack *s = &r->stacks[x->stack];
        json_t *stack = json_array();
        for (uint32_t k = 0; k < s->nframes; k++)
            json_array_append_new(stack, json_integer(index[s->frames[k]]));
        json_array_append_new(samples, stack);
        json_array_append_new(weights, json_real(period_ms));
        double t = (double)r->ticks[x->tick].ms;
        if (start < 0)
            start = t;
        end = t + period_ms;
    }
    if (json_array_size(samples) == 0) {
        json_decref(samples);
        json_decref(weights);
        return NULL;
    }
    const rec_thread *t = &r->threads[thread];
    char *pname = escape_utf8_dup(t->process), *tname = escape_utf8_dup(t->name);
    json_t *name = json_sprintf("%s-%d: %s-%d", pname ? pname : "?", t->pid, tname ? tname : "?", t->tid);
    free(pname);
    free(tname);
    return json_pack("{s:s, s:o, s:s, s:f, s:f, s:o, s:o}", "type", "sampled", "name", name ? name : json_string("?"),
                     "unit", "milliseconds", "startValue", start, "endValue", end, "samples", samples,
                     "weights", weights);
}

tl_status record_write_speedscope(const recording *r, FILE *f, tl_error *err)
{
    uint32_t *index = malloc((r->nstrings ? r->nstrings : 1) * sizeof *index);
    size_t *order = malloc((r->nsamples ? r->nsamples : 1) * sizeof *order);
    size_t *first = calloc(r->nthreads + 2, sizeof *first);
    if (!index || !order || !first) {
        free(index);
        free(order);
        free(first);
        return tl_error_set(err, TL_ENOMEM, "out of memory writing the speedscope profile");
    }
    for (size_t i = 0; i < r->nsamples; i++)   /* counting sort by thread, stable */
        first[r->samples[i].thread + 2]++;
    for (size_t t = 2; t < r->nthreads + 2; t++)
        first[t] += first[t - 1];
    for (size_t i = 0; i < r->nsamples; i++)
        order[first[r->samples[i].thread + 1]++] = i;
    double period_ms = 1000.0 / (r->rate_hz ? r->rate_hz : 1);
    json_t *frames = shared_frames(r, index);
    json_t *profiles = json_array();
    for (uint32_t t = 0; t < r->nthreads; t++) {
        json_t *p = thread_profile(r, t, index, period_ms, order, first);
        if (p)
            json_array_append_new(profiles, p);
    }
    free(index);
    free(order);
    free(first);
    char exporter[64];
    snprintf(exporter, sizeof exporter, "threadlens %s", threadlens_version());
    json_t *doc = json_pack("{s:s, s:s, s:s, s:i, s:{s:o}, s:o}",
                            "$schema", "https://www.speedscope.app/file-format-schema.json",
                            "exporter", exporter, "name", "threadlens record", "activeProfileIndex", 0,
                            "shared", "frames", frames, "profiles", profiles);
    bool ok = doc && json_dumpf(doc, f, JSON_COMPACT | JSON_ENSURE_ASCII) == 0 && fputc('\n', f) != EOF;
    json_decref(doc);
    if (!ok || fflush(f) || ferror(f))
        return tl_error_set(err, TL_EIO, "writing the speedscope profile failed");
    return TL_OK;
}
