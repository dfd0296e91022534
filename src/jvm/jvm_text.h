/* Line-by-line reading of JVM-written text that is not NUL-terminated, with bounds. */
#ifndef THREADLENS_JVM_TEXT_H
#define THREADLENS_JVM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct jtext {
    const char *p;                    /* current line (not NUL-terminated) */
    size_t n;                         /* its length, without the newline */
} jtext;

typedef struct jlines {
    const char *text;
    size_t len, pos;
} jlines;

/* Next line of the input; false at its end. */
bool jlines_next(jlines *it, jtext *line);

bool jtext_starts(jtext t, const char *prefix);
/* Drops leading spaces and tabs. */
jtext jtext_ltrim(jtext t);
/* Drops trailing spaces, tabs and carriage returns. */
jtext jtext_rtrim(jtext t);
/* Skips prefix when t starts with it (returns t unchanged otherwise). */
jtext jtext_skip(jtext t, const char *prefix);
/* The first occurrence of needle in t, or NULL. */
const char *jtext_find(jtext t, const char *needle);
/* malloc'd NUL-terminated copy (NULL when out of memory). */
char *jtext_dup(jtext t);
/* Number at t (0x hex or decimal); *end set after it. false when there is none. */
bool jtext_u64(jtext t, uint64_t *v, size_t *used);
/* A size like "5658K", "120036Kb", "1.00 GB", "168.66 KB" in KiB; -1 when not a size. */
int64_t jtext_kib(jtext t, size_t *used);

/* Makes room for element n of *arr (elements of size elem; capacity is implied by n: 8, 16,
 * 32, ...; new room is zeroed). false when out of memory or n reached limit. */
bool jvm_grow(void **arr, size_t n, size_t elem, size_t limit);

#endif
