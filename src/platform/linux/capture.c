/* Capturing one thread, or every thread of a process, with ptrace: PTRACE_SEIZE +
 * PTRACE_INTERRUPT (never PTRACE_ATTACH, whose SIGSTOP can outlive us), waitpid(__WALL),
 * registers, a copy of the live stack through process_vm_readv, PTRACE_DETACH. A thread in D
 * is not interrupted, every wait for a stop has a deadline, and our termination and
 * job-control signals are held while a thread is stopped, then act right after every thread
 * was let go (stop.c); SIGKILL is harmless (a dying tracer detaches its seized tracees). */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ptrace_hint.h"
#include "maps_parse.h"
#include "procfs.h"
#include "stacks_linux.h"
#include "thread_read.h"

#define MAPS_LINE_MAX 4096         /* a longer line (a huge path) is cut, still parsed */

uint64_t stacks_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ---- /proc/PID/maps ----------------------------------------------------------------------- */

void maps_free(maps_table *m)
{
    free(m->r);
    memset(m, 0, sizeof *m);
}

static bool maps_push(maps_table *m, const maps_line *ml, bool elf_backed)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        maps_region *grown = realloc(m->r, cap * sizeof *grown);
        if (!grown)
            return false;
        m->r = grown;
        m->cap = cap;
    }
    m->r[m->n++] = (maps_region){.start = ml->start, .end = ml->end, .readable = ml->perms[0] == 'r',
                                 .writable = ml->perms[1] == 'w', .executable = ml->perms[2] == 'x',
                                 .unwind_tables = ml->perms[2] == 'x' && elf_backed, .offset = ml->offset,
                                 .inode = ml->inode, .dev_major = ml->dev_major, .dev_minor = ml->dev_minor};
    return true;
}

