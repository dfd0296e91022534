/* pprof's profile.proto (gzip-compressed protobuf), encoded by protobuf-c from
 * src/format/proto/profile.proto and compressed by zlib. Sample types "wall" (samples) and
 * "cpu" (samples in which the thread was running); one sample per distinct (thread, stack,
 * state, wait kind) with labels "thread name", "tid", "state" and "wait kind". Every frame
 * string is one function and one location (threadlens names frames itself: no mappings). */
#include "record.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "profile.pb-c.h"
#include "threadlens/escape.h"

typedef Perftools__Profiles__Profile Profile;
typedef Perftools__Profiles__Sample Sample;
typedef Perftools__Profiles__Label Label;
typedef Perftools__Profiles__Location Location;
typedef Perftools__Profiles__Line Line;
typedef Perftools__Profiles__Function Function;
typedef Perftools__Profiles__ValueType ValueType;

/* string table: "" first, then the recording's strings (id + 1), then ours */
enum { S_WALL, S_CPU, S_SAMPLES, S_NANOS, S_THREAD, S_TID, S_STATE, S_WAIT, S_FIXED };
static const char *const fixed[S_FIXED] = {"wall", "cpu", "samples", "nanoseconds", "thread name", "tid",
                                           "state", "wait kind"};

typedef struct key { uint32_t thread, stack; char state; uint8_t kind; } key;

static int cmp_key(const void *a, const void *b)
{
    const key *x = a, *y = b;
    if (x->thread != y->thread) return (x->thread > y->thread) - (x->thread < y->thread);
    if (x->stack != y->stack) return (x->stack > y->stack) - (x->stack < y->stack);
    if (x->state != y->state) return (x->state > y->state) - (x->state < y->state);
    return (x->kind > y->kind) - (x->kind < y->kind);
}

typedef struct builder {
    const recording *r;
    char **strings;
    size_t nstrings;
    size_t thread_base;           /* index of the first thread name, then state letters, then kinds */
    size_t state_base, kind_base;
} builder;

static bool add_string(builder *b, const char *s)
{
    char *u = escape_utf8_dup(s ? s : "");   /* proto3 strings must be UTF-8 */
    if (!u)
        return false;
    b->strings[b->nstrings++] = u;
    return true;
}

#define NKINDS (TL_WAIT_OTHER + 1)

static bool build_strings(builder *b)
{
    const recording *r = b->r;
    size_t n = 1 + r->nstrings + S_FIXED + r->nthreads + 256 + NKINDS;
    if (!(b->strings = calloc(n, sizeof *b->strings)))
        return false;
    bool ok = add_string(b, "");
    for (size_t i = 0; ok && i < r->nstrings; i++)
        ok = add_string(b, r->strings[i]);
    for (size_t i = 0; ok && i < S_FIXED; i++)
        ok = add_string(b, fixed[i]);
    b->thread_base = b->nstrings;
    for (size_t i = 0; ok && i < r->nthreads; i++)
        ok = add_string(b, r->threads[i].name);
    b->state_base = b->nstrings;
    for (int c = 0; ok && c < 256; c++) {
        char s[2] = {(char)(c >= 0x21 && c < 0x7f ? c : '?'), '\0'};
        ok = add_string(b, s);
    }
    b->kind_base = b->nstrings;
    for (int k = 0; ok && k < NKINDS; k++)
        ok = add_string(b, record_wait_kind_name((tl_wait_kind)k));
    return ok;
}

#define FIXED_ID(x) ((int64_t)(1 + b->r->nstrings + (x)))

static void *zalloc(void ***all, size_t *nall, size_t size)
{
    void *p = calloc(1, size);
    void **a = p ? realloc(*all, (*nall + 1) * sizeof *a) : NULL;
    if (!a) {
        free(p);
        return NULL;
    }
    *all = a;
    a[(*nall)++] = p;
    return p;
}

static bool gzip_write(const uint8_t *buf, size_t len, FILE *f)
{
    z_stream z = {0};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    unsigned char out[65536];
    z.next_in = (Bytef *)buf;
    z.avail_in = (uInt)len;
    int rc;
    bool ok = true;
    do {
        z.next_out = out;
        z.avail_out = sizeof out;
        rc = deflate(&z, Z_FINISH);
        size_t have = sizeof out - z.avail_out;
        if (rc == Z_STREAM_ERROR || fwrite(out, 1, have, f) != have)
            ok = false;
    } while (ok && rc != Z_STREAM_END);
    deflateEnd(&z);
    return ok;
}

