#include "regions.h"

#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"

#define MODULE_NEIGHBOURS_MAX 16   /* regions looked at on each side for a module's text */

static bool path_is(const tl_region *r, const char *name)
{
    return r->path && strcmp(r->path, name) == 0;
}

static bool is_anonymous(const tl_region *r)
{
    return !r->path || strncmp(r->path, "[anon", 5) == 0;
}

static bool same_file(const tl_region *a, const tl_region *b)
{
    return a->path && b->path && a->inode == b->inode && strcmp(a->path, b->path) == 0;
}

/* A file is a module (program or library) when one of its neighbouring mappings is executable:
 * the loader maps an ELF object's segments next to each other. */
static bool is_module(const tl_shared *sh, size_t i)
{
    const tl_region *r = &sh->regions[i];
    size_t lo = i > MODULE_NEIGHBOURS_MAX ? i - MODULE_NEIGHBOURS_MAX : 0;
    for (size_t j = lo; j < sh->nregions && j <= i + MODULE_NEIGHBOURS_MAX; j++)
        if (j != i && same_file(r, &sh->regions[j]) && sh->regions[j].perms[2] == 'x')
            return true;
    return false;
}

static tl_region_class classify_special(const tl_region *r)
{
    if (path_is(r, "[vdso]") || path_is(r, "[vvar]") || path_is(r, "[vsyscall]") ||
        path_is(r, "[vvar_vclock]"))
        return TL_REGION_KERNEL;
    if (path_is(r, "[stack]"))
        return TL_REGION_STACK;
    if (path_is(r, "[heap]"))
        return TL_REGION_HEAP;
    return TL_REGION_OTHER;
}

/* Anonymous memory right after a module's data: its bss, as far as the module's image goes
 * (image_end; unknown: all of it). The kernel merges an adjacent anonymous mapping of the same
 * protection (a malloc arena, an mmap) into the bss region: then the larger part names it. */
static tl_region_class after_module_data(const tl_region *data, const tl_region *r)
{
    if (!data->image_end)
        return TL_REGION_DATA;
    uint64_t bss_end = (data->image_end + 0xfff) & ~0xfffULL;
    if (bss_end <= r->start)
        return TL_REGION_HEAP;   /* the image ended before: placed here, not the module's */
    uint64_t in_bss = (bss_end < r->end ? bss_end : r->end) - r->start;
    return in_bss >= (r->end - r->start) - in_bss ? TL_REGION_DATA : TL_REGION_HEAP;
}

/* Anonymous private memory is heap, except JIT code and a module's bss (right after its data). */
static tl_region_class classify_anonymous(const tl_shared *sh, size_t i)
{
    const tl_region *r = &sh->regions[i];
    if (r->perms[2] == 'x')
        return TL_REGION_CODE;
    if (i > 0) {
        const tl_region *prev = &sh->regions[i - 1];
        if (prev->end == r->start && prev->cls == TL_REGION_DATA && prev->path)
            return after_module_data(prev, r);
    }
    return TL_REGION_HEAP;
}

static tl_region_class classify_one(const tl_shared *sh, size_t i)
{
    const tl_region *r = &sh->regions[i];
    if (r->path && r->path[0] == '[' && strncmp(r->path, "[anon", 5) != 0)
        return classify_special(r);
    if (memcmp(r->perms, "---", 3) == 0)
        return TL_REGION_GUARD;
    if (r->perms[3] == 's')
        return TL_REGION_SHM;
    if (is_anonymous(r))
        return classify_anonymous(sh, i);
    if (r->perms[2] == 'x')
        return TL_REGION_CODE;
    return is_module(sh, i) ? TL_REGION_DATA : TL_REGION_FILE;
}

void regions_classify(tl_shared *sh)
{
    for (size_t i = 0; i < sh->nregions; i++) {
        sh->regions[i].cls = classify_one(sh, i);
        sh->regions[i].stack_tid = 0;
    }
}

tl_region *regions_find(tl_shared *sh, uint64_t addr)
{
    size_t lo = 0, hi = sh->nregions;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        tl_region *r = &sh->regions[mid];
        if (addr < r->start)
            hi = mid;
        else if (addr >= r->end)
            lo = mid + 1;
        else
            return r;
    }
    return NULL;
}