/* FNV-1a over file-backed lines only: thread stacks come and go without changing the code. */
static uint64_t maps_hash_line(uint64_t h, const char *line)
{
    if (!strchr(line, '/'))
        return h;
    for (const unsigned char *p = (const unsigned char *)line; *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    return h;
}

/* Adds one maps line through the shared parser (maps_parse.h); other lines are skipped. */
static bool maps_add_line(maps_table *m, const char *line)
{
    maps_line ml;
    if (!maps_parse_line(line, strlen(line), &ml) || ml.end <= ml.start)
        return true;
    bool elf_backed = (ml.path_len > 0 && ml.path[0] == '/') ||
                      (ml.path_len == 6 && memcmp(ml.path, "[vdso]", 6) == 0);
    return maps_push(m, &ml, elf_backed);
}

tl_status maps_read(int pid, maps_table *m, tl_error *err)
{
    char path[64], line[MAPS_LINE_MAX];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    FILE *f = fopen(path, "re");
    if (!f && errno == ENOENT)
        return tl_error_set(err, TL_ENOENT, "cannot read %s: the process exited", path);
    if (!f)
        return tl_error_set(err, TL_EPERM, "cannot read %s: %s; stacks need ptrace permission on the process: %s",
                            path, strerror(errno), ptrace_hint());
    m->n = 0;
    m->hash = 0xcbf29ce484222325ULL;
    bool ok = true;
    while (ok && m->n < MAPS_MAX_REGIONS && fgets(line, sizeof line, f)) {
        ok = maps_add_line(m, line);
        m->hash = maps_hash_line(m->hash, line);
    }
    fclose(f);
    return ok ? TL_OK : tl_error_set(err, TL_ENOMEM, "out of memory reading %s", path);
}

const maps_region *maps_find(const maps_table *m, uint64_t addr)
{
    /* An unwind reads many words of one mapping in a row (a module's .eh_frame_hdr search):
     * the last hit first, checked against this table, so it is never wrong. */
    static _Thread_local size_t last;
    if (last < m->n && addr >= m->r[last].start && addr < m->r[last].end)
        return &m->r[last];
    size_t lo = 0, hi = m->n;
    while (lo < hi) {   /* the kernel lists mappings in address order */
        size_t mid = lo + (hi - lo) / 2;
        if (addr < m->r[mid].start)
            hi = mid;
        else if (addr >= m->r[mid].end)
            lo = mid + 1;
        else
            return &m->r[last = mid];
    }
    return NULL;
}

/* ---- the copy -------------------------------------------------------------------------------- */

static bool capture_reserve(capture *c, size_t len)
{
    if (c->cap >= len)
        return true;
    unsigned char *buf = realloc(c->buf, len);
    if (!buf)
        return false;
    c->buf = buf;
    c->cap = len;
    return true;
}

/* The mapping holding sp; the maps are re-read once if a new thread stack is not there yet. */
static const maps_region *stack_region(platform_stacks *ps, uint64_t sp)
{
    const maps_region *r = maps_find(&ps->maps, sp);
    if (r || maps_read(ps->cap.pid, &ps->maps, NULL) != TL_OK)
        return r;
    return maps_find(&ps->maps, sp);
}

tl_status capture_copy_stack(platform_stacks *ps, tl_error *err)
{
    capture *c = &ps->cap;
    uint64_t sp = arch_sp(&c->regs);
    const maps_region *r = stack_region(ps, sp);
    if (!r)
        return tl_error_set(err, TL_EIO, "the stack pointer 0x%" PRIx64 " of thread %d is in no mapping", sp, c->tid);
    uint64_t lo = sp - arch_red_zone() >= r->start ? sp - arch_red_zone() : r->start;
    size_t len = r->end - lo < c->max_bytes ? (size_t)(r->end - lo) : c->max_bytes;
    tl_mem_range hit;
    if (!stacks_may_read(ps, lo, len, &hit))   /* a read there could hang us in D (mem_guard.h) */
        return tl_error_set(err, TL_EIO, "stack not read: 0x%" PRIx64 "-0x%" PRIx64 " is %s memory, whose read "
                            "could hang (skipped)", hit.start, hit.end, hit.reason);
    if (!capture_reserve(c, len))
        return tl_error_set(err, TL_ENOMEM, "out of memory copying the stack of thread %d", c->tid);
    struct iovec local = {.iov_base = c->buf, .iov_len = len};
    struct iovec remote = {.iov_base = (void *)(uintptr_t)lo, .iov_len = len};
    ssize_t got = process_vm_readv(c->pid, &local, 1, &remote, 1, 0);
    if (got < 0)
        return tl_error_set(err, errno == ESRCH ? TL_ENOENT : TL_EIO, "cannot copy the stack of thread %d: %s",
                            c->tid, strerror(errno));
    c->base = lo;
    c->len = (size_t)got;
    return TL_OK;
}

/* Registers and stack of a thread that is in a ptrace stop of ours. */
static tl_status capture_stopped(platform_stacks *ps, int tid, tl_error *err)
{
    capture *c = &ps->cap;
    c->tid = tid;
    c->valid = false;
    stacks_notes_reset(ps);
    if (arch_fetch_regs(tid, &c->regs) != 0)
        return tl_error_set(err, errno == ESRCH ? TL_ENOENT : TL_EIO, "cannot read the registers of thread %d: %s",
                            tid, strerror(errno));
    arch_stop_quirks(&c->regs);
    tl_status st = capture_copy_stack(ps, err);
    c->valid = st == TL_OK;
    return st;
}

static void capture_info_fill(const capture *c, platform_capture_info *info)
{
    info->pc = arch_pc(&c->regs);
    info->sp = arch_sp(&c->regs);
    info->tls = c->regs.tls;
    info->stopped = true;
}

static tl_status capture_in_group(platform_stacks *ps, int tid, platform_capture_info *info, tl_error *err);

/* ---- holding our signals while a thread is stopped ------------------------------------------ */

static void hold_signals(platform_stacks *ps)
{
    if (!ps->signals_held)
        stop_signals_block(ps, &ps->held_mask);
    ps->signals_held = true;
}

/* Once no thread is held, our signals act (an INT that came meanwhile ends us now, a TSTP
 * suspends us here until SIGCONT). */
static void release_signals(platform_stacks *ps)
{
    if (ps->signals_held && !ps->ahead_tid) {
        ps->signals_held = false;
        stop_signals_act(ps, &ps->held_mask);
    }
}

/* ---- the next thread, interrupted ahead --------------------------------------------------- */

#define AHEAD_MAX_GAP_NS 200000u   /* 200 us: a warm unwind takes ~25 us, a cold one ms */

/* Interrupts the next thread now, unless the caller's work between two captures was slow last
 * time (or is unknown: the first capture of a pass, cold caches): a thread held ahead waits
 * for that work, which must stay short for its stop to stay short. Never a thread in D, nor
 * while one of our signals waits to act. */
static void stop_ahead(platform_stacks *ps, int tid, uint64_t caller_gap_ns)
{
    if (tid <= 0 || caller_gap_ns > AHEAD_MAX_GAP_NS || stop_signal_waiting(ps) ||
        stop_thread_state(ps->cap.pid, tid) == 'D' || !zero_stop_wants_stop(ps, tid))
        return;   /* a blocked one is taken without a stop (zero_stop.c) */
    uint64_t t0 = stacks_now_ns();
    if (stop_seize(tid) == 0) {
        ps->ahead_tid = tid;
        ps->ahead_t0_ns = t0;
    }
}

/* A seized thread can only be detached from a stop: wait for it (deadline), then let it go. */
static void let_ahead_go(platform_stacks *ps)
{
    int sig;
    bool interrupted = false;
    if (ps->ahead_tid && stop_collect(ps, ps->ahead_tid, stop_deadline(ps, ps->ahead_t0_ns), &sig, &interrupted) == 0)
        stop_detach(ps->ahead_tid, sig);
    ps->ahead_tid = 0;
}

void platform_capture_release(platform_stacks *ps)
{
    let_ahead_go(ps);
    stop_pending_reap(ps);
    release_signals(ps);
}

/* ---- one thread ---------------------------------------------------------------------------- */

/* Stops tid (or takes it from ahead); *t0 is when it was asked to stop. 0, an errno or a
 * STOP_E_ reason. */
static int thread_stop(platform_stacks *ps, int tid, uint64_t *t0, int *sig, bool *interrupted)
{
    *t0 = stacks_now_ns();
    if (ps->ahead_tid == tid) {
        *t0 = ps->ahead_t0_ns;
        ps->ahead_tid = 0;
    } else {
        let_ahead_go(ps);
        if (stop_signal_waiting(ps)) {
            *interrupted = true;
            return STOP_E_SIGNAL;
        }
        if (stop_thread_state(ps->cap.pid, tid) == 'D')
            return STOP_E_D;   /* it could not stop before the kernel wakes it: do not ask */
        *t0 = stacks_now_ns();
        int e = stop_seize(tid);
        if (e)
            return e;
    }
    return stop_collect(ps, tid, stop_deadline(ps, *t0), sig, interrupted);
}

/* One attempt; a STOP_E_SIGNAL result means it let everything go for one of our signals. */
static int capture_once(platform_stacks *ps, int tid, int next_tid, platform_capture_info *info, tl_error *err,
                        tl_status *st)
{
    uint64_t gap = ps->returned_ns ? stacks_now_ns() - ps->returned_ns : UINT64_MAX;
    hold_signals(ps);
    uint64_t t0;
    bool interrupted = false;
    int sig = 0, e = thread_stop(ps, tid, &t0, &sig, &interrupted);
    if (e == 0) {
        info->wait_ns = stacks_now_ns() - t0;   /* for one held ahead: until we looked */
        if (next_tid != tid && !interrupted)
            stop_ahead(ps, next_tid, gap);   /* its wait for the CPU overlaps our copy and unwind */
        *st = capture_stopped(ps, tid, err);
        stop_detach(tid, sig);
        info->stall_ns = stacks_now_ns() - t0;
        if (*st == TL_OK)
            capture_info_fill(&ps->cap, info);
    } else {
        info->in_kernel_sleep = e == STOP_E_D || e == STOP_E_TIMEOUT;
        *st = stop_error(ps->cap.pid, tid, e, err);
    }
    release_signals(ps);   /* a signal that came meanwhile acts here */
    ps->returned_ns = stacks_now_ns();
    return e;
}

tl_status platform_capture_thread(platform_stacks *ps, int tid, int next_tid, platform_capture_info *info,
                                  tl_error *err)
{
    memset(info, 0, sizeof *info);
    info->fallback = -1;
    stacks_notes_reset(ps);
    ps->zs_ready = false;
    if (ps->group_active) {
        ps->zs_listed.tid = 0;
        return capture_in_group(ps, tid, info, err);
    }
    stop_pending_reap(ps);
    if (!ps->zs_allowed) {
        info->fallback = TL_STOP_DISABLED;
    } else if (ps->ahead_tid != tid) {
        let_ahead_go(ps);
        release_signals(ps);
        info->fallback = zero_stop_capture(ps, tid, info);
        if (info->fallback < 0) {
            ps->returned_ns = stacks_now_ns();
            return TL_OK;
        }
    } else {
        info->fallback = TL_STOP_RUNNING;   /* interrupted ahead: it was running then */
    }
    ps->zs_listed.tid = 0;   /* platform_capture_listed holds for this capture only */
    int fallback = info->fallback;
    tl_status st = TL_OK;
    /* after a suspension (SIGTSTP, then SIGCONT) or a handled signal, the thread is tried again */
    for (int attempt = 0; attempt < 3; attempt++) {
        tl_error_clear(err);
        if (capture_once(ps, tid, next_tid, info, err, &st) != STOP_E_SIGNAL)
            break;
    }
    info->fallback = fallback;
    return st;
}

/* ---- group capture (--consistent) ----------------------------------------------------------- */

static group_entry *group_find(platform_stacks *ps, int tid)
{
    for (size_t k = 0; k < ps->ngroup; k++) {
        size_t i = (ps->group_hint + k) % ps->ngroup;
        if (ps->group[i].tid == tid) {
            ps->group_hint = i + 1;
            return &ps->group[i];
        }
    }
    return NULL;
}

/* Stops every thread not captured yet: all are interrupted, then the stops are collected
 * against one deadline, so a thread in D never keeps the others stopped for long. true when
 * one of our signals came (the caller lets everything go). */
static bool group_stop(platform_stacks *ps)
{
    group_entry *g = ps->group;
    for (size_t i = 0; i < ps->ngroup; i++) {
        if (g[i].captured)
            continue;
        g[i].held = false;
        g[i].sig = 0;
        g[i].t0_ns = stacks_now_ns();
        if (stop_thread_state(ps->cap.pid, g[i].tid) == 'D')
            g[i].err_no = STOP_E_D;
        else
            g[i].err_no = stop_seize(g[i].tid);
    }
    uint64_t deadline = stop_deadline(ps, stacks_now_ns());
    bool interrupted = false;
    for (size_t i = 0; i < ps->ngroup; i++) {
        if (g[i].captured || g[i].err_no != 0)
            continue;
        bool now_interrupted = false;
        g[i].err_no = stop_collect(ps, g[i].tid, deadline, &g[i].sig, &now_interrupted);
        g[i].held = g[i].err_no == 0;
        if (now_interrupted && !interrupted) {
            interrupted = true;
            uint64_t grace = stacks_now_ns() + STOP_GRACE_NS;
            deadline = grace < deadline ? grace : deadline;
        }
    }
    return interrupted;
}

static void group_let_go(platform_stacks *ps)
{
    for (size_t i = 0; i < ps->ngroup; i++) {
        group_entry *g = &ps->group[i];
        if (g->held)
            stop_detach(g->tid, g->sig);
        g->held = false;
        if (!g->captured && g->err_no == 0)
            g->err_no = STOP_E_SIGNAL;
    }
}

/* One of our signals came: let every thread go, let it act (we may end or be suspended here),
 * and, when we go on, stop the threads not taken yet again. Threads taken before were taken at
 * that earlier moment. */
static void group_yield_to_signal(platform_stacks *ps)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        group_let_go(ps);
        stop_signals_act(ps, &ps->saved_mask);
        stop_signals_block(ps, &ps->saved_mask);
        if (!group_stop(ps))
            return;
    }
    group_let_go(ps);
}

