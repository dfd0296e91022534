/* Unwinding a captured thread from its copy, after the thread runs again. Unwinders sit behind
 * a small ops table (init / walk / fini), tried in order: libunwind's remote API with accessors
 * of our own (memory from the copy, other addresses through process_vm_readv and a small page
 * cache; unwind tables found in the target's memory: each module's .eh_frame_hdr, located from
 * its ELF program headers as mapped, so no file is opened by path), then frame pointers in the
 * copy when libunwind stops early (no unwind info). Memory whose read could hang (mem_guard.h)
 * is never read: the walk ends there and says so. A return address outside every executable
 * mapping ends the walk too (a corrupt stack, or text taken for a frame). */
#include <dwarf.h>
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <libunwind.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "mem_guard.h"
#include "module_image.h"
#include "stacks_linux.h"
#include "unwind_cfi.h"

/* libunwind's search of a binary-search table in target memory (the format of .eh_frame_hdr):
 * exported by libunwind but not declared in its headers (perf declares it the same way). */
#define dwarf_search_unwind_table UNW_OBJ(dwarf_search_unwind_table)
extern int dwarf_search_unwind_table(unw_addr_space_t as, unw_word_t ip, unw_dyn_info_t *di, unw_proc_info_t *pi,
                                     int need_unwind_info, void *arg);

#define EH_TABLES_MAX 128         /* modules whose .eh_frame_hdr is remembered per process */
#define MODULE_WALK_BACK 64       /* mappings looked at backwards for a module's first one */

typedef struct unwinder_ops {
    const char *name;
    int (*init)(unwind_proc *u);
    /* Fills frames[0..*n) from ps's capture; *truncated when the frame bound cut it. */
    void (*walk)(platform_stacks *ps, tl_frame *frames, size_t max, size_t *n, bool *truncated);
    void (*fini)(unwind_proc *u);
} unwinder_ops;

/* Where one executable mapping's unwind table is, in the target. */
typedef struct eh_table {
    uint64_t lo, hi;          /* the executable mapping; hi == 0: empty slot */
    bool ok;                  /* false: it has no usable .eh_frame_hdr */
    uint64_t hdr, table, nfde;
} eh_table;

struct unwind_proc {
    int pid;
    unw_addr_space_t as;      /* libunwind, caching policy global */
    cfi_cache *cfi;           /* module files' CFI, for modules without .eh_frame_hdr */
    eh_table eh[EH_TABLES_MAX];
    size_t eh_next;           /* round robin when full */
};

/* libunwind hands our accessors the UPT handle instead of our argument while it searches
 * .eh_frame_hdr, so the capture being unwound is found through this instead. */
static _Thread_local platform_stacks *unwind_current;
/* The registers a libunwind cursor starts from: frame 0's as captured, or those of the frame
 * where the walk went back to libunwind after other steps. */
static _Thread_local const wregs *unwind_regs;

/* ---- memory of the target: the copy first, then a page cache over process_vm_readv ------- */

void stacks_notes_reset(platform_stacks *ps)
{
    ps->nskipped = 0;
    ps->warning[0] = '\0';
}

bool stacks_may_read(platform_stacks *ps, uint64_t addr, uint64_t len, tl_mem_range *hit)
{
    tl_mem_range r;
    if (!mem_guard_unsafe(ps->cap.pid, addr, len, &r))
        return true;
    if (hit)
        *hit = r;
    for (size_t i = 0; i < ps->nskipped; i++)
        if (ps->skipped[i].start == r.start && ps->skipped[i].end == r.end)
            return false;
    if (ps->nskipped < TL_SKIPPED_MAX)
        ps->skipped[ps->nskipped++] = r;
    return false;
}

const char *platform_unwind_warning(const platform_stacks *ps)
{
    return ps->warning[0] ? ps->warning : NULL;
}

size_t platform_stacks_skipped(const platform_stacks *ps, tl_mem_range *out, size_t max)
{
    size_t n = ps->nskipped < max ? ps->nskipped : max;
    memcpy(out, ps->skipped, n * sizeof *out);
    return n;
}

