/* Zero-stop capture: the stack of a thread blocked in the kernel, taken without stopping it.
 *
 * /proc/PID/task/TID/syscall shows a blocked thread's SP and PC (the kernel reads them with
 * the thread off the CPU, and says "running" otherwise). Its stack is copied from SP with
 * process_vm_readv (never memory whose read could hang: mem_guard.h), then the thread's
 * schedstat (time on the CPU, time waiting for it, times it ran) is read again, and the
 * syscall file too when the kernel does not count the times it ran: identical means it never
 * ran meanwhile, so the copy is what a stop would have copied. The "before" is the dump's own
 * read of both with the thread's counters (platform_capture_listed), read afresh only for a
 * thread that ran since.
 * It is unwound at once with only SP and PC known; a walk that asked for any other register
 * (a CFA or return address in a register no inner frame saved: aarch64's link register, an
 * x86_64 frame based on rbp) is thrown away and the thread taken with a stop (capture.c),
 * as is one that ran during the copy. So every stack is what a stop gives, or one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proc_parse.h"
#include "procfs.h"
#include "stacks_linux.h"

#define ZS_FILE_CAP 256   /* the syscall line: 9 numbers; schedstat: 3 */

void platform_stacks_zero_stop(platform_stacks *ps, bool allowed, size_t max_frames)
{
    const char *off = getenv("THREADLENS_NO_ZERO_STOP");
    /* tests only: widen the window between the copy and its check, so that a thread that
     * wakes often is seen to have run (test_stacks_zero_stop.sh); at most 100 ms */
    const char *delay = getenv("THREADLENS_TEST_ZERO_STOP_DELAY_US");
    long us = delay ? strtol(delay, NULL, 10) : 0;
    ps->zs_test_delay_us = us > 0 && us <= 100000 ? us : 0;
    ps->zs_allowed = allowed && !(off && off[0] && strcmp(off, "0") != 0) && max_frames > 0;
    if (!ps->zs_allowed || ps->zs_cap >= max_frames)
        return;
    tl_frame *f = realloc(ps->zs_frames, max_frames * sizeof *f);
    if (!f) {
        ps->zs_allowed = false;   /* every thread is then taken with a stop, as before */
        return;
    }
    ps->zs_frames = f;
    ps->zs_cap = max_frames;
}

/* tid's schedstat, parsed; false if unreadable or malformed. */
static bool read_sched(platform_stacks *ps, int tid, tl_schedstat *sched)
{
    char buf[ZS_FILE_CAP];
    proc_schedstat_fields f;
    if (procfs_read_task(ps->task_dir, ps->cap.pid, tid, "schedstat", buf, sizeof buf) <= 0 ||
        !proc_parse_schedstat(buf, &f))
        return false;
    /* "0 0 0" means the kernel keeps no scheduler statistics: nothing to check by */
    *sched = (tl_schedstat){.valid = f.run_ns || f.wait_ns || f.timeslices, .run_ns = f.run_ns,
                            .wait_ns = f.wait_ns, .timeslices = f.timeslices};
    return true;
}

static bool read_call(platform_stacks *ps, int tid, tl_syscall *sc)
{
    char buf[ZS_FILE_CAP];
    return procfs_read_task(ps->task_dir, ps->cap.pid, tid, "syscall", buf, sizeof buf) > 0 &&
           proc_parse_syscall(buf, sc);
}

/* Both, schedstat first; false if one is unreadable or malformed. */
static bool read_parsed(platform_stacks *ps, int tid, tl_syscall *sc, tl_schedstat *sched)
{
    return read_sched(ps, tid, sched) && read_call(ps, tid, sc);
}

static bool same_call(const tl_syscall *a, const tl_syscall *b)
{
    return a->valid == b->valid && a->running == b->running && a->nr == b->nr && a->sp == b->sp &&
           a->pc == b->pc && memcmp(a->args, b->args, sizeof a->args) == 0;
}

static bool same_sched(const tl_schedstat *a, const tl_schedstat *b)
{
    return a->run_ns == b->run_ns && a->wait_ns == b->wait_ns && a->timeslices == b->timeslices;
}

void platform_capture_listed(platform_stacks *ps, const tl_thread *t)
{
    ps->zs_listed.tid = t->sched.valid && t->syscall.valid ? t->tid : 0;
    ps->zs_listed.sc = t->syscall;
    ps->zs_listed.sched = t->sched;
}