static tl_status capture_in_group(platform_stacks *ps, int tid, platform_capture_info *info, tl_error *err)
{
    group_entry *g = group_find(ps, tid);
    info->fallback = TL_STOP_CONSISTENT;
    if (!g)
        return tl_error_set(err, TL_ENOENT, "thread %d was not stopped with its process (it is newer)", tid);
    if (stop_signal_waiting(ps))
        group_yield_to_signal(ps);
    if (!g->held) {
        info->in_kernel_sleep = g->err_no == STOP_E_D || g->err_no == STOP_E_TIMEOUT;
        return stop_error(ps->cap.pid, tid, g->err_no, err);
    }
    g->captured = true;
    tl_status st = capture_stopped(ps, tid, err);
    if (st == TL_OK)
        capture_info_fill(&ps->cap, info);
    return st;
}

tl_status platform_capture_process_stop(platform_stacks *ps, const int *tids, size_t n, tl_error *err)
{
    platform_capture_release(ps);
    group_entry *g = calloc(n ? n : 1, sizeof *g);
    if (!g)
        return tl_error_set(err, TL_ENOMEM, "out of memory stopping %zu threads", n);
    free(ps->group);
    ps->group = g;
    ps->ngroup = n;
    ps->group_hint = 0;
    ps->group_active = true;
    for (size_t i = 0; i < n; i++)
        g[i].tid = tids[i];
    stop_signals_block(ps, &ps->saved_mask);
    if (group_stop(ps))
        group_yield_to_signal(ps);
    return TL_OK;
}

void platform_capture_process_resume(platform_stacks *ps, uint64_t *stall_ns, size_t n)
{
    if (!ps->group_active)
        return;
    for (size_t i = 0; i < ps->ngroup; i++) {
        group_entry *g = &ps->group[i];
        if (stall_ns && i < n)
            stall_ns[i] = g->held ? stacks_now_ns() - g->t0_ns : 0;
        if (g->held)
            stop_detach(g->tid, g->sig);
        g->held = false;
    }
    ps->group_active = false;
    stop_pending_reap(ps);
    stop_signals_act(ps, &ps->saved_mask);
}

/* ---- thread identity ---------------------------------------------------------------------- */

tl_status platform_thread_start_ms(int pid, int tid, uint64_t *ms)
{
    return thread_read_start_ms(-1, pid, tid, platform_clock_ticks(), ms);
}
