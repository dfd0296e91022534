/* Native stacks for every thread of a snapshot. Per thread: capture (the platform stops it,
 * copies registers and stack, lets it run), check it is still the thread that was listed
 * (TID reuse), unwind from the copy; the frames of the process are named after all its
 * threads were taken. The platform interrupts the next thread while one is copied and unwound,
 * so that waiting for it to stop overlaps that work. One capture buffer and one scratch frame
 * array are reused for every thread, so memory does not grow with the thread count.
 * --consistent stops all threads of a process first, unwinds each while they are all stopped,
 * resumes them, and only then names the frames. */
#include "stacks.h"

#include "outermost.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "platform/platform.h"
#include "symbol_hints.h"

struct stacks_ctx {
    platform_stacks *ps;
    tl_frame *scratch;          /* max_frames frames, reused by every unwind */
    size_t scratch_cap;
    uint64_t *stalls;           /* ns each stopped thread was kept stopped, this take */
    uint64_t *waits;            /* of that, INTERRUPT to the stop seen (one-by-one captures) */
    uint64_t *helds;            /* and from then to the detach */
    size_t nstalls, stalls_cap, nsplit;
    size_t not_stopped;         /* taken without a stop (blocked), this take */
    size_t fallbacks[TL_STOP_NREASONS];
    size_t failed;              /* threads whose stack could not be taken, this take */
    size_t warned;              /* threads whose walk ended early with a warning, this take */
    size_t in_kernel_sleep;     /* of those, not stopped because they sleep in D */
};

tl_status stacks_open(stacks_ctx **out, tl_error *err)
{
    stacks_ctx *ctx = calloc(1, sizeof *ctx);
    *out = NULL;
    if (!ctx)
        return tl_error_set(err, TL_ENOMEM, "out of memory opening the stack capture");
    tl_status st = platform_stacks_open(&ctx->ps, err);
    if (st != TL_OK) {
        free(ctx);
        return st;
    }
    *out = ctx;
    return TL_OK;
}

void stacks_close(stacks_ctx *ctx)
{
    if (!ctx)
        return;
    platform_stacks_close(ctx->ps);
    free(ctx->scratch);
    free(ctx->stalls);
    free(ctx->waits);
    free(ctx->helds);
    free(ctx);
}

