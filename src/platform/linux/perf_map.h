/* A process's perf map (perf_map_parse.h) as threadlens reads it: /tmp/perf-NSPID.map inside
 * the target's root (its own /tmp, its namespace PID), opened without following any link and
 * only when it is a regular file of at most PERF_MAP_MAX_BYTES owned by the target's user or
 * root (jvm_files_open_regular: O_PATH + fstat first, so a planted FIFO or device is never
 * opened), read again only when it changed. */
#ifndef THREADLENS_PERF_MAP_H
#define THREADLENS_PERF_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perf_map_parse.h"

#define PERF_MAP_MAX_BYTES (64u << 20)       /* a larger map is not read */
#define PERF_MAP_RECHECK_NS 1000000000ULL   /* how often a loaded map is checked for changes */

typedef struct perf_map_file {
    perf_map map;
    uint64_t dev, ino, size, mtime_ns;       /* what was read, to notice a change */
    uint64_t checked_ns;                     /* CLOCK_MONOTONIC of the last check, 0 = never */
    char why[160];                           /* why no map is used, "" when one is (or none exists) */
} perf_map_file;

/* Reads (or keeps) the map of process pid; checks at most every PERF_MAP_RECHECK_NS. */
void perf_map_file_update(perf_map_file *pf, int pid);

/* Forgets the map (the process's address space changed, or it is gone). */
void perf_map_file_free(perf_map_file *pf);

#endif
