/* Capturing one thread, or every thread of a process, with ptrace: PTRACE_SEIZE +
 * PTRACE_INTERRUPT (never PTRACE_ATTACH, whose SIGSTOP can outlive us), waitpid(__WALL),
 * registers, a copy of the live stack through process_vm_readv, PTRACE_DETACH. Our
 * termination signals are blocked while a thread is stopped so that a Ctrl-C lands only after
 * the detach; SIGKILL is harmless (a dying tracer detaches its seized tracees). */
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

#define MAPS_LINE_MAX 4096         /* a longer line (a huge path) is cut, still parsed */
#define STATUS_CAP 4096
#define STAT_CAP 1024

uint64_t stacks_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ---- signals: nothing of ours may interrupt us while a thread is stopped ---------------- */

static void signals_block(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGPIPE);
    sigaddset(&set, SIGQUIT);
    sigprocmask(SIG_BLOCK, &set, old);
}

static void signals_restore(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
}

/* ---- /proc/PID/maps ----------------------------------------------------------------------- */

void maps_free(maps_table *m)
{
    free(m->r);
    memset(m, 0, sizeof *m);
}

static bool maps_push(maps_table *m, uint64_t start, uint64_t end, const char *perms,
                      bool elf_backed)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        maps_region *grown = realloc(m->r, cap * sizeof *grown);
        if (!grown)
            return false;
        m->r = grown;
        m->cap = cap;
    }
    m->r[m->n++] = (maps_region){.start = start, .end = end, .readable = perms[0] == 'r',
                                 .writable = perms[1] == 'w',
                                 .unwind_tables = perms[2] == 'x' && elf_backed};
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
    return maps_push(m, ml.start, ml.end, ml.perms, elf_backed);
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
    size_t lo = 0, hi = m->n;
    while (lo < hi) {   /* the kernel lists mappings in address order */
        size_t mid = lo + (hi - lo) / 2;
        if (addr < m->r[mid].start)
            hi = mid;
        else if (addr >= m->r[mid].end)
            lo = mid + 1;
        else
            return &m->r[mid];
    }
    return NULL;
}

/* ---- errors that name what went wrong ------------------------------------------------------ */

static int tracer_of(int pid, int tid, char *name, size_t cap)
{
    char buf[STATUS_CAP];
    name[0] = '\0';
    if (procfs_readf(buf, sizeof buf, "/proc/%d/task/%d/status", pid, tid) < 0)
        return 0;
    const char *p = strstr(buf, "\nTracerPid:");
    int tracer = p ? atoi(p + 11) : 0;
    if (tracer > 0 && procfs_readf(name, cap, "/proc/%d/comm", tracer) > 0)
        name[strcspn(name, "\n")] = '\0';
    return tracer;
}

static tl_status seize_error(int pid, int tid, int err_no, tl_error *err)
{
    if (err_no == ESRCH)
        return tl_error_set(err, TL_ENOENT, "thread %d exited before its stack was taken", tid);
    char name[64];
    int tracer = err_no == EPERM ? tracer_of(pid, tid, name, sizeof name) : 0;
    if (tracer > 0 && tracer != getpid())
        return tl_error_set(err, TL_EPERM,
                            "traced by PID %d (%s): a thread has one tracer; detach that debugger and retry",
                            tracer, name[0] ? name : "?");
    if (err_no == EPERM)
        return tl_error_set(err, TL_EPERM,
                            "not allowed to trace thread %d; %s", tid, ptrace_hint());
    return tl_error_set(err, TL_EIO, "cannot stop thread %d: %s", tid, strerror(err_no));
}

/* ---- stopping and resuming one thread ------------------------------------------------------ */

/* SEIZE + INTERRUPT. 0 or an errno; on failure the thread is not ours. */
static int thread_seize(int tid)
{
    if (ptrace(PTRACE_SEIZE, tid, NULL, NULL) != 0)
        return errno;
    if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) == 0)
        return 0;
    int saved = errno;
    int status;
    ptrace(PTRACE_DETACH, tid, NULL, NULL);
    waitpid(tid, &status, __WALL | WNOHANG);   /* reap it if it was exiting */
    return saved;
}

