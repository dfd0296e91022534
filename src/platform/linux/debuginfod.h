/* Separate debug files from debuginfod servers (libdebuginfod), asked only when the user set
 * DEBUGINFOD_URLS, by build-id, after /usr/lib/debug had none. A dump must never hang on a
 * network: each lookup is cut after DEBUGINFOD_LOOKUP_MS, and once a process's lookups have
 * taken DEBUGINFOD_BUDGET_MS in all, no more are made for it (its frames stay unnamed, a note
 * says so). The connection timeout (DEBUGINFOD_TIMEOUT) defaults to 5 s if unset. */
#ifndef THREADLENS_DEBUGINFOD_H
#define THREADLENS_DEBUGINFOD_H

#include <stddef.h>
#include <stdint.h>

#define DEBUGINFOD_LOOKUP_MS 4000
#define DEBUGINFOD_BUDGET_MS 8000

typedef struct debuginfod_budget {
    uint64_t spent_ns;            /* time the lookups of one process took */
    unsigned lookups, found, cut; /* made, answered with a file, stopped by a bound */
} debuginfod_budget;

/* Whether DEBUGINFOD_URLS names a server (and libdebuginfod is usable). */
int debuginfod_enabled(void);

/* A descriptor of the debug file of build_id (and its path in *path, malloc'ed), or -1. */
int debuginfod_fetch(debuginfod_budget *b, const unsigned char *build_id, size_t len, char **path);

#endif
