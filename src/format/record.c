/* The recording's tables: strings, stacks and waits interned through open-addressing hash
 * tables of ids, so a sample is 20 bytes however deep its stack is. */
#include "record.h"

#include <stdlib.h>
#include <string.h>

#include "threadlens/escape.h"

typedef struct id_table {
    uint32_t *slots;              /* id + 1; 0 = empty */
    size_t cap;                   /* power of two */
    size_t n;
} id_table;

struct rec_recording {
    id_table strings, stacks, waits, threads;
    size_t string_bytes, frame_bytes;
};

static uint64_t hash_bytes(const void *p, size_t n, uint64_t h)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ULL;   /* FNV-1a */
    return h;
}

#define HASH_SEED 14695981039346656037ULL

static uint64_t hash_string(const char *s) { return hash_bytes(s, strlen(s), HASH_SEED); }
static uint64_t hash_stack(const uint32_t *f, uint32_t n) { return hash_bytes(f, n * sizeof *f, HASH_SEED); }
static uint64_t hash_wait(tl_wait_kind k, uint32_t object, int owner)
{
    uint64_t h = hash_bytes(&k, sizeof k, HASH_SEED);
    h = hash_bytes(&object, sizeof object, h);
    return hash_bytes(&owner, sizeof owner, h);
}

static bool grow_array(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : 64;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*arr, ncap * elem);
    if (!p)
        return false;
    *arr = p;
    *cap = ncap;
    return true;
}

recording *record_new(unsigned rate_hz, bool only_cpu, const int *pids, size_t npids)
{
    recording *r = calloc(1, sizeof *r);
    if (!r || !(r->intern = calloc(1, sizeof *r->intern)) ||
        !(r->pids = calloc(npids ? npids : 1, sizeof *r->pids))) {
        if (r)
            free(r->intern);
        free(r);
        return NULL;
    }
    memcpy(r->pids, pids, npids * sizeof *pids);
    r->npids = npids;
    r->rate_hz = rate_hz;
    r->only_cpu = only_cpu;
    return r;
}

void record_free(recording *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nstrings; i++)
        free(r->strings[i]);
    for (size_t i = 0; i < r->nstacks; i++)
        free(r->stacks[i].frames);
    for (size_t i = 0; i < r->nthreads; i++) {
        free(r->threads[i].process);
        free(r->threads[i].name);
    }
    free(r->intern->strings.slots);
    free(r->intern->stacks.slots);
    free(r->intern->waits.slots);
    free(r->intern->threads.slots);
    free(r->intern);
    free(r->strings);
    free(r->stacks);
    free(r->waits);
    free(r->threads);
    free(r->samples);
    free(r->ticks);
    free(r->pids);
    free(r);
}

size_t record_memory(const recording *r)
{
    const rec_recording *in = r->intern;
    return sizeof *r + r->samples_cap * sizeof *r->samples + r->nticks * sizeof *r->ticks +
           r->nthreads * sizeof *r->threads + r->nstacks * sizeof *r->stacks + r->nwaits * sizeof *r->waits +
           r->nstrings * sizeof *r->strings + in->string_bytes + in->frame_bytes +
           (in->strings.cap + in->stacks.cap + in->waits.cap + in->threads.cap) * sizeof(uint32_t);
}

/* The slot of the entry equal to the key (eq), or the empty slot where it goes. */
typedef bool (*eq_fn)(const recording *r, uint32_t id, const void *key);

static uint32_t *probe(const recording *r, id_table *t, uint64_t h, eq_fn eq, const void *key)
{
    size_t mask = t->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        if (!t->slots[i] || eq(r, t->slots[i] - 1, key))
            return &t->slots[i];
    }
}

typedef uint64_t (*rehash_fn)(const recording *r, uint32_t id);

/* Keeps the table at most half full. */
static bool table_reserve(recording *r, id_table *t, rehash_fn rehash)
{
    if ((t->n + 1) * 2 <= t->cap)
        return true;
    size_t ncap = t->cap ? t->cap * 2 : 256;
    uint32_t *slots = calloc(ncap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slots[i])
            continue;
        size_t j = rehash(r, t->slots[i] - 1) & (ncap - 1);
        while (slots[j])
            j = (j + 1) & (ncap - 1);
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->cap = ncap;
    return true;
}