bool zero_stop_wants_stop(platform_stacks *ps, int tid)
{
    char sys[ZS_FILE_CAP];
    tl_syscall sc;
    if (!ps->zs_allowed)
        return true;
    return procfs_read_task(ps->task_dir, ps->cap.pid, tid, "syscall", sys, sizeof sys) <= 0 ||
           !proc_parse_syscall(sys, &sc) || sc.running || sc.sp == 0;
}

/* Copies tid's stack from the SP of `sc`, then reads its schedstat (and call) again: the same
 * as `sched` (and `sc`) means it never ran since those were read, so the copy is what a stop
 * would have copied. -1 when so, else a tl_stop_reason. The call is not read again when the
 * kernel counts switches in (timeslices): it counts one the moment a thread is scheduled in,
 * so the same count means it never ran, and only a run changes the call; without that count
 * the run time alone could lag behind a thread running right now. */
static int copy_unchanged(platform_stacks *ps, int tid, const tl_syscall *sc, const tl_schedstat *sched)
{
    capture *c = &ps->cap;
    if (sc->running || sc->sp == 0)
        return TL_STOP_RUNNING;
    if (!sched->valid)
        return TL_STOP_UNREADABLE;
    c->tid = tid;
    c->valid = false;
    stacks_notes_reset(ps);
    if (arch_regs_from_blocked(&c->regs, sc->sp, sc->pc, sc->nr >= 0) != 0)
        return TL_STOP_ARCH;
    if (capture_copy_stack(ps, NULL) != TL_OK)
        return TL_STOP_MEMORY;
    if (ps->zs_test_delay_us) {
        struct timespec ts = {0, ps->zs_test_delay_us * 1000L};
        nanosleep(&ts, NULL);
    }
    tl_syscall sc2;
    tl_schedstat sched2;
    if (!read_sched(ps, tid, &sched2))
        return TL_STOP_UNREADABLE;
    if (!same_sched(sched, &sched2))
        return TL_STOP_WOKE;
    if (sched->timeslices)
        return -1;
    if (!read_call(ps, tid, &sc2))
        return TL_STOP_UNREADABLE;
    return same_call(sc, &sc2) ? -1 : TL_STOP_WOKE;
}

int zero_stop_capture(platform_stacks *ps, int tid, platform_capture_info *info)
{
    capture *c = &ps->cap;
    bool listed = ps->zs_listed.tid == tid && tid > 0;
    ps->zs_listed.tid = 0;
    if (!ps->zs_allowed)
        return TL_STOP_DISABLED;
    /* the counters' reads as the "before": no fresh read when it has not run since */
    int r = listed ? copy_unchanged(ps, tid, &ps->zs_listed.sc, &ps->zs_listed.sched) : TL_STOP_WOKE;
    if (r != -1) {
        tl_syscall sc;
        tl_schedstat sched;
        listed = false;
        if (!read_parsed(ps, tid, &sc, &sched))
            return TL_STOP_UNREADABLE;
        r = copy_unchanged(ps, tid, &sc, &sched);
    }
    if (r != -1)
        return r;
    c->valid = true;
    c->reg_missing = false;
    size_t n = 0;
    bool truncated = false;
    tl_status st = unwind_capture(ps, ps->zs_frames, ps->zs_cap, &n, &truncated, NULL);
    if (st != TL_OK || c->reg_missing) {
        c->valid = false;
        return TL_STOP_REGISTER;
    }
    ps->zs_ready = true;
    ps->zs_n = n;
    ps->zs_truncated = truncated;
    info->pc = arch_pc(&c->regs);
    info->sp = arch_sp(&c->regs);
    info->zero_stop = true;
    info->unchanged_since_listed = listed;
    info->fallback = -1;
    return -1;
}

tl_status zero_stop_result(platform_stacks *ps, tl_frame *frames, size_t max, size_t *n, bool *truncated)
{
    size_t k = ps->zs_n < max ? ps->zs_n : max;
    memcpy(frames, ps->zs_frames, k * sizeof *frames);
    *n = k;
    *truncated = ps->zs_truncated || ps->zs_n > max;
    return TL_OK;
}
