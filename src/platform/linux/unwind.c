/* Unwinding a captured thread from its copy, after the thread runs again. Unwinders sit behind
 * a small ops table (init / walk / fini), tried in order: libunwind's remote API with accessors
 * of our own (memory from the copy, other addresses through process_vm_readv and a small page
 * cache; unwind tables through libunwind-ptrace's _UPT_find_proc_info, which makes no ptrace
 * call), then frame pointers in the copy when libunwind stops early (no unwind info). */
#include <errno.h>
#include <libunwind-ptrace.h>
#include <libunwind.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "stacks_linux.h"

typedef struct unwinder_ops {
    const char *name;
    int (*init)(unwind_proc *u);
    /* Fills frames[0..*n) from ps's capture; *truncated when the frame bound cut it. */
    void (*walk)(platform_stacks *ps, tl_frame *frames, size_t max, size_t *n, bool *truncated);
    void (*fini)(unwind_proc *u);
} unwinder_ops;

struct unwind_proc {
    int pid;
    unw_addr_space_t as;      /* libunwind, caching policy global */
    void *upt;                /* libunwind-ptrace's handle for finding unwind tables */
};

/* libunwind hands our accessors the UPT handle instead of our argument while it searches
 * .eh_frame_hdr, so the capture being unwound is found through this instead. */
static _Thread_local platform_stacks *unwind_current;

/* ---- memory of the target: the copy first, then a page cache over process_vm_readv ------- */

static int read_remote(int pid, uint64_t addr, void *buf, size_t len)
{
    struct iovec local = {.iov_base = buf, .iov_len = len};
    struct iovec remote = {.iov_base = (void *)(uintptr_t)addr, .iov_len = len};
    return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -1;
}

/* Caches pages of read-only mappings only: code and unwind tables do not change under us. */
static int read_cached(platform_stacks *ps, uint64_t addr, uint64_t *val)
{
    uint64_t page = addr & ~(uint64_t)(PAGE_CACHE_PAGE - 1);
    const maps_region *r = maps_find(&ps->maps, addr);
    if (!r || r->writable || addr - page > PAGE_CACHE_PAGE - sizeof *val)
        return read_remote(ps->cap.pid, addr, val, sizeof *val);
    page_slot *s = &ps->pages[(page / PAGE_CACHE_PAGE) % PAGE_CACHE_SLOTS];
    if (s->page != page + 1) {
        s->page = page + 1;
        s->ok = read_remote(ps->cap.pid, page, s->data, sizeof s->data) == 0;
    }
    if (!s->ok)
        return -1;
    memcpy(val, s->data + (addr - page), sizeof *val);
    return 0;
}

int stacks_read_word(platform_stacks *ps, uint64_t addr, uint64_t *val)
{
    const capture *c = &ps->cap;
    if (addr >= c->base && c->len >= sizeof *val && addr - c->base <= c->len - sizeof *val) {
        memcpy(val, c->buf + (addr - c->base), sizeof *val);
        return 0;
    }
    return read_cached(ps, addr, val);
}

/* ---- libunwind accessors ------------------------------------------------------------------- */

static int acc_find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi, int need, void *arg)
{
    (void)arg;
    /* JIT code (a JVM's) and other anonymous code has no ELF to look in: answer at once, or
     * libunwind-ptrace re-reads /proc/PID/maps for every such frame (thousands per dump). */
    const maps_region *r = maps_find(&unwind_current->maps, ip);
    if (!r || !r->unwind_tables)
        return -UNW_ENOINFO;
    return _UPT_find_proc_info(as, ip, pi, need, unwind_current->cur->unw->upt);
}

static void acc_put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
    (void)arg;
    _UPT_put_unwind_info(as, pi, unwind_current->cur->unw->upt);
}

static int acc_get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *dil, void *arg)
{
    (void)as, (void)dil, (void)arg;
    return -UNW_ENOINFO;
}

static int acc_access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *val, int write, void *arg)
{
    (void)as, (void)arg;
    if (write)
        return -UNW_EREADONLYREG;
    uint64_t v;
    if (stacks_read_word(unwind_current, addr, &v) != 0)
        return -UNW_EINVAL;
    *val = v;
    return 0;
}

