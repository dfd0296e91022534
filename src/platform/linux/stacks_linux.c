/* The per-sampler state of the Linux stacks backend: the capture buffer, the maps of the
 * process being taken, and per-process unwinder and symbol caches kept for the sampler's life
 * (refreshed when a process's address space changed). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mem_guard.h"
#include "procfs.h"
#include "stacks_linux.h"

tl_status platform_stacks_open(platform_stacks **out, tl_error *err)
{
    platform_stacks *ps = calloc(1, sizeof *ps);
    if (ps)
        ps->pages = calloc(PAGE_CACHE_SLOTS, sizeof *ps->pages);
    if (!ps || !ps->pages) {
        free(ps);
        *out = NULL;
        return tl_error_set(err, TL_ENOMEM, "out of memory opening the stack capture");
    }
    ps->task_dir = -1;
    *out = ps;
    return TL_OK;
}

static void proc_cache_clear(proc_cache *pc)
{
    unwind_proc_free(pc->unw);
    symbols_proc_free(pc->sym);
    memset(pc, 0, sizeof *pc);
}

void platform_stacks_close(platform_stacks *ps)
{
    if (!ps)
        return;
    platform_capture_release(ps);
    if (ps->group_active)
        platform_capture_process_resume(ps, NULL, 0);
    for (size_t i = 0; i < PROC_CACHE_MAX; i++)
        proc_cache_clear(&ps->procs[i]);
    maps_free(&ps->maps);
    if (ps->task_dir >= 0)
        close(ps->task_dir);
    free(ps->cap.buf);
    free(ps->pages);
    free(ps->group);
    free(ps->zs_frames);
    free(ps);
}

/* The cache entry of pid, or the least recently used one, emptied for it. */
static proc_cache *proc_cache_slot(platform_stacks *ps, int pid)
{
    proc_cache *lru = &ps->procs[0];
    for (size_t i = 0; i < PROC_CACHE_MAX; i++) {
        proc_cache *pc = &ps->procs[i];
        if (pc->pid == pid && pc->unw)
            return pc;
        if (pc->last_use < lru->last_use)
            lru = pc;
    }
    proc_cache_clear(lru);
    return lru;
}

static tl_status proc_cache_fill(proc_cache *pc, int pid, uint64_t maps_hash, tl_error *err)
{
    if (pc->unw && pc->maps_hash == maps_hash)
        return TL_OK;
    if (pc->unw) {   /* same pid, changed address space (new libraries, or a reused pid) */
        unwind_proc_free(pc->unw);
        pc->unw = NULL;
        tl_status st = symbols_proc_refresh(pc->sym, err);
        if (st != TL_OK)
            return st;
    } else {
        pc->sym = symbols_proc_new(pid, err);
        if (!pc->sym)
            return err ? err->code : TL_EIO;
    }
    pc->unw = unwind_proc_new(pid);
    if (!pc->unw)
        return tl_error_set(err, TL_ENOMEM, "out of memory for the unwinder of process %d", pid);
    pc->pid = pid;
    pc->maps_hash = maps_hash;
    return TL_OK;
}

/* The maps of pid, read again only when its statm moved (a mapping added or removed changes
 * its size), or a second passed (a change that keeps the size: mprotect). The maps of a
 * 1000-thread process are 2000 lines: reading them on every sample of `record` was a tenth
 * of its CPU. A thread stack not found in them re-reads them anyway (capture.c). */
static tl_status maps_refresh(platform_stacks *ps, int pid, tl_error *err)
{
    char statm[sizeof ps->maps_statm];
    uint64_t now = stacks_now_ns();
    if (procfs_readf(statm, sizeof statm, "/proc/%d/statm", pid) < 0)
        statm[0] = '\0';
    if (statm[0] && ps->maps_pid == pid && strcmp(statm, ps->maps_statm) == 0 &&
        now - ps->maps_read_ns < MAPS_REREAD_NS)
        return TL_OK;
    ps->maps_pid = 0;
    tl_status st = maps_read(pid, &ps->maps, err);
    if (st != TL_OK)
        return st;
    ps->maps_pid = statm[0] ? pid : 0;
    ps->maps_read_ns = now;
    snprintf(ps->maps_statm, sizeof ps->maps_statm, "%s", statm);
    return TL_OK;
}

/* Opened again each pass: a kept one could outlive its process and name a new one's pid. */
static void open_task_dir(platform_stacks *ps, int pid)
{
    char path[48];
    if (ps->task_dir >= 0)
        close(ps->task_dir);
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    ps->task_dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);   /* -1: full paths */
}

tl_status platform_stacks_begin(platform_stacks *ps, int pid, size_t max_stack_bytes, tl_error *err)
{
    platform_capture_release(ps);   /* a thread of the previous process held ahead */
    ps->returned_ns = 0;
    ps->wait_budget_ns = STOP_PASS_BUDGET_NS;
    ps->cur = NULL;
    ps->cap.valid = false;
    ps->zs_ready = false;
    ps->cap.pid = pid;
    ps->cap.max_bytes = max_stack_bytes;
    ps->page_pass++;   /* empties every cached page without touching the 256 KiB (64 faults) */
    open_task_dir(ps, pid);
    tl_status st = maps_refresh(ps, pid, err);
    if (st != TL_OK)
        return st;
    mem_guard_prepare(pid);   /* its smaps read now, not while a thread is stopped */
    proc_cache *pc = proc_cache_slot(ps, pid);
    st = proc_cache_fill(pc, pid, ps->maps.hash, err);
    if (st != TL_OK) {
        proc_cache_clear(pc);
        return st;
    }
    pc->last_use = ++ps->clock;
    ps->cur = pc;
    return TL_OK;
}
