/* A second source of snapshots next to the live one (platform.h): a core file. The backend
 * reads the core (decompressing a systemd-coredump one first), fills the process and its
 * threads (registers, system call, unwound and named stack) and serves the core's memory to
 * the wait analysis. Like platform.h, it reads and never prints. */
#ifndef THREADLENS_PLATFORM_CORE_H
#define THREADLENS_PLATFORM_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "threadlens/error.h"
#include "threadlens/model.h"

typedef struct platform_core platform_core;

typedef struct platform_core_options {
    const char *path;            /* the core (plain, or zstd/lz4/xz as systemd-coredump keeps it) */
    const char *exe;             /* the executable when it is no longer where the core says, or NULL */
    const char *sysroot;         /* where the core's libraries (and executable) live, or NULL */
    unsigned max_frames;         /* per thread */
    uint64_t max_bytes;          /* bound on a decompressed core */
} platform_core_options;

/* Opens the core. TL_EUNSUPPORTED: a core of another architecture, or a compression this build
 * cannot read; TL_EINVAL: not a core; TL_EIO: unreadable. */
tl_status platform_core_open(platform_core **out, const platform_core_options *o, tl_error *err);

/* Appends the core's process to snap (procs[0]: name, arguments, threads with their registers,
 * system call, frames named) and the notes a reader needs (what the core does not hold).
 * TL_PARTIAL: something could not be read (truncated core, a library not found). */
tl_status platform_core_read(platform_core *c, tl_snapshot *snap, tl_error *err);

/* Copies the core's memory at addr. Bytes read, -1 when the core does not hold them. */
ssize_t platform_core_read_memory(const platform_core *c, uint64_t addr, void *buf, size_t len);

/* For a thread of a core stopped in a call the kernel restarts by itself (Linux's
 * restart_syscall), a stand-in for the wait channel a live thread would show: which call it
 * continues, told by the user-space function it was called from (frame 0). NULL: unknown. */
const char *platform_core_restart_hint(const tl_thread *t);

void platform_core_close(platform_core *c);

#endif