static int read_remote(platform_stacks *ps, uint64_t addr, void *buf, size_t len)
{
    if (!stacks_may_read(ps, addr, len, NULL))
        return -1;
    struct iovec local = {.iov_base = buf, .iov_len = len};
    struct iovec remote = {.iov_base = (void *)(uintptr_t)addr, .iov_len = len};
    return process_vm_readv(ps->cap.pid, &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -1;
}

/* Caches pages of read-only mappings only: code and unwind tables do not change under us. */
static int read_cached(platform_stacks *ps, uint64_t addr, uint64_t *val)
{
    uint64_t page = addr & ~(uint64_t)(PAGE_CACHE_PAGE - 1);
    const maps_region *r = maps_find(&ps->maps, addr);
    if (!r || r->writable || addr - page > PAGE_CACHE_PAGE - sizeof *val)
        return read_remote(ps, addr, val, sizeof *val);
    page_slot *s = &ps->pages[(page / PAGE_CACHE_PAGE) % PAGE_CACHE_SLOTS];
    if (s->page != page + 1 || s->pass != ps->page_pass) {
        s->page = page + 1;
        s->pass = ps->page_pass;
        s->ok = read_remote(ps, page, s->data, sizeof s->data) == 0;
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

/* ---- unwind tables, from the target's memory ------------------------------------------------ */

/* The first mapping (file offset 0) of the module that mapping r belongs to: the same file
 * (device and inode), at or below r. The vDSO is one mapping. */
static const maps_region *module_first(const maps_table *m, const maps_region *r)
{
    for (size_t k = 0; k < MODULE_WALK_BACK && r >= m->r; k++, r--) {
        if (r->offset == 0)
            return r;
        if (r == m->r || r[-1].inode != r->inode || r[-1].dev_major != r->dev_major ||
            r[-1].dev_minor != r->dev_minor)
            return NULL;
    }
    return NULL;
}

/* The size of a DWARF pointer encoding of .eh_frame_hdr's header fields, 0 if not handled. */
static unsigned eh_enc_size(unsigned char enc)
{
    switch (enc & 0x0f) {
    case DW_EH_PE_udata4: case DW_EH_PE_sdata4: return 4;
    case DW_EH_PE_udata8: case DW_EH_PE_sdata8: return 8;
    default: return 0;
    }
}

/* Reads the module's program headers and .eh_frame_hdr from the target's memory (what the
 * kernel mapped: the right file whatever its path now names, in any mount namespace). */
static void eh_table_find(platform_stacks *ps, const maps_region *r, eh_table *t)
{
    unsigned char hdr[sizeof(Elf64_Ehdr) + MODULE_IMAGE_PHDRS_MAX * sizeof(Elf64_Phdr)];
    const maps_region *first = module_first(&ps->maps, r);
    *t = (eh_table){.lo = r->start, .hi = r->end};
    if (!first)
        return;
    uint64_t len = first->end - first->start < sizeof hdr ? first->end - first->start : sizeof hdr;
    uint64_t addr;
    unsigned char h[4 + 8 + 8];
    if (read_remote(ps, first->start, hdr, (size_t)len) != 0 || !module_eh_frame_hdr(hdr, (size_t)len, first->start, &addr) ||
        read_remote(ps, addr, h, sizeof h) != 0)
        return;
    /* version 1; fde_count an unsigned 4- or 8-byte number; the table datarel sdata4 pairs,
     * the only table format libunwind searches */
    unsigned ptr = eh_enc_size(h[1]), cnt = eh_enc_size(h[2]);
    if (h[0] != 1 || h[3] != (DW_EH_PE_datarel | DW_EH_PE_sdata4) || !ptr ||
        (h[2] != DW_EH_PE_udata4 && h[2] != DW_EH_PE_udata8))
        return;
    uint64_t nfde = 0;   /* in the target's (the host's) byte order, as libunwind reads it */
    if (cnt == 4) {
        uint32_t n4;
        memcpy(&n4, h + 4 + ptr, sizeof n4);
        nfde = n4;
    } else {
        memcpy(&nfde, h + 4 + ptr, sizeof nfde);
    }
    if (nfde == 0 || nfde > (1u << 24))
        return;
    t->hdr = addr;
    t->table = addr + 4 + ptr + cnt;
    t->nfde = nfde;
    t->ok = true;
}

static const eh_table *eh_table_of(platform_stacks *ps, const maps_region *r)
{
    unwind_proc *u = ps->cur->unw;
    for (size_t i = 0; i < EH_TABLES_MAX; i++)
        if (u->eh[i].hi && u->eh[i].lo == r->start && u->eh[i].hi == r->end)
            return &u->eh[i];
    eh_table *t = &u->eh[u->eh_next++ % EH_TABLES_MAX];
    eh_table_find(ps, r, t);
    return t;
}

static int acc_find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi, int need, void *arg)
{
    (void)arg;
    /* JIT code (a JVM's) and other anonymous code has no ELF to look in: answer at once */
    const maps_region *r = maps_find(&unwind_current->maps, ip);
    if (!r || !r->unwind_tables)
        return -UNW_ENOINFO;
    const eh_table *t = eh_table_of(unwind_current, r);
    if (!t->ok)
        return -UNW_ENOINFO;
    unw_dyn_info_t di = {
        .start_ip = r->start,
        .end_ip = r->end,
        .format = UNW_INFO_FORMAT_REMOTE_TABLE,
        .u.rti = {.segbase = t->hdr, .table_data = t->table,
                  .table_len = t->nfde * 8 / sizeof(unw_word_t)},   /* pairs of 4-byte offsets */
    };
    return dwarf_search_unwind_table(as, ip, &di, pi, need, unwind_current);
}

static void acc_put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
    (void)as, (void)pi, (void)arg;   /* libunwind frees what the table search allocated */
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
    const wregs *w = unwind_regs;
    if (w && !w->initial) {
        if (reg == arch_unw_pc_reg())
            v = w->pc;
        else if (reg >= 0 && reg < arch_dwarf_nregs() && reg < WREGS_MAX && (w->known & (1u << reg)))
            v = w->v[reg];
        else
            return -UNW_EBADREG;   /* not recovered by the steps that led here */
    } else if (arch_unw_reg(&unwind_current->cap.regs, reg, &v) != 0) {
        unwind_current->cap.reg_missing |= unwind_current->cap.regs.sp_pc_only;   /* zero_stop.c */
        return -UNW_EBADREG;
    }
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
    u->cfi = cfi_cache_new(u->pid);
    if (!u->as || !u->cfi)
        return -1;
    unw_set_caching_policy(u->as, UNW_CACHE_GLOBAL);
    return 0;
}

static void lu_fini(unwind_proc *u)
{
    if (u->as)
        unw_destroy_addr_space(u->as);
    cfi_cache_free(u->cfi);
}

/* A return address points just after a call, into code: an executable mapping. 0x17 or
 * "/x86_64-" read as a number is a corrupt stack (or a layout the unwinder misread), not a
 * frame. exact: the pc of a frame a signal interrupted (no call before it). */
static bool plausible_return(const platform_stacks *ps, uint64_t pc, bool exact)
{
    const maps_region *r = maps_find(&ps->maps, pc);
    if (r && r->executable)
        return true;
    r = !exact && pc > 0 ? maps_find(&ps->maps, pc - 1) : NULL;
    return r && r->executable;
}

static void warn_impossible(platform_stacks *ps, uint64_t pc, bool *truncated)
{
    snprintf(ps->warning, sizeof ps->warning,
             "return address 0x%" PRIx64 " is in no executable mapping: the walk ends there "
             "(a corrupt stack, or frames this unwinder cannot follow)", pc);
    *truncated = true;
}

/* A frame that does not move up the stack means a loop (corrupt or misread stack). */
static bool frame_advances(const tl_frame *prev, uint64_t prev_sp, uint64_t pc, uint64_t sp)
{
    if (prev->signal_frame)
        return true;   /* a handler may run on an alternate stack */
    return sp > prev_sp || (sp == prev_sp && pc != prev->pc);
}

/* The thread's stack: the mapping its captured stack pointer is in. */
static const maps_region *thread_stack(const platform_stacks *ps)
{
    return maps_find(&ps->maps, arch_sp(&ps->cap.regs));
}

/* The registers of frame 0, as captured. */
static void regs_from_capture(const capture *c, wregs *w)
{
    *w = (wregs){.pc = arch_strip_pac(&c->regs, arch_pc(&c->regs)), .initial = true};
    for (int i = 0; i < arch_dwarf_nregs() && i < WREGS_MAX; i++)
        if (arch_unw_reg(&c->regs, i, &w->v[i]) == 0)
            w->known |= 1u << i;
}

/* The registers libunwind recovered for the cursor's frame (UNW_REG_IP reads the pc). */
static void regs_from_cursor(unw_cursor_t *cur, uint64_t pc, wregs *w)
{
    *w = (wregs){.pc = pc};
    for (int i = 0; i < arch_dwarf_nregs() && i < WREGS_MAX; i++) {
        unw_word_t v;
        if (i != UNW_REG_IP && unw_get_reg(cur, i, &v) >= 0) {
            w->v[i] = v;
            w->known |= 1u << i;
        }
    }
}

/* One frame-pointer step (layout in arch.h), a guess: taken only when the frame record is in
 * the thread's stack mapping, at or above the stack pointer and above the previous record. */
static bool fp_step(platform_stacks *ps, const maps_region *stack, wregs *w, uint64_t *last_fp)
{
    int fpr = arch_unw_fp_reg();
    uint32_t spbit = 1u << UNW_REG_SP;
    if (!(w->known & (1u << fpr)))
        return false;
    /* written so nothing can wrap: fp is target-written and may be anything */
    uint64_t fp = w->v[fpr], next, ra;
    if (!stack || fp < stack->start || fp >= stack->end || stack->end - fp < 16 || fp <= *last_fp ||
        ((w->known & spbit) && fp < w->v[UNW_REG_SP]))
        return false;
    if (stacks_read_word(ps, fp, &next) != 0 || stacks_read_word(ps, fp + 8, &ra) != 0)
        return false;
    ra = arch_strip_pac(&ps->cap.regs, ra);
    if (ra == 0)
        return false;
    *last_fp = fp;
    /* only these are known after a guess; the caller's sp is at least past the record */
    *w = (wregs){.pc = ra, .known = (1u << fpr) | spbit};
    w->v[fpr] = next;
    w->v[UNW_REG_SP] = fp + 16;
    return true;
}

/* Whether libunwind finds an FDE for addr in the module's .eh_frame_hdr (in memory). */
static bool has_eh_info(unw_addr_space_t as, uint64_t addr)
{
    unw_proc_info_t pi;
    memset(&pi, 0, sizeof pi);
    return acc_find_proc_info(as, addr, &pi, 0, NULL) >= 0;   /* no unwind info allocated */
}

/* How a frame was reached from the one below it. */
typedef enum step_how { STEP_CFI, STEP_FP } step_how;

/* The walk: each frame is stepped by the best that knows it. libunwind where the module's
 * .eh_frame_hdr covers the pc (one cursor for as long as it does), else the CFI in the
 * module's file (unwind_cfi.h: Go's .debug_frame), else the frame pointer: a guess, so the frame
 * it finds is marked guessed. The walk ends where CFI marks the return address undefined
 * (clone3, _start), at a frame that does not go up the stack, or at an impossible return
 * address (with a warning). */
/* A zero-stop capture (zero_stop.c) is kept only when libunwind's own steps made the whole walk
 * from SP and PC: our CFI steps and frame records start from registers it does not have. */
static bool zero_stop_gives_up(platform_stacks *ps)
{
    if (ps->cap.regs.sp_pc_only)
        ps->cap.reg_missing = true;
    return ps->cap.regs.sp_pc_only;
}

static void lu_walk(platform_stacks *ps, tl_frame *frames, size_t max, size_t *n, bool *truncated)
{
    unwind_proc *u = ps->cur->unw;
    const maps_region *stack = thread_stack(ps);
    unw_cursor_t cur;
    wregs w, start;
    bool cursor = false, exact = true, through_signal = false;
    bool lu_stepped = false, fp_below_ok = false;   /* the last step was libunwind's; x29 before it */
    unw_word_t fp_below = 0;
    step_how how = STEP_CFI;
    uint64_t prev_sp = 0, last_fp = 0;
    *n = 0;
    *truncated = false;
    regs_from_capture(&ps->cap, &w);
    for (;;) {
        uint64_t pc = w.pc, sp = (w.known & (1u << UNW_REG_SP)) ? w.v[UNW_REG_SP] : 0;
        if (pc == 0)
            return;
        /* libunwind flags the frame reached through a signal frame: mark the trampoline */
        if (through_signal)
            frames[*n - 1].signal_frame = true;
        if (*n > 0 && !frame_advances(&frames[*n - 1], prev_sp, pc, sp)) {
            /* a loop, or a frame that does not go up the stack (not "truncated"). After a
             * libunwind step that is libunwind 1.6.2 lost in the CFI of -mbranch-protection
             * code on aarch64: frame records from the frame below, where the ABI keeps them */
            if (!lu_stepped || !fp_below_ok || !arch_keeps_frame_records())
                return;
            w = (wregs){.pc = frames[*n - 1].pc, .known = (1u << UNW_REG_SP) | (1u << arch_unw_fp_reg())};
            w.v[UNW_REG_SP] = prev_sp;
            w.v[arch_unw_fp_reg()] = fp_below;
            lu_stepped = cursor = false;
            if (!fp_step(ps, stack, &w, &last_fp))
                return;
            exact = false;
            how = STEP_FP;
            continue;
        }
        lu_stepped = false;
        if (*n == max) {
            *truncated = true;
            return;
        }
        if (*n > 0 && !plausible_return(ps, pc, exact)) {
            warn_impossible(ps, pc, truncated);
            return;
        }
        frames[(*n)++] = (tl_frame){.pc = pc, .guessed = how == STEP_FP};
        prev_sp = sp;
        uint64_t lookup = exact ? pc : pc - 1;
        through_signal = false;
        bool eh = has_eh_info(u->as, lookup);
        if (eh) {
            if (!cursor) {
                start = w;
                unwind_regs = &start;
                cursor = unw_init_remote(&cur, u->as, ps) >= 0;
            }
            /* the frame pointer before the step: after a failed one the cursor's state is not
             * to be trusted, and frame records continue from it */
            unw_word_t fp_now = 0;
            bool missing = ps->cap.reg_missing;   /* zero-stop: this read alone needs no register */
            bool fp_ok = cursor && unw_get_reg(&cur, arch_unw_fp_reg(), &fp_now) >= 0;
            ps->cap.reg_missing = missing;
            int st = cursor ? unw_step(&cur) : -UNW_EINVAL;
            unw_word_t ip = 0;
            if (st == 0)
                return;   /* the CFI says this is the thread's first frame */
            unw_word_t nsp = 0;
            if (st > 0 && unw_get_reg(&cur, UNW_REG_IP, &ip) >= 0 && unw_get_reg(&cur, UNW_REG_SP, &nsp) >= 0) {
                /* the other registers stay in the cursor until a step of ours needs them */
                w = (wregs){.pc = arch_strip_pac(&ps->cap.regs, ip), .known = 1u << UNW_REG_SP};
                w.v[UNW_REG_SP] = nsp;
                through_signal = unw_is_signal_frame(&cur) > 0;
                exact = through_signal;
                how = STEP_CFI;
                lu_stepped = true;
                fp_below = fp_now;
                fp_below_ok = fp_ok;
                continue;
            }
            /* libunwind could not step (e.g. libunwind 1.6.2 at the CFI of code built with
             * -mbranch-protection on aarch64): frame records, where the ABI keeps them */
            if (*n > 1 && !arch_keeps_frame_records())
                return;
            if (cursor && !w.initial) {
                w = (wregs){.pc = pc, .known = (1u << UNW_REG_SP) | (fp_ok ? 1u << arch_unw_fp_reg() : 0)};
                w.v[UNW_REG_SP] = sp;
                w.v[arch_unw_fp_reg()] = fp_now;
            }
        } else {
            if (cursor)
                regs_from_cursor(&cur, pc, &w);
            cursor = false;
            if (zero_stop_gives_up(ps))
                return;
            const maps_region *r = maps_find(&ps->maps, lookup);
            const maps_region *first = r && r->unwind_tables ? module_first(&ps->maps, r) : NULL;
            cfi_result cr = first ? cfi_step(u->cfi, ps, first, lookup, &w) : CFI_NONE;
            if (cr == CFI_OUTERMOST)
                return;
            if (cr == CFI_STEPPED) {
                exact = false;
                how = STEP_CFI;
                continue;
            }
        }
        cursor = false;
        if (zero_stop_gives_up(ps) || !fp_step(ps, stack, &w, &last_fp))
            return;
        exact = false;
        how = STEP_FP;
    }
}

/* ---- frame-pointer unwinder: when the walk above found no frame past the first ----------- */

static int fp_init(unwind_proc *u)
{
    (void)u;
    return 0;
}

static void fp_fini(unwind_proc *u)
{
    (void)u;
}

static void fp_walk(platform_stacks *ps, tl_frame *frames, size_t max, size_t *n, bool *truncated)
{
    const maps_region *stack = thread_stack(ps);
    uint64_t last_fp = 0;
    wregs w;
    *truncated = false;
    *n = 0;
    regs_from_capture(&ps->cap, &w);
    while (max > 0) {
        if (*n > 0 && !plausible_return(ps, w.pc, false)) {
            warn_impossible(ps, w.pc, truncated);
            return;
        }
        frames[*n] = (tl_frame){.pc = w.pc, .guessed = *n > 0};
        (*n)++;
        if (!fp_step(ps, stack, &w, &last_fp))
            return;
        if (*n == max) {
            *truncated = true;
            return;
        }
    }
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
    if (ps->zs_ready)
        return zero_stop_result(ps, frames, max, n, truncated);
    return unwind_capture(ps, frames, max, n, truncated, err);
}

tl_status unwind_capture(platform_stacks *ps, tl_frame *frames, size_t max, size_t *n, bool *truncated,
                         tl_error *err)
{
    *n = 0;
    *truncated = false;
    if (!ps->cap.valid || !ps->cur)
        return tl_error_set(err, TL_EINVAL, "no captured stack to unwind");
    unwind_current = ps;
    for (size_t i = 0; i < NUNWINDERS && *n <= 1; i++) {
        if (i > 0 && ps->cap.regs.sp_pc_only) {
            ps->cap.reg_missing = true;   /* the later unwinders start from registers we lack */
            break;
        }
        memset(frames, 0, max * sizeof *frames);
        ps->warning[0] = '\0';
        unwinders[i].walk(ps, frames, max, n, truncated);
    }
    unwind_current = NULL;
    unwind_regs = NULL;
    if (!ps->warning[0] && ps->nskipped) {
        const tl_mem_range *r = &ps->skipped[0];
        snprintf(ps->warning, sizeof ps->warning,
                 "memory 0x%" PRIx64 "-0x%" PRIx64 " (%s) was not read, as reading it could hang: "
                 "the walk may end early", r->start, r->end, r->reason);
        *truncated = true;
    }
    if (*n == 0)
        return tl_error_set(err, TL_EIO, "could not unwind thread %d (pc 0x%llx)", ps->cap.tid,
                            (unsigned long long)arch_pc(&ps->cap.regs));
    return TL_OK;
}