void stacks_idle(stacks_ctx *ctx)
{
    if (ctx)
        platform_capture_release(ctx->ps);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ---- per-thread results ------------------------------------------------------------------- */

/* A thread without a stack; counts as a failure (makes the take partial) when real. */
static void thread_fail(stacks_ctx *ctx, tl_thread *t, const char *why, bool real)
{
    for (size_t i = 0; i < t->nframes; i++)
        frame_clear(&t->frames[i]);
    free(t->frames);
    t->frames = NULL;
    t->nframes = 0;
    free(t->stack_error);
    t->stack_error = strdup(why);
    free(t->stack_warning);
    t->stack_warning = NULL;
    t->nskipped = 0;
    if (real)
        ctx->failed++;
}

static bool grow_u64(uint64_t **a, size_t cap)
{
    uint64_t *grown = realloc(*a, cap * sizeof *grown);
    if (grown)
        *a = grown;
    return grown != NULL;
}

/* wait_ns: of ns, the wait for the stop (UINT64_MAX: not split, a group stop). */
static void stall_record(stacks_ctx *ctx, tl_thread *t, uint64_t ns, uint64_t wait_ns)
{
    t->stall.stopped = true;
    t->stall.ns = ns;
    if (ctx->nstalls == ctx->stalls_cap) {
        size_t cap = ctx->stalls_cap ? ctx->stalls_cap * 2 : 256;
        bool ok = grow_u64(&ctx->stalls, cap);
        ok = grow_u64(&ctx->waits, cap) && ok;
        ok = grow_u64(&ctx->helds, cap) && ok;
        if (!ok)
            return;   /* the statistics lose one sample; the stack is fine */
        ctx->stalls_cap = cap;
    }
    ctx->stalls[ctx->nstalls++] = ns;
    if (wait_ns != UINT64_MAX) {
        ctx->waits[ctx->nsplit] = wait_ns;
        ctx->helds[ctx->nsplit++] = ns > wait_ns ? ns - wait_ns : 0;
    }
}

static void fallback_record(stacks_ctx *ctx, int reason)
{
    if (reason >= 0 && reason < TL_STOP_NREASONS)
        ctx->fallbacks[reason]++;
}

/* Kernel threads and zombies have no user stack: say so without making the take partial. */
static const char *no_stack_reason(const tl_process *p, const tl_thread *t)
{
    if (p->kernel_thread)
        return "kernel thread: no user-space stack";
    if (p->zombie || t->state == 'Z' || t->state == 'X')
        return "exited (zombie): no stack";
    return NULL;
}

/* The TID still names the thread that was listed (same start time), not a newer one. */
static bool same_thread(int pid, const tl_thread *t)
{
    uint64_t ms;
    return platform_thread_start_ms(pid, t->tid, &ms) == TL_OK && ms == t->start_time_ms;
}

static bool scratch_reserve(stacks_ctx *ctx, size_t n)
{
    if (ctx->scratch_cap >= n)
        return true;
    tl_frame *f = realloc(ctx->scratch, n * sizeof *f);
    if (!f)
        return false;
    ctx->scratch = f;
    ctx->scratch_cap = n;
    return true;
}

/* The memory the platform did not read for this thread (reading it could hang). */
static void thread_skipped(stacks_ctx *ctx, tl_thread *t)
{
    t->nskipped = platform_stacks_skipped(ctx->ps, t->skipped, TL_SKIPPED_MAX);
}

/* Capture done: registers into t, the copy unwound into t->frames (pcs only). */
static void thread_unwind(stacks_ctx *ctx, const tl_process *p, tl_thread *t, const platform_capture_info *info,
                          unsigned max_frames)
{
    /* unchanged since it was listed (its call and schedstat): the same thread, no re-read */
    if (!info->unchanged_since_listed && !same_thread(p->pid, t)) {
        thread_fail(ctx, t, "the thread exited and its TID was reused before its stack was taken", true);
        return;
    }
    t->regs_valid = true;
    t->regs_sp_pc_only = info->zero_stop;
    t->pc = info->pc;
    t->sp = info->sp;
    t->tls = info->tls;
    size_t n = 0;
    tl_error e = {0};
    tl_status st = platform_unwind(ctx->ps, ctx->scratch, max_frames, &n, &t->frames_truncated, &e);
    thread_skipped(ctx, t);
    if (st != TL_OK) {
        thread_fail(ctx, t, e.msg, true);
        return;
    }
    const char *warning = platform_unwind_warning(ctx->ps);
    free(t->stack_warning);
    t->stack_warning = warning ? strdup(warning) : NULL;
    if (warning)
        ctx->warned++;
    t->frames = malloc(n * sizeof *t->frames);
    if (!t->frames) {
        thread_fail(ctx, t, "out of memory for the frames", true);
        return;
    }
    memcpy(t->frames, ctx->scratch, n * sizeof *t->frames);
    t->nframes = n;
}

/* Named frames past the thread's first function are not real (outermost.h): dropped, and the
 * walk reached the start of the stack after all. */
static void thread_cut_outermost(stacks_ctx *ctx, tl_thread *t)
{
    size_t keep = frames_outermost_keep(t->frames, t->nframes, t->stack_warning != NULL);
    if (keep == t->nframes && !(t->stack_warning && frames_end_at_outermost(t->frames, t->nframes)))
        return;
    for (size_t i = keep; i < t->nframes; i++)
        frame_clear(&t->frames[i]);
    t->nframes = keep;
    t->frames_truncated = false;
    if (t->stack_warning) {
        free(t->stack_warning);
        t->stack_warning = NULL;
        ctx->warned--;
    }
}

static void thread_name_frames(stacks_ctx *ctx, tl_thread *t)
{
    if (!t->nframes)
        return;
    platform_symbolize(ctx->ps, t->frames, t->nframes, NULL);
    thread_cut_outermost(ctx, t);
}

/* A thread that could not be stopped because it sleeps in D: where in the kernel (root only;
 * without it, its stack_error still names the wait channel). */
static void take_kernel_stack(stacks_ctx *ctx, const tl_process *p, tl_thread *t, bool failed)
{
    if (failed)
        ctx->in_kernel_sleep++;
    kernel_frames_free(t->kernel_frames, t->nkernel_frames);
    t->kernel_frames = NULL;
    t->nkernel_frames = 0;
    platform_kernel_stack(p->pid, t->tid, &t->kernel_frames, &t->nkernel_frames, NULL);
}

/* ---- one thread at a time ------------------------------------------------------------------ */

/* next_tid: the thread taken after this one (0: none), interrupted ahead by the platform. */
static void take_thread(stacks_ctx *ctx, const tl_process *p, tl_thread *t, int next_tid, unsigned max_frames)
{
    platform_capture_info info;
    tl_error e = {0};
    platform_capture_listed(ctx->ps, t);
    tl_status st = platform_capture_thread(ctx->ps, t->tid, next_tid, &info, &e);
    fallback_record(ctx, info.fallback);
    if (st != TL_OK) {
        thread_fail(ctx, t, e.msg, true);
        thread_skipped(ctx, t);
        if (info.in_kernel_sleep)
            take_kernel_stack(ctx, p, t, true);
        return;
    }
    if (info.zero_stop) {
        ctx->not_stopped++;
        t->stall.zero_stop = true;
    }
    else
        stall_record(ctx, t, info.stall_ns, info.wait_ns);
    thread_unwind(ctx, p, t, &info, max_frames);
    if (info.zero_stop && t->state == 'D')   /* blocked in D: its user stack and where in the kernel */
        take_kernel_stack(ctx, p, t, false);
}

/* The first thread from i on that has a stack to take, p->nthreads if none. */
static size_t next_with_stack(const tl_process *p, size_t i)
{
    while (i < p->nthreads && no_stack_reason(p, &p->threads[i]))
        i++;
    return i;
}

static void take_process_one_by_one(stacks_ctx *ctx, tl_process *p, unsigned max_frames, bool one_stop)
{
    for (size_t i = 0; i < p->nthreads; i++) {
        tl_thread *t = &p->threads[i];
        const char *why = no_stack_reason(p, t);
        if (why) {
            thread_fail(ctx, t, why, false);
            continue;
        }
        size_t next = one_stop ? p->nthreads : next_with_stack(p, i + 1);   /* one_stop: none ahead */
        take_thread(ctx, p, t, next < p->nthreads ? p->threads[next].tid : 0, max_frames);
    }
    platform_capture_release(ctx->ps);
    /* names after every capture: the first lookups in a module read its ELF and DWARF (ms),
     * which must not happen while the next thread is held stopped */
    for (size_t i = 0; i < p->nthreads; i++)
        if (p->threads[i].nframes)
            platform_symbolize_expect(ctx->ps, p->threads[i].frames, p->threads[i].nframes);
    for (size_t i = 0; i < p->nthreads; i++)
        thread_name_frames(ctx, &p->threads[i]);
}

/* ---- --consistent: all threads of the process stopped together ----------------------------- */

static void group_capture_all(stacks_ctx *ctx, tl_process *p, const int *tids, size_t n, unsigned max_frames)
{
    for (size_t i = 0, k = 0; i < p->nthreads && k < n; i++) {
        tl_thread *t = &p->threads[i];
        if (t->tid != tids[k])
            continue;
        k++;
        platform_capture_info info;
        tl_error e = {0};
        tl_status st = platform_capture_thread(ctx->ps, t->tid, 0, &info, &e);
        fallback_record(ctx, info.fallback);
        if (st != TL_OK) {
            thread_fail(ctx, t, e.msg, true);
            thread_skipped(ctx, t);
            if (info.in_kernel_sleep)
                take_kernel_stack(ctx, p, t, true);
        } else
            thread_unwind(ctx, p, t, &info, max_frames);
    }
}

static void group_finish(stacks_ctx *ctx, tl_process *p, const int *tids, const uint64_t *stall, size_t n)
{
    for (size_t i = 0; i < p->nthreads; i++)
        if (p->threads[i].nframes)
            platform_symbolize_expect(ctx->ps, p->threads[i].frames, p->threads[i].nframes);
    for (size_t i = 0, k = 0; i < p->nthreads && k < n; i++) {
        tl_thread *t = &p->threads[i];
        if (t->tid != tids[k])
            continue;
        if (stall[k])
            stall_record(ctx, t, stall[k], UINT64_MAX);
        k++;
        thread_name_frames(ctx, t);
    }
}

static tl_status take_process_group(stacks_ctx *ctx, tl_process *p, unsigned max_frames, tl_error *err)
{
    int *tids = malloc((p->nthreads + 1) * sizeof *tids);
    uint64_t *stall = calloc(p->nthreads + 1, sizeof *stall);
    size_t n = 0;
    tl_status st = tids && stall ? TL_OK : tl_error_set(err, TL_ENOMEM, "out of memory stopping process %d", p->pid);
    for (size_t i = 0; st == TL_OK && i < p->nthreads; i++) {
        const char *why = no_stack_reason(p, &p->threads[i]);
        if (why)
            thread_fail(ctx, &p->threads[i], why, false);
        else
            tids[n++] = p->threads[i].tid;
    }
    if (st == TL_OK)
        st = platform_capture_process_stop(ctx->ps, tids, n, err);
    if (st == TL_OK) {
        group_capture_all(ctx, p, tids, n, max_frames);
        platform_capture_process_resume(ctx->ps, stall, n);
        group_finish(ctx, p, tids, stall, n);
    }
    free(tids);
    free(stall);
    return st;
}

/* ---- the pass over the snapshot ------------------------------------------------------------ */

static void fail_process(stacks_ctx *ctx, tl_process *p, const char *why, bool real)
{
    for (size_t i = 0; i < p->nthreads; i++)
        thread_fail(ctx, &p->threads[i], why, real);
}

/* Whose /proc/ID/maps and memory to read: the process's, or, when its main thread has exited
 * (pthread_exit in main: the leader is a zombie, /proc/PID/maps is empty) a live thread's. */
static int memory_pid(const tl_process *p)
{
    if (p->state != 'Z' && p->state != 'X')   /* the process's state is its leader's */
        return p->pid;
    for (size_t k = 0; k < p->nthreads; k++)
        if (p->threads[k].state != 'Z' && p->threads[k].state != 'X')
            return p->threads[k].tid;
    return p->pid;
}

/* A module file of p not opened for its symbols: its frames are there, unnamed; say why. */
static void note_refused(stacks_ctx *ctx, tl_snapshot *s, const tl_process *p)
{
    const char *refused = platform_symbols_refused(ctx->ps);
    if (!refused)
        return;
    snapshot_add_note(s, "process %d: module file %s; its frames have no function names", p->pid, refused);
    s->partial = true;
}

/* A perf map the target has but that was not read: its JIT frames stay unnamed; say why. */
static void note_perf_map(stacks_ctx *ctx, tl_snapshot *s, const tl_process *p)
{
    const char *why = platform_perf_map_refused(ctx->ps);
    if (why)
        snapshot_add_note(s, "process %d: %s; its JIT frames have no names", p->pid, why);
}

static void take_process(stacks_ctx *ctx, tl_snapshot *s, tl_process *p, const tl_sampler_options *o)
{
    if (p->kernel_thread || p->zombie) {
        fail_process(ctx, p, no_stack_reason(p, p->nthreads ? &p->threads[0] : NULL), false);
        return;
    }
    if (p->pid == getpid()) {   /* a dump of our own parent: we cannot trace ourselves */
        fail_process(ctx, p, "this is threadlens itself: its own stacks are not taken", false);
        return;
    }
    tl_error e = {0};
    platform_stacks_zero_stop(ctx->ps, !o->consistent, o->max_frames);
    if (platform_stacks_begin(ctx->ps, memory_pid(p), o->max_stack_bytes, &e) != TL_OK) {
        fail_process(ctx, p, e.msg, true);
        return;
    }
    if (!o->consistent) {
        take_process_one_by_one(ctx, p, o->max_frames, o->one_stop);
    } else if (take_process_group(ctx, p, o->max_frames, &e) != TL_OK) {
        fail_process(ctx, p, e.msg, true);
    }
    note_refused(ctx, s, p);
    note_perf_map(ctx, s, p);
    symbol_hints_note(s, p);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void median_max(uint64_t *a, size_t n, uint64_t *median, uint64_t *max)
{
    if (n == 0)
        return;
    qsort(a, n, sizeof *a, cmp_u64);
    *median = a[n / 2];
    *max = a[n - 1];
}

static void stall_summarize(stacks_ctx *ctx, tl_stall_stats *st)
{
    memset(st, 0, sizeof *st);
    st->threads_stopped = ctx->nstalls;
    st->threads_not_stopped = ctx->not_stopped;
    memcpy(st->fallbacks, ctx->fallbacks, sizeof st->fallbacks);
    median_max(ctx->waits, ctx->nsplit, &st->wait_median_ns, &st->wait_max_ns);
    median_max(ctx->helds, ctx->nsplit, &st->held_median_ns, &st->held_max_ns);
    if (ctx->nstalls == 0)
        return;
    qsort(ctx->stalls, ctx->nstalls, sizeof *ctx->stalls, cmp_u64);
    st->median_ns = ctx->stalls[ctx->nstalls / 2];
    st->max_ns = ctx->stalls[ctx->nstalls - 1];
    for (size_t i = 0; i < ctx->nstalls; i++)
        st->total_ns += ctx->stalls[i];
}

tl_status stacks_take(stacks_ctx *ctx, tl_snapshot *s, const tl_sampler_options *o, tl_error *err)
{
    uint64_t t0 = now_ns();
    ctx->nstalls = 0;
    ctx->nsplit = 0;
    ctx->not_stopped = 0;
    memset(ctx->fallbacks, 0, sizeof ctx->fallbacks);
    ctx->failed = 0;
    ctx->warned = 0;
    ctx->in_kernel_sleep = 0;
    unsigned max_frames = o->max_frames ? o->max_frames : 1;
    if (!scratch_reserve(ctx, max_frames))
        return tl_error_set(err, TL_ENOMEM, "out of memory for %u frames per thread", max_frames);
    tl_sampler_options opt = *o;
    opt.max_frames = max_frames;
    for (size_t i = 0; i < s->nprocs; i++)
        take_process(ctx, s, &s->procs[i], &opt);
    s->stacks_taken = true;
    stall_summarize(ctx, &s->stall);
    s->stall.capture_wall_ns = now_ns() - t0;
    if (ctx->failed == 0 && ctx->warned == 0)
        return TL_OK;
    if (ctx->failed == 0)
        return tl_error_set(err, TL_PARTIAL, "the stacks of %zu thread(s) end early; their stack_warning says why",
                            ctx->warned);
    if (ctx->in_kernel_sleep)
        return tl_error_set(err, TL_PARTIAL,
                            "the stacks of %zu thread(s) could not be taken (%zu in uninterruptible sleep (D): not "
                            "stopped, their kernel stacks say where); their stack_error says why",
                            ctx->failed, ctx->in_kernel_sleep);
    if (ctx->warned)
        return tl_error_set(err, TL_PARTIAL, "the stacks of %zu thread(s) could not be taken; their stack_error says "
                            "why; %zu more end early (stack_warning)", ctx->failed, ctx->warned);
    return tl_error_set(err, TL_PARTIAL, "the stacks of %zu thread(s) could not be taken; their stack_error says why",
                        ctx->failed);
}
