/* A snapshot from a core file instead of live processes: the same threads, stacks, waits
 * (futex words read from the core's memory) and deadlocks, for the same formatters. */
#ifndef THREADLENS_CORE_FILE_H
#define THREADLENS_CORE_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "threadlens/error.h"
#include "threadlens/model.h"

typedef struct tl_core_options {
    const char *path;             /* the core: plain, or zstd/lz4/xz as systemd-coredump keeps it */
    const char *exe;              /* --exe: the executable, when not where the core says (or NULL) */
    const char *sysroot;          /* --sysroot: a tree holding the core's libraries (or NULL) */
    unsigned max_frames;          /* per thread (0: 256) */
    bool waits;                   /* analyse waits and deadlocks (default true) */
    uint64_t max_bytes;           /* bound on a decompressed core (0: 64 GiB) */
} tl_core_options;

/* On TL_OK or TL_PARTIAL *out is a snapshot to free with snapshot_free() (one process, the
 * core's). TL_EUNSUPPORTED: a core of another architecture; TL_EINVAL: not a core. */
tl_status core_file_take(const tl_core_options *o, tl_snapshot **out, tl_error *err);

#endif