static void private_registers(tl_thread *t)
{
    tl_private *pv = &t->priv;
    if (t->regs_valid) {
        pv->source = t->regs_sp_pc_only ? TL_REGS_SYSCALL : TL_REGS_PTRACE;   /* zero-stop: no TLS */
        pv->pc = t->pc;
        pv->sp = t->sp;
        pv->tls = t->regs_sp_pc_only ? 0 : t->tls;
        pv->tls_known = !t->regs_sp_pc_only;
    } else if (t->syscall.valid && !t->syscall.running && t->syscall.sp) {
        pv->source = TL_REGS_SYSCALL;
        pv->pc = t->syscall.pc;
        pv->sp = t->syscall.sp;
    }
}

static void private_stack(tl_private *pv, tl_region *r, int tid)
{
    pv->stack_known = true;
    pv->stack_start = r->start;
    pv->stack_end = r->end;
    pv->main_stack = path_is(r, "[stack]");
    if (pv->source != TL_REGS_NONE)
        pv->stack_used = r->end - pv->sp;
    r->cls = TL_REGION_STACK;
    if (!r->stack_tid)
        r->stack_tid = tid;
}

void regions_thread_private(tl_thread *t, tl_shared *sh, int pid)
{
    memset(&t->priv, 0, sizeof t->priv);
    t->priv.valid = true;
    private_registers(t);
    tl_region *r = t->priv.source != TL_REGS_NONE ? regions_find(sh, t->priv.sp) : NULL;
    if (!r && t->tid == pid) {
        /* the main thread's stack is [stack] even when its SP is unknown */
        for (size_t i = 0; i < sh->nregions && !r; i++)
            if (path_is(&sh->regions[i], "[stack]"))
                r = &sh->regions[i];
    }
    if (r)
        private_stack(&t->priv, r, t->tid);
}

void regions_sum(tl_shared *sh)
{
    memset(sh->by_class, 0, sizeof sh->by_class);
    for (size_t i = 0; i < sh->nregions; i++) {
        const tl_region *r = &sh->regions[i];
        tl_class_size *c = &sh->by_class[r->cls < TL_REGION_NCLASSES ? r->cls : TL_REGION_OTHER];
        c->nregions++;
        c->mapped_bytes += r->end - r->start;
        if (r->rss_known)
            c->rss_bytes += r->rss_kib * 1024;
    }
}

/* Returns how many threads' SP stayed unknown. */
static size_t attribute_process(tl_process *p)
{
    size_t unknown = 0;
    for (size_t j = 0; j < p->nthreads; j++) {
        regions_thread_private(&p->threads[j], &p->shared, p->pid);
        if (p->threads[j].priv.source == TL_REGS_NONE && p->threads[j].tid != p->pid)
            unknown++;
    }
    regions_sum(&p->shared);
    return unknown;
}

void regions_attribute(tl_snapshot *snap)
{
    for (size_t i = 0; i < snap->nprocs; i++) {
        tl_process *p = &snap->procs[i];
        if (!p->shared.valid)
            continue;
        size_t unknown = attribute_process(p);
        if (unknown)
            snapshot_add_note(snap, "process %d: the stacks of %zu running thread%s are counted as heap "
                              "(SP unknown: take stacks to find them)", p->pid, unknown,
                              unknown == 1 ? "" : "s");
    }
}

static tl_status read_one(tl_snapshot *snap, tl_process *p, tl_error *err)
{
    tl_error e = {0};
    tl_status st = platform_read_regions(p->pid, &p->shared, &e);
    if (st == TL_ENOMEM)
        return *err = e, st;
    if (p->shared.valid) {
        regions_classify(&p->shared);
        if (p->shared.regions_truncated)
            snapshot_add_note(snap, "process %d has %zu mappings; only the first %d are listed", p->pid,
                              p->shared.nmappings, TL_MAX_REGIONS);
    }
    if (st == TL_OK)
        return TL_OK;
    snapshot_add_note(snap, "shared state of process %d is incomplete: %s", p->pid, e.msg);
    return TL_PARTIAL;
}

tl_status regions_read(tl_snapshot *snap, int only_pid, tl_error *err)
{
    tl_status total = TL_OK;
    for (size_t i = 0; i < snap->nprocs; i++) {
        tl_process *p = &snap->procs[i];
        if (p->kernel_thread || p->zombie || (only_pid && p->pid != only_pid))
            continue;
        tl_status st = read_one(snap, p, err);
        if (st == TL_ENOMEM)
            return st;
        if (st != TL_OK)
            total = TL_PARTIAL;
    }
    if (total == TL_PARTIAL) {
        err->code = TL_PARTIAL;
        err->msg[0] = '\0';   /* each process's reason is already a note */
    }
    return total;
}
