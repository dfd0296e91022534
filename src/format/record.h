/* A recording (threadlens record): samples of every thread's state, stack and wait, taken at a
 * fixed rate, with stacks, frame names and waits interned so that memory grows with what
 * differs, not with the samples. Built from snapshots (record_add_snapshot) or read back from
 * its jsonl form (record_read_jsonl); written by the four writers (folded, pprof, speedscope,
 * jsonl) and summarised by record_report. No curses, no terminal. */
#ifndef THREADLENS_RECORD_H
#define THREADLENS_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "threadlens/error.h"
#include "threadlens/model.h"

#define REC_NONE UINT32_MAX   /* no stack / no wait */

typedef struct rec_thread {
    int pid, tid;
    uint64_t start_time_ms;       /* tells a reused TID from the thread that had it */
    char *process;                /* comm of its process, raw bytes */
    char *name;                   /* thread name, raw bytes */
    uint32_t last_stack;          /* the stack its last sample had (counts again when it did not run) */
} rec_thread;

typedef struct rec_stack {
    uint32_t *frames;             /* string ids, root first */
    uint32_t nframes;
} rec_stack;

typedef struct rec_wait {
    tl_wait_kind kind;
    uint32_t object;              /* string id: what it waits on ("mutex 0x…", "fd 3: pipe:[…]") */
    int owner_tid;                /* 0: none known */
} rec_wait;

typedef struct rec_sample {
    uint32_t tick;
    uint32_t thread;
    uint32_t stack;               /* REC_NONE: no stack */
    uint32_t wait;                /* REC_NONE: not waiting on anything named */
    char state;                   /* R S D T Z I ... */
    bool ran;                     /* ran since the previous sample (its stack was taken again) */
} rec_sample;

typedef struct rec_tick {
    int64_t unix_ms;
    uint64_t ms;                  /* since the recording started */
} rec_tick;

typedef struct rec_recording rec_recording;   /* the interning tables are private */

typedef struct recording {
    unsigned rate_hz;
    bool only_cpu;
    int *pids;
    size_t npids;
    rec_tick *ticks;
    size_t nticks;
    rec_sample *samples;
    size_t nsamples, samples_cap;
    rec_thread *threads;
    size_t nthreads;
    rec_stack *stacks;
    size_t nstacks;
    rec_wait *waits;
    size_t nwaits;
    char **strings;
    size_t nstrings;
    uint64_t stops;               /* threads stopped for their stack, in all */
    char ended_by[64];            /* "duration", "interrupt", "target exited", "memory bound" */
    rec_recording *intern;        /* hash tables */
} recording;

recording *record_new(unsigned rate_hz, bool only_cpu, const int *pids, size_t npids);
void record_free(recording *r);

/* Bytes the recording holds (tables and samples): what threadlens says it used. */
size_t record_memory(const recording *r);

/* Adds one sample of every thread of snap, taken with the sampler's stacks_since = the
 * previous sample's snapshot: a thread that was not stopped again (it had not run) counts its
 * previous stack again. TL_ENOMEM. */
tl_status record_add_snapshot(recording *r, const tl_snapshot *snap, uint64_t since_start_ms,
                              tl_error *err);

/* Interning, for the jsonl reader and the tests. Return REC_NONE when out of memory. */
uint32_t record_string(recording *r, const char *s);
uint32_t record_stack(recording *r, const uint32_t *frames, uint32_t n);
uint32_t record_wait(recording *r, tl_wait_kind kind, const char *object, int owner_tid);
bool record_push_sample(recording *r, const rec_sample *s);
/* Threads by TID and start time (a reused TID is another thread). */
uint32_t record_thread_find(const recording *r, int tid, uint64_t start_time_ms);
uint32_t record_thread_add(recording *r, int pid, int tid, uint64_t start_time_ms, const char *process,
                           const char *name);

/* The one-character state class of a sample: R running, L lock, I I/O, D uninterruptible,
 * S sleeping or anything else. */
char record_state_class(const recording *r, const rec_sample *s);
const char *record_wait_kind_name(tl_wait_kind k);
bool record_wait_kind_parse(const char *name, tl_wait_kind *out);

/* A target-written string made safe for the line formats: controls, invalid UTF-8 and the
 * separators ';' (and ' ' when no_space) become \xNN. malloc'd, NULL when out of memory. */
char *record_clean(const char *s, bool no_space);

/* The writers. Each returns TL_OK, or TL_EIO/TL_ENOMEM with err saying what failed. */
tl_status record_write_folded(const recording *r, FILE *f, tl_error *err);
tl_status record_write_jsonl(const recording *r, FILE *f, tl_error *err);
tl_status record_write_speedscope(const recording *r, FILE *f, tl_error *err);
tl_status record_write_pprof(const recording *r, FILE *f, tl_error *err);

/* Reads a jsonl recording; *out NULL on error (err says which line and why: TL_EINVAL). */
tl_status record_read_jsonl(FILE *f, const char *name, recording **out, tl_error *err);

/* threadlens report: timelines, top stacks, longest waits, stuck threads; width = strip chars. */
tl_status record_report(const recording *r, FILE *f, unsigned width, tl_error *err);

#endif
