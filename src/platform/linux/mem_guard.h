/* Target memory that a read could hang on: ranges registered with a userfaultfd (smaps VmFlags
 * "um"/"uw"/"ui": a fault waits for the handler, which may never answer) and files on FUSE or
 * network file systems (a page not in the page cache waits for the daemon or the server).
 * process_vm_readv faults such pages in from our side and then waits uninterruptibly (state
 * D: no signal, not even SIGKILL, ends it, and no deadline can be put on it), so these ranges
 * are never read; callers say which ranges they skipped. */
#ifndef THREADLENS_MEM_GUARD_H
#define THREADLENS_MEM_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "threadlens/model.h"

/* Whether [addr, addr + len) of process pid touches such a range; *hit (may be NULL) gets the
 * first one. The ranges are read from /proc/PID/smaps and mountinfo, cached per process for
 * MEM_GUARD_MAX_AGE_MS, or MEM_GUARD_COST_FACTOR times as long as reading them took when that
 * is longer (a process with tens of thousands of mappings). When they cannot be read, nothing is refused (a read the kernel would
 * refuse fails on its own). Thread-safe. */
bool mem_guard_unsafe(int pid, uint64_t addr, uint64_t len, tl_mem_range *hit);

/* Reads the ranges of pid now unless they stay fresh for MEM_GUARD_PREPARE_MS more: called
 * before a process's stops, so that smaps (milliseconds on a large process) is not read while
 * one of its threads is held. The cache is kept across samples as before. */
void mem_guard_prepare(int pid);

/* How long cached ranges stay fresh at least, in ms (default MEM_GUARD_MAX_AGE_MS). threadlens
 * record's sampler (skip_quiet) sets MEM_GUARD_QUIET_AGE_MS: smaps of a 1000-thread process
 * takes about 10 ms to read, and at every 500 ms it was a tenth of record's CPU. A range
 * registered meanwhile is seen that much later; a hostile target can time its registration
 * against any period, so the guard is for accidents, not for an adversary. */
void mem_guard_set_max_age(unsigned ms);

/* Drops the cached ranges of pid (its address space changed). */
void mem_guard_forget(int pid);

#define MEM_GUARD_MAX_AGE_MS 500
#define MEM_GUARD_COST_FACTOR 20
#define MEM_GUARD_PREPARE_MS 100
#define MEM_GUARD_QUIET_AGE_MS 2000

#endif
