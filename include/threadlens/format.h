/* Dump writers: a jstack-like text dump for people and JSON for programs. They write to a
 * stream they are given and escape every target-written string. */
#ifndef THREADLENS_FORMAT_H
#define THREADLENS_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

#include "threadlens/error.h"
#include "threadlens/model.h"

typedef struct tl_format_options {
    bool stats;               /* include how long threads were stopped */
    bool no_summary;          /* leave out the triage summary (text) and "summary" (JSON) */
    bool group;               /* text: one block per stack group instead of one per thread */
    bool mixed;               /* text: a JVM thread's Java frames among its native ones */
} tl_format_options;

tl_status format_text(FILE *out, const tl_snapshot *s, const tl_format_options *o, tl_error *err);
tl_status format_json(FILE *out, const tl_snapshot *s, const tl_format_options *o, tl_error *err);

/* Saved dumps: the JSON dump is the file format. Its "format_version" says which; a reader
 * refuses a newer one. Bump it only when a reader of the old version would misread the file
 * (new keys do not need a bump). */
#define TL_FORMAT_VERSION 1

/* Rebuilds a snapshot from a saved JSON dump (json_read*.c): the counters, waits, frames,
 * kernel frames, deadlocks, notes, the window and verdicts of `dump --count` (not the Java view
 * nor --shared). name is how the input is called in messages. TL_EINVAL with a one-line reason
 * for an empty, non-JSON, truncated, foreign or newer-format input. */
tl_status format_json_read(const char *data, size_t len, const char *name, tl_snapshot **out, tl_error *err);
/* The same for a file. */
tl_status format_json_load(const char *path, tl_snapshot **out, tl_error *err);

/* threadlens diff's output (diff_text.c, diff_json.c). */
struct tl_snapdiff;
void format_diff_text(FILE *out, const struct tl_snapdiff *d);
tl_status format_diff_json(FILE *out, const struct tl_snapdiff *d, tl_error *err);

/* The version string of the library, e.g. "0.1.0". */
const char *threadlens_version(void);

#endif
