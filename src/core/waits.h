/* What each thread waits on, observed without stopping anything (/proc + process_vm_readv).
 * Internal to the core; the sampler calls it right after the counters were read. */
#ifndef THREADLENS_WAITS_H
#define THREADLENS_WAITS_H

#include <stdint.h>
#include <sys/types.h>

#include "threadlens/error.h"
#include "threadlens/model.h"

tl_status waits_observe(tl_snapshot *s, tl_error *err);

/* A source other than the live processes (a core file): the analysis reads memory through
 * read_memory instead of process_vm_readv, resolves no fd (there is no fd table: each fd wait
 * says "fd N (<fds_missing>)"), reads no /proc and nothing is re-read (nothing moves). */
typedef struct waits_source {
    ssize_t (*read_memory)(const void *arg, uint64_t addr, void *buf, size_t len);
    const void *arg;
    const char *fds_missing;      /* "not in the core" */
    const char *(*wchan_of)(const tl_thread *t);   /* stands in for t->wchan, or NULL */
} waits_source;

tl_status waits_observe_from(tl_snapshot *s, const waits_source *src, tl_error *err);

#endif
