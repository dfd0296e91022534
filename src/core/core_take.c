/* A snapshot of a core file (threadlens/core_file.h): the backend's core source fills the
 * process, its threads and stacks (platform_core.h); the wait analysis reads the core's memory
 * through a waits_source; the deadlock analysis is the live one. */
#include "threadlens/core_file.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "platform/platform.h"
#include "platform/platform_core.h"
#include "threadlens/analysis.h"
#include "waits.h"

#define CORE_DEFAULT_MAX_BYTES (64ull << 30)

static ssize_t core_memory(const void *arg, uint64_t addr, void *buf, size_t len)
{
    return platform_core_read_memory(arg, addr, buf, len);
}

/* The time of the snapshot: when the core was written. */
static void stamp(tl_snapshot *snap, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0)
        snap->taken_unix_ms = (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
    snap->clock_ticks = platform_clock_ticks();
}

tl_status core_file_take(const tl_core_options *o, tl_snapshot **out, tl_error *err)
{
    *out = NULL;
    platform_core_options po = {.path = o->path, .exe = o->exe, .sysroot = o->sysroot,
                                .max_frames = o->max_frames ? o->max_frames : 256,
                                .max_bytes = o->max_bytes ? o->max_bytes : CORE_DEFAULT_MAX_BYTES};
    platform_core *c = NULL;
    tl_status st = platform_core_open(&c, &po, err);
    if (st != TL_OK)
        return st;
    tl_snapshot *snap = calloc(1, sizeof *snap);
    if (!snap) {
        platform_core_close(c);
        return tl_error_set(err, TL_ENOMEM, "out of memory for a snapshot");
    }
    stamp(snap, o->path);
    st = platform_core_read(c, snap, err);
    if ((st == TL_OK || st == TL_PARTIAL) && o->waits) {
        waits_source src = {.read_memory = core_memory, .arg = c, .fds_missing = "not in the core",
                           .wchan_of = platform_core_restart_hint};
        tl_error werr = {0};
        tl_status ws = waits_observe_from(snap, &src, &werr);
        if (ws == TL_OK)
            ws = analysis_find_deadlocks(snap, &werr);
        if (ws != TL_OK) {
            *err = werr;
            st = ws;
        }
    }
    platform_core_close(c);
    if (st != TL_OK && st != TL_PARTIAL) {
        snapshot_free(snap);
        return st;
    }
    *out = snap;
    return snap->partial ? TL_PARTIAL : TL_OK;
}