static bool eq_string(const recording *r, uint32_t id, const void *key) { return !strcmp(r->strings[id], key); }
static uint64_t rehash_string(const recording *r, uint32_t id) { return hash_string(r->strings[id]); }

uint32_t record_string(recording *r, const char *s)
{
    id_table *t = &r->intern->strings;
    if (!table_reserve(r, t, rehash_string))
        return REC_NONE;
    uint32_t *slot = probe(r, t, hash_string(s), eq_string, s);
    if (*slot)
        return *slot - 1;
    size_t cap = r->nstrings;   /* grown in steps of 64: keep the capacity implicit */
    size_t alloc = (cap + 63) / 64 * 64;
    char *copy = strdup(s);
    if (!copy || !grow_array((void **)&r->strings, &alloc, r->nstrings + 1, sizeof *r->strings)) {
        free(copy);
        return REC_NONE;
    }
    r->strings[r->nstrings] = copy;
    r->intern->string_bytes += strlen(s) + 1;
    t->n++;
    *slot = (uint32_t)++r->nstrings;
    return *slot - 1;
}

typedef struct stack_key { const uint32_t *f; uint32_t n; } stack_key;

static bool eq_stack(const recording *r, uint32_t id, const void *key)
{
    const stack_key *k = key;
    return r->stacks[id].nframes == k->n && !memcmp(r->stacks[id].frames, k->f, k->n * sizeof *k->f);
}
static uint64_t rehash_stack(const recording *r, uint32_t id) { return hash_stack(r->stacks[id].frames, r->stacks[id].nframes); }

uint32_t record_stack(recording *r, const uint32_t *frames, uint32_t n)
{
    id_table *t = &r->intern->stacks;
    if (!table_reserve(r, t, rehash_stack))
        return REC_NONE;
    stack_key key = {frames, n};
    uint32_t *slot = probe(r, t, hash_stack(frames, n), eq_stack, &key);
    if (*slot)
        return *slot - 1;
    size_t alloc = (r->nstacks + 63) / 64 * 64;
    uint32_t *copy = malloc((n ? n : 1) * sizeof *copy);
    if (!copy || !grow_array((void **)&r->stacks, &alloc, r->nstacks + 1, sizeof *r->stacks)) {
        free(copy);
        return REC_NONE;
    }
    memcpy(copy, frames, n * sizeof *copy);
    r->stacks[r->nstacks] = (rec_stack){copy, n};
    r->intern->frame_bytes += n * sizeof *copy;
    t->n++;
    *slot = (uint32_t)++r->nstacks;
    return *slot - 1;
}

static bool eq_wait(const recording *r, uint32_t id, const void *key)
{
    const rec_wait *a = &r->waits[id], *b = key;
    return a->kind == b->kind && a->object == b->object && a->owner_tid == b->owner_tid;
}
static uint64_t rehash_wait(const recording *r, uint32_t id)
{
    return hash_wait(r->waits[id].kind, r->waits[id].object, r->waits[id].owner_tid);
}

uint32_t record_wait(recording *r, tl_wait_kind kind, const char *object, int owner_tid)
{
    uint32_t obj = record_string(r, object ? object : "");
    id_table *t = &r->intern->waits;
    if (obj == REC_NONE || !table_reserve(r, t, rehash_wait))
        return REC_NONE;
    rec_wait key = {kind, obj, owner_tid};
    uint32_t *slot = probe(r, t, hash_wait(kind, obj, owner_tid), eq_wait, &key);
    if (*slot)
        return *slot - 1;
    size_t alloc = (r->nwaits + 63) / 64 * 64;
    if (!grow_array((void **)&r->waits, &alloc, r->nwaits + 1, sizeof *r->waits))
        return REC_NONE;
    r->waits[r->nwaits] = key;
    t->n++;
    *slot = (uint32_t)++r->nwaits;
    return *slot - 1;
}

typedef struct thread_key { int tid; uint64_t start; } thread_key;

static uint64_t hash_thread(int tid, uint64_t start)
{
    return hash_bytes(&start, sizeof start, hash_bytes(&tid, sizeof tid, HASH_SEED));
}
static bool eq_thread(const recording *r, uint32_t id, const void *key)
{
    const thread_key *k = key;
    return r->threads[id].tid == k->tid && r->threads[id].start_time_ms == k->start;
}
static uint64_t rehash_thread(const recording *r, uint32_t id)
{
    return hash_thread(r->threads[id].tid, r->threads[id].start_time_ms);
}