/* Waits for the stop of a seized thread. 0, or ESRCH when it exited. *sig gets the signal to
 * re-inject at detach (a signal-delivery-stop came first), 0 for our interrupt stop or a
 * group-stop (which the kernel keeps in force after the detach). */
static int thread_wait_stop(int tid, int *sig)
{
    int status;
    *sig = 0;
    for (;;) {
        if (waitpid(tid, &status, __WALL) < 0) {
            if (errno == EINTR)
                continue;
            return ESRCH;
        }
        if (!WIFSTOPPED(status))
            return ESRCH;   /* exited or killed while we waited */
        if ((status >> 16) == 0)
            *sig = WSTOPSIG(status);   /* a signal-delivery-stop: deliver it when we leave */
        return 0;
    }
}

/* Lets the thread run again. If it died while stopped (SIGKILL), it waits for its tracer to
 * reap it: do that, or the process could not be reaped before we exit. */
static void thread_detach(int tid, int sig)
{
    int status;
    if (ptrace(PTRACE_DETACH, tid, NULL, (void *)(uintptr_t)sig) != 0 && errno == ESRCH)
        waitpid(tid, &status, __WALL | WNOHANG);
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

static tl_status copy_stack(platform_stacks *ps, tl_error *err)
{
    capture *c = &ps->cap;
    uint64_t sp = arch_sp(&c->regs);
    const maps_region *r = stack_region(ps, sp);
    if (!r)
        return tl_error_set(err, TL_EIO, "the stack pointer 0x%" PRIx64 " of thread %d is in no mapping", sp, c->tid);
    uint64_t lo = sp - arch_red_zone() >= r->start ? sp - arch_red_zone() : r->start;
    size_t len = r->end - lo < c->max_bytes ? (size_t)(r->end - lo) : c->max_bytes;
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
    if (arch_fetch_regs(tid, &c->regs) != 0)
        return tl_error_set(err, errno == ESRCH ? TL_ENOENT : TL_EIO, "cannot read the registers of thread %d: %s",
                            tid, strerror(errno));
    arch_stop_quirks(&c->regs);
    tl_status st = copy_stack(ps, err);
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

/* ---- the next thread, interrupted ahead --------------------------------------------------- */

#define AHEAD_MAX_GAP_NS 200000u   /* 200 us: a warm unwind takes ~25 us, a cold one ms */

/* One of the signals we hold is waiting to act: hold nothing more, so that it can. */
static bool our_signal_pending(void)
{
    sigset_t pending;
    if (sigpending(&pending) != 0)
        return true;
    return sigismember(&pending, SIGINT) || sigismember(&pending, SIGTERM) || sigismember(&pending, SIGHUP) ||
           sigismember(&pending, SIGPIPE) || sigismember(&pending, SIGQUIT);
}

static void hold_signals(platform_stacks *ps)
{
    if (!ps->signals_held)
        signals_block(&ps->held_mask);
    ps->signals_held = true;
}

/* Once no thread is held, our signals act (an INT that came meanwhile ends us now). */
static void release_signals(platform_stacks *ps)
{
    if (ps->signals_held && !ps->ahead_tid) {
        ps->signals_held = false;
        signals_restore(&ps->held_mask);
    }
}

/* Interrupts the next thread now, unless the caller's work between two captures was slow last
 * time (or is unknown: the first capture of a pass, cold caches): a thread held ahead waits
 * for that work, which must stay short for its stop to stay short. */
static void stop_ahead(platform_stacks *ps, int tid, uint64_t caller_gap_ns)
{
    if (tid <= 0 || caller_gap_ns > AHEAD_MAX_GAP_NS || our_signal_pending())
        return;
    uint64_t t0 = stacks_now_ns();
    if (thread_seize(tid) == 0) {
        ps->ahead_tid = tid;
        ps->ahead_t0_ns = t0;
    }
}

/* A seized thread can only be detached from a stop: wait for it, then let it go. */
static void let_ahead_go(platform_stacks *ps)
{
    int sig;
    if (ps->ahead_tid && thread_wait_stop(ps->ahead_tid, &sig) == 0)
        thread_detach(ps->ahead_tid, sig);
    ps->ahead_tid = 0;
}

void platform_capture_release(platform_stacks *ps)
{
    let_ahead_go(ps);
    release_signals(ps);
}

/* ---- one thread ---------------------------------------------------------------------------- */

/* Stops tid (or takes it from ahead); *t0 is when it was asked to stop. 0 or an errno. */
static int thread_stop(platform_stacks *ps, int tid, uint64_t *t0, int *sig)
{
    int e = 0;
    if (ps->ahead_tid == tid) {
        *t0 = ps->ahead_t0_ns;
        ps->ahead_tid = 0;
    } else {
        let_ahead_go(ps);
        *t0 = stacks_now_ns();
        e = thread_seize(tid);
    }
    return e ? e : thread_wait_stop(tid, sig);
}

tl_status platform_capture_thread(platform_stacks *ps, int tid, int next_tid, platform_capture_info *info,
                                  tl_error *err)
{
    memset(info, 0, sizeof *info);
    if (ps->group_active)
        return capture_in_group(ps, tid, info, err);
    uint64_t gap = ps->returned_ns ? stacks_now_ns() - ps->returned_ns : UINT64_MAX;
    hold_signals(ps);
    uint64_t t0;
    int sig = 0, e = thread_stop(ps, tid, &t0, &sig);
    tl_status st;
    if (e == 0) {
        if (next_tid != tid)
            stop_ahead(ps, next_tid, gap);   /* its wait for the CPU overlaps our copy and unwind */
        st = capture_stopped(ps, tid, err);
        thread_detach(tid, sig);
        info->stall_ns = stacks_now_ns() - t0;
        if (st == TL_OK)
            capture_info_fill(&ps->cap, info);
    } else {
        st = seize_error(ps->cap.pid, tid, e, err);
    }
    release_signals(ps);
    ps->returned_ns = stacks_now_ns();
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

static tl_status capture_in_group(platform_stacks *ps, int tid, platform_capture_info *info, tl_error *err)
{
    group_entry *g = group_find(ps, tid);
    if (!g)
        return tl_error_set(err, TL_ENOENT, "thread %d was not stopped with its process (it is newer)", tid);
    if (g->st != TL_OK)
        return seize_error(ps->cap.pid, tid, g->err_no, err);
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
    signals_block(&ps->saved_mask);
    for (size_t i = 0; i < n; i++) {   /* first interrupt them all, then collect the stops */
        g[i].tid = tids[i];
        g[i].t0_ns = stacks_now_ns();
        g[i].err_no = thread_seize(tids[i]);
    }
    for (size_t i = 0; i < n; i++)
        if (g[i].err_no == 0)
            g[i].err_no = thread_wait_stop(tids[i], &g[i].sig);
    for (size_t i = 0; i < n; i++)
        g[i].st = g[i].err_no ? TL_EIO : TL_OK;
    return TL_OK;
}

void platform_capture_process_resume(platform_stacks *ps, uint64_t *stall_ns, size_t n)
{
    if (!ps->group_active)
        return;
    for (size_t i = 0; i < ps->ngroup; i++) {
        group_entry *g = &ps->group[i];
        if (g->st == TL_OK)
            thread_detach(g->tid, g->sig);
        if (stall_ns && i < n)
            stall_ns[i] = g->st == TL_OK ? stacks_now_ns() - g->t0_ns : 0;
    }
    ps->group_active = false;
    signals_restore(&ps->saved_mask);
}

/* ---- thread identity ---------------------------------------------------------------------- */

tl_status platform_thread_start_ms(int pid, int tid, uint64_t *ms)
{
    char buf[STAT_CAP];
    *ms = 0;
    if (procfs_readf(buf, sizeof buf, "/proc/%d/task/%d/stat", pid, tid) < 0)
        return TL_ENOENT;
    const char *p = strrchr(buf, ')');   /* the name may hold spaces and parentheses */
    unsigned long long start = 0;
    int field = 2;
    for (; p && *p && field < 22; p++)
        if (*p == ' ')
            field++;
    if (!p || sscanf(p, "%llu", &start) != 1)
        return TL_EIO;
    long hz = platform_clock_ticks();
    *ms = start * 1000ULL / (unsigned long long)(hz > 0 ? hz : 100);
    return TL_OK;
}
