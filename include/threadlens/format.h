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

/* The version string of the library, e.g. "0.1.0". */
const char *threadlens_version(void);

#endif