static int acc_access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *val, int write, void *arg)
{
    (void)as, (void)arg;
    uint64_t v;
    if (write)
        return -UNW_EREADONLYREG;
    if (arch_unw_reg(&unwind_current->cap.regs, reg, &v) != 0)
        return -UNW_EBADREG;
    *val = v;
    return 0;
}

static int acc_access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val, int write, void *arg)
{
    (void)as, (void)reg, (void)val, (void)write, (void)arg;
    return -UNW_EBADREG;   /* floating-point registers are not captured */
}

static int acc_resume(unw_addr_space_t as, unw_cursor_t *c, void *arg)
{
    (void)as, (void)c, (void)arg;
    return -UNW_EINVAL;
}

static unw_accessors_t accessors = {
    .find_proc_info = acc_find_proc_info,
    .put_unwind_info = acc_put_unwind_info,
    .get_dyn_info_list_addr = acc_get_dyn_info_list_addr,
    .access_mem = acc_access_mem,
    .access_reg = acc_access_reg,
    .access_fpreg = acc_access_fpreg,
    .resume = acc_resume,
    .get_proc_name = NULL,   /* never: slow and wrong in stripped libraries; symbols.c names frames */
};

/* ---- libunwind unwinder -------------------------------------------------------------------- */

static int lu_init(unwind_proc *u)
{
    u->as = unw_create_addr_space(&accessors, 0);
    if (!u->as)
        return -1;
    unw_set_caching_policy(u->as, UNW_CACHE_GLOBAL);
    u->upt = _UPT_create(u->pid);
    return u->upt ? 0 : -1;
}

static void lu_fini(unwind_proc *u)
{
    if (u->upt)
        _UPT_destroy(u->upt);
    if (u->as)
        unw_destroy_addr_space(u->as);
}

/* A frame that does not move up the stack means a loop (corrupt or misread stack). */
static bool frame_advances(const tl_frame *prev, uint64_t prev_sp, uint64_t pc, uint64_t sp)
{
    if (prev->signal_frame)
        return true;   /* a handler may run on an alternate stack */
    return sp > prev_sp || (sp == prev_sp && pc != prev->pc);
}

static void fp_chain(platform_stacks *ps, uint64_t fp, tl_frame *frames, size_t max, size_t *n,
                     bool *truncated);

/* libunwind could not step past its last frame (e.g. libunwind 1.6.2 stops at the CFI of code
 * built with -mbranch-protection on aarch64): where the ABI keeps frame records, go on through
 * them from that frame's frame pointer. */
static void lu_continue(platform_stacks *ps, uint64_t fp, tl_frame *frames, size_t max, size_t *n,
                        bool *truncated)
{
    if (fp == 0 || !arch_keeps_frame_records())
        return;
    *truncated = false;
    fp_chain(ps, fp, frames, max, n, truncated);
}

static void lu_walk(platform_stacks *ps, tl_frame *frames, size_t max, size_t *n, bool *truncated)
{
    unw_cursor_t cur;
    uint64_t prev_sp = 0;
    unw_word_t fp = 0;
    *n = 0;
    *truncated = false;
    if (unw_init_remote(&cur, ps->cur->unw->as, ps) < 0)
        return;
    for (;;) {
        unw_word_t ip = 0, sp = 0;
        if (unw_get_reg(&cur, UNW_REG_IP, &ip) < 0 || ip == 0 || unw_get_reg(&cur, UNW_REG_SP, &sp) < 0)
            return;
        ip = arch_strip_pac(&ps->cap.regs, ip);
        if (*n > 0 && !frame_advances(&frames[*n - 1], prev_sp, ip, sp)) {
            /* a loop or a frame that does not go up the stack ends the walk: that is not
             * "truncated" (which says --max-frames cut it) */
            lu_continue(ps, fp, frames, max, n, truncated);
            return;
        }
        if (*n == max) {
            *truncated = true;
            return;
        }
        frames[*n].pc = ip;
        /* libunwind flags the frame reached through a signal frame: mark the trampoline */
        if (*n > 0 && unw_is_signal_frame(&cur) > 0)
            frames[*n - 1].signal_frame = true;
        (*n)++;
        prev_sp = sp;
        if (unw_get_reg(&cur, arch_unw_fp_reg(), &fp) < 0)
            fp = 0;
        int st = unw_step(&cur);
        if (st < 0 && *n > 1)
            lu_continue(ps, fp, frames, max, n, truncated);
        if (st <= 0)
            return;
    }
}

