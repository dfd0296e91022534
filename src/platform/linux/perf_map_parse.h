/* The perf map convention (/tmp/perf-PID.map): one "START SIZE name" line per JIT-compiled
 * function, START and SIZE in hex (with or without 0x), written by node --perf-basic-prof,
 * jcmd PID Compiler.perfmap, python -X perf and others. The target writes it, so it is
 * hostile input: a pure parser, bounded by the text's length, unit-tested and fuzzed. */
#ifndef THREADLENS_PERF_MAP_PARSE_H
#define THREADLENS_PERF_MAP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PERF_MAP_MAX_ENTRIES (1u << 21)  /* entries kept at most (a JVM writes ~100 000) */
#define PERF_MAP_MAX_NAME 1024            /* a longer name is cut to this many bytes */

typedef struct perf_map_entry {
    uint64_t start, size;
    uint32_t seq;                         /* line order: a later line for the same code wins */
    uint32_t name_off;                    /* into perf_map.names */
} perf_map_entry;

typedef struct perf_map {
    perf_map_entry *entries;              /* sorted by start, then seq */
    size_t n;
    char *names;                          /* NUL-terminated names, one after another */
    size_t names_len;
} perf_map;

/* One line (without its '\n'): start, size and the name's bytes (in line). false for a line
 * that is not "START SIZE name" with a nonzero size that does not wrap around. */
bool perf_map_parse_line(const char *line, size_t len, uint64_t *start, uint64_t *size, const char **name,
                         size_t *name_len);

/* Every complete ('\n'-terminated) line of text; a last line without '\n' is being written and
 * is left out. Lines that do not parse are skipped. false only when out of memory. */
bool perf_map_parse(const char *text, size_t len, perf_map *out);

/* The function holding addr (the latest line among those that hold it), or NULL. */
const char *perf_map_find(const perf_map *pm, uint64_t addr, uint64_t *start);

void perf_map_free(perf_map *pm);

#endif