static bool fill_samples(builder *b, Profile *p, void ***all, size_t *nall)
{
    const recording *r = b->r;
    key *k = malloc((r->nsamples ? r->nsamples : 1) * sizeof *k);
    if (!k)
        return false;
    size_t n = 0;
    for (size_t i = 0; i < r->nsamples; i++) {
        const rec_sample *x = &r->samples[i];
        if (x->stack == REC_NONE)
            continue;
        uint8_t kind = x->wait == REC_NONE ? TL_WAIT_NONE : (uint8_t)r->waits[x->wait].kind;
        k[n++] = (key){x->thread, x->stack, x->state, kind};
    }
    qsort(k, n, sizeof *k, cmp_key);
    bool ok = (p->sample = calloc(n ? n : 1, sizeof *p->sample)) != NULL;
    for (size_t i = 0; ok && i < n;) {
        size_t j = i;
        while (j < n && !cmp_key(&k[i], &k[j]))
            j++;
        Sample *s = zalloc(all, nall, sizeof *s);
        const rec_stack *st = &r->stacks[k[i].stack];
        Label *l = zalloc(all, nall, 4 * sizeof *l);
        Label **lp = zalloc(all, nall, 4 * sizeof *lp);
        uint64_t *locs = zalloc(all, nall, (st->nframes ? st->nframes : 1) * sizeof *locs);
        int64_t *vals = zalloc(all, nall, 2 * sizeof *vals);
        if (!s || !l || !lp || !locs || !vals) {
            ok = false;
            break;
        }
        perftools__profiles__sample__init(s);
        for (uint32_t f = 0; f < st->nframes; f++)   /* leaf first */
            locs[f] = st->frames[st->nframes - 1 - f] + 1;
        s->location_id = locs;
        s->n_location_id = st->nframes;
        vals[0] = (int64_t)(j - i);
        vals[1] = k[i].state == 'R' ? (int64_t)(j - i) : 0;
        s->value = vals;
        s->n_value = 2;
        for (int q = 0; q < 4; q++) {
            perftools__profiles__label__init(&l[q]);
            lp[q] = &l[q];
        }
        l[0].key = FIXED_ID(S_THREAD);
        l[0].str = (int64_t)(b->thread_base + k[i].thread);
        l[1].key = FIXED_ID(S_TID);
        l[1].num = r->threads[k[i].thread].tid;
        l[2].key = FIXED_ID(S_STATE);
        l[2].str = (int64_t)(b->state_base + (unsigned char)k[i].state);
        l[3].key = FIXED_ID(S_WAIT);
        l[3].str = (int64_t)(b->kind_base + k[i].kind);
        s->label = lp;
        s->n_label = 4;
        p->sample[p->n_sample++] = s;
        i = j;
    }
    free(k);
    return ok;
}

/* one function and one location per string used as a frame; ids are string id + 1 */
static bool fill_locations(builder *b, Profile *p, void ***all, size_t *nall)
{
    const recording *r = b->r;
    bool *used = calloc(r->nstrings ? r->nstrings : 1, sizeof *used);
    size_t nused = 0;
    if (!used)
        return false;
    for (size_t s = 0; s < r->nstacks; s++)
        for (uint32_t k = 0; k < r->stacks[s].nframes; k++)
            if (!used[r->stacks[s].frames[k]]) {
                used[r->stacks[s].frames[k]] = true;
                nused++;
            }
    p->location = calloc(nused ? nused : 1, sizeof *p->location);
    p->function = calloc(nused ? nused : 1, sizeof *p->function);
    bool ok = p->location && p->function;
    for (size_t i = 0; ok && i < r->nstrings; i++) {
        if (!used[i])
            continue;
        Location *loc = zalloc(all, nall, sizeof *loc);
        Line *line = zalloc(all, nall, sizeof *line);
        Line **lines = zalloc(all, nall, sizeof *lines);
        Function *fn = zalloc(all, nall, sizeof *fn);
        if (!loc || !line || !lines || !fn) {
            ok = false;
            break;
        }
        perftools__profiles__location__init(loc);
        perftools__profiles__line__init(line);
        perftools__profiles__function__init(fn);
        fn->id = i + 1;
        fn->name = fn->system_name = (int64_t)(i + 1);
        line->function_id = i + 1;
        lines[0] = line;
        loc->id = i + 1;
        loc->line = lines;
        loc->n_line = 1;
        p->location[p->n_location++] = loc;
        p->function[p->n_function++] = fn;
    }
    free(used);
    return ok;
}

tl_status record_write_pprof(const recording *r, FILE *f, tl_error *err)
{
    builder bb = {.r = r}, *b = &bb;
    void **all = NULL;
    size_t nall = 0;
    Profile p;
    perftools__profiles__profile__init(&p);
    ValueType wall, cpu, period;
    ValueType *types[2] = {&wall, &cpu};
    perftools__profiles__value_type__init(&wall);
    perftools__profiles__value_type__init(&cpu);
    perftools__profiles__value_type__init(&period);
    bool ok = build_strings(b);
    if (ok) {
        wall.type = FIXED_ID(S_WALL);
        wall.unit = cpu.unit = FIXED_ID(S_SAMPLES);
        cpu.type = FIXED_ID(S_CPU);
        period.type = FIXED_ID(S_WALL);
        period.unit = FIXED_ID(S_NANOS);
        p.sample_type = types;
        p.n_sample_type = 2;
        p.period_type = &period;
        p.period = 1000000000LL / (r->rate_hz ? r->rate_hz : 1);
        p.default_sample_type = FIXED_ID(S_WALL);
        p.string_table = b->strings;
        p.n_string_table = b->nstrings;
        if (r->nticks) {
            p.time_nanos = r->ticks[0].unix_ms * 1000000LL;
            p.duration_nanos = (int64_t)(r->ticks[r->nticks - 1].ms * 1000000ULL) + p.period;
        }
        ok = fill_samples(b, &p, &all, &nall) && fill_locations(b, &p, &all, &nall);
    }
    uint8_t *buf = NULL;
    size_t len = 0;
    if (ok) {
        len = perftools__profiles__profile__get_packed_size(&p);
        ok = (buf = malloc(len ? len : 1)) != NULL;
        if (ok)
            perftools__profiles__profile__pack(&p, buf);
    }
    bool mem_ok = ok;
    if (ok)
        ok = gzip_write(buf, len, f) && !fflush(f) && !ferror(f);
    free(buf);
    for (size_t i = 0; i < nall; i++)
        free(all[i]);
    free(all);
    free(p.sample);
    free(p.location);
    free(p.function);
    for (size_t i = 0; i < b->nstrings; i++)
        free(b->strings[i]);
    free(b->strings);
    if (!mem_ok)
        return tl_error_set(err, TL_ENOMEM, "out of memory building the pprof profile");
    if (!ok)
        return tl_error_set(err, TL_EIO, "writing the pprof profile failed");
    return TL_OK;
}