uint32_t record_thread_find(const recording *r, int tid, uint64_t start_time_ms)
{
    const id_table *t = &r->intern->threads;
    if (!t->cap)
        return REC_NONE;
    thread_key key = {tid, start_time_ms};
    uint32_t *slot = probe(r, (id_table *)t, hash_thread(tid, start_time_ms), eq_thread, &key);
    return *slot ? *slot - 1 : REC_NONE;
}

uint32_t record_thread_add(recording *r, int pid, int tid, uint64_t start_time_ms, const char *process,
                           const char *name)
{
    id_table *t = &r->intern->threads;
    if (!table_reserve(r, t, rehash_thread))
        return REC_NONE;
    thread_key key = {tid, start_time_ms};
    uint32_t *slot = probe(r, t, hash_thread(tid, start_time_ms), eq_thread, &key);
    if (*slot)
        return *slot - 1;
    size_t alloc = (r->nthreads + 63) / 64 * 64;
    char *pc = strdup(process ? process : ""), *nc = strdup(name ? name : "");
    if (!pc || !nc || !grow_array((void **)&r->threads, &alloc, r->nthreads + 1, sizeof *r->threads)) {
        free(pc);
        free(nc);
        return REC_NONE;
    }
    r->threads[r->nthreads] = (rec_thread){.pid = pid, .tid = tid, .start_time_ms = start_time_ms,
                                           .process = pc, .name = nc, .last_stack = REC_NONE};
    t->n++;
    *slot = (uint32_t)++r->nthreads;
    return *slot - 1;
}

bool record_push_sample(recording *r, const rec_sample *s)
{
    if (!grow_array((void **)&r->samples, &r->samples_cap, r->nsamples + 1, sizeof *r->samples))
        return false;
    r->samples[r->nsamples++] = *s;
    return true;
}

static const char *const kind_names[] = {
    [TL_WAIT_NONE] = "none", [TL_WAIT_MUTEX] = "mutex", [TL_WAIT_PI_MUTEX] = "pi_mutex",
    [TL_WAIT_JOIN] = "join", [TL_WAIT_CONDVAR] = "condvar", [TL_WAIT_RWLOCK] = "rwlock",
    [TL_WAIT_SEMAPHORE] = "semaphore", [TL_WAIT_FUTEX] = "futex", [TL_WAIT_FD] = "fd",
    [TL_WAIT_SLEEP] = "sleep", [TL_WAIT_CHILD] = "child", [TL_WAIT_OTHER] = "other",
};

const char *record_wait_kind_name(tl_wait_kind k)
{
    return (unsigned)k < sizeof kind_names / sizeof *kind_names ? kind_names[k] : "other";
}

bool record_wait_kind_parse(const char *name, tl_wait_kind *out)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof *kind_names; i++)
        if (!strcmp(kind_names[i], name)) {
            *out = (tl_wait_kind)i;
            return true;
        }
    return false;
}

char record_state_class(const recording *r, const rec_sample *s)
{
    if (s->state == 'R')
        return 'R';
    if (s->state == 'D')
        return 'D';
    if (s->wait != REC_NONE) {
        switch (r->waits[s->wait].kind) {
        case TL_WAIT_MUTEX: case TL_WAIT_PI_MUTEX: case TL_WAIT_RWLOCK: case TL_WAIT_SEMAPHORE:
            return 'L';
        case TL_WAIT_FD:
            return 'I';
        default:
            break;
        }
    }
    return 'S';
}

char *record_clean(const char *s, bool no_space)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    char *out = malloc(n * 4 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t len = escape_utf8_len(p);
        bool c1 = len == 2 && p[0] == 0xc2 && p[1] < 0xa0;   /* U+0080..U+009F */
        if (len == 0 || c1 || *p < 0x20 || *p == 0x7f || *p == ';' || *p == '\\' || (no_space && *p == ' ')) {
            o += (size_t)sprintf(out + o, "\\x%02x", *p);
            p++;
            continue;
        }
        memcpy(out + o, p, len);
        o += len;
        p += len;
    }
    out[o] = '\0';
    return out;
}