/* ---- frame-pointer unwinder (the copy only; see arch.h for the frame layout) ------------- */

static int fp_init(unwind_proc *u)
{
    (void)u;
    return 0;
}

static void fp_fini(unwind_proc *u)
{
    (void)u;
}

/* Follows the frame records from fp (layout in arch.h), appending return addresses to
 * frames[*n..max). Only records inside the copy are read; the chain must go up the stack. */
static void fp_chain(platform_stacks *ps, uint64_t fp, tl_frame *frames, size_t max, size_t *n,
                     bool *truncated)
{
    const capture *c = &ps->cap;
    /* written so nothing can wrap: fp is target-written and may be anything */
    while (fp >= c->base && fp - c->base <= c->len && c->len - (fp - c->base) >= 16) {
        uint64_t next, ra;
        memcpy(&next, c->buf + (fp - c->base), sizeof next);
        memcpy(&ra, c->buf + (fp - c->base) + 8, sizeof ra);
        ra = arch_strip_pac(&c->regs, ra);
        if (ra == 0)
            return;
        if (*n == max) {
            *truncated = true;
            return;
        }
        frames[(*n)++] = (tl_frame){.pc = ra};
        if (next <= fp)
            return;   /* the chain must go up the stack: anything else is the end or a loop */
        fp = next;
    }
}

static void fp_walk(platform_stacks *ps, tl_frame *frames, size_t max, size_t *n, bool *truncated)
{
    const capture *c = &ps->cap;
    *truncated = false;
    *n = 0;
    if (max == 0)
        return;
    frames[(*n)++] = (tl_frame){.pc = arch_pc(&c->regs)};
    fp_chain(ps, arch_fp(&c->regs), frames, max, n, truncated);
}

static const unwinder_ops unwinders[] = {
    {.name = "libunwind", .init = lu_init, .walk = lu_walk, .fini = lu_fini},
    {.name = "frame-pointer", .init = fp_init, .walk = fp_walk, .fini = fp_fini},
};
#define NUNWINDERS (sizeof unwinders / sizeof unwinders[0])

unwind_proc *unwind_proc_new(int pid)
{
    unwind_proc *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->pid = pid;
    for (size_t i = 0; i < NUNWINDERS; i++) {
        if (unwinders[i].init(u) != 0) {
            unwind_proc_free(u);
            return NULL;
        }
    }
    return u;
}

void unwind_proc_free(unwind_proc *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < NUNWINDERS; i++)
        unwinders[i].fini(u);
    free(u);
}

/* Runs the unwinders in order; a later one is tried only when the earlier one stopped at the
 * first frame (e.g. no unwind information for the pc). */
tl_status platform_unwind(platform_stacks *ps, tl_frame *frames, size_t max, size_t *n, bool *truncated,
                          tl_error *err)
{
    *n = 0;
    *truncated = false;
    if (!ps->cap.valid || !ps->cur)
        return tl_error_set(err, TL_EINVAL, "no captured stack to unwind");
    unwind_current = ps;
    for (size_t i = 0; i < NUNWINDERS && *n <= 1; i++) {
        memset(frames, 0, max * sizeof *frames);
        unwinders[i].walk(ps, frames, max, n, truncated);
    }
    unwind_current = NULL;
    if (*n == 0)
        return tl_error_set(err, TL_EIO, "could not unwind thread %d (pc 0x%llx)", ps->cap.tid,
                            (unsigned long long)arch_pc(&ps->cap.regs));
    return TL_OK;
}
