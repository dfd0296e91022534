/* A saved dump's --shared part back into the model: per process "shared" and "regions", per
 * thread "private" (the inverse of json_shared.c). Absent keys leave the part invalid, as a
 * dump taken without --shared has it. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "json_read_parts.h"

static tl_region_class class_from_name(const char *s)
{
    for (int c = 0; s && c < TL_REGION_NCLASSES; c++)
        if (!strcmp(s, model_region_class_name((tl_region_class)c)))
            return (tl_region_class)c;
    return TL_REGION_OTHER;
}

static void read_class(const json_t *o, tl_class_size *c, bool *rss_known)
{
    c->nregions = (size_t)jr_u64(o, "mappings");
    c->mapped_bytes = jr_u64(o, "mapped_bytes");
    c->rss_bytes = jr_u64(o, "rss_bytes");
    if (json_is_integer(json_object_get(o, "rss_bytes")))
        *rss_known = true;
}

static void read_rollup(const json_t *o, tl_mem_rollup *r)
{
    if (!json_is_object(o))
        return;
    r->valid = true;
    r->rss_kib = jr_u64(o, "rss_kib");
    r->pss_kib = jr_u64(o, "pss_kib");
    r->anonymous_kib = jr_u64(o, "anonymous_kib");
    r->shared_clean_kib = jr_u64(o, "shared_clean_kib");
    r->shared_dirty_kib = jr_u64(o, "shared_dirty_kib");
    r->private_clean_kib = jr_u64(o, "private_clean_kib");
    r->private_dirty_kib = jr_u64(o, "private_dirty_kib");
    r->swap_kib = jr_u64(o, "swap_kib");
}

static bool read_fds(const json_t *a, tl_shared *sh)
{
    size_t n = json_array_size(a);
    if (n > TL_MAX_FDS_LISTED)
        n = TL_MAX_FDS_LISTED;
    if (!n)
        return true;
    sh->fds = calloc(n, sizeof *sh->fds);
    if (!sh->fds)
        return false;
    for (; sh->nfds_listed < n; sh->nfds_listed++) {
        const json_t *o = json_array_get(a, sh->nfds_listed);
        tl_fd_entry *e = &sh->fds[sh->nfds_listed];
        e->fd = (int)jr_int(o, "fd", -1, INT_MAX, -1);
        if (!jr_strdup(o, "target", &e->target))
            return false;
    }
    return true;
}

static bool read_regions(const json_t *a, tl_shared *sh)
{
    size_t n = json_array_size(a);
    if (n > TL_MAX_REGIONS)
        n = TL_MAX_REGIONS;
    if (!n)
        return true;
    sh->regions = calloc(n, sizeof *sh->regions);
    if (!sh->regions)
        return false;
    for (; sh->nregions < n; sh->nregions++) {
        const json_t *o = json_array_get(a, sh->nregions);
        tl_region *r = &sh->regions[sh->nregions];
        r->start = jr_hex(o, "start");
        r->end = jr_hex(o, "end");
        if (r->end < r->start)
            r->end = r->start;
        const char *perms = json_string_value(json_object_get(o, "perms"));
        snprintf(r->perms, sizeof r->perms, "%s", perms ? perms : "----");
        r->offset = jr_hex(o, "offset");
        r->inode = jr_u64(o, "inode");
        r->cls = class_from_name(json_string_value(json_object_get(o, "class")));
        r->stack_tid = (int)jr_int(o, "stack_tid", 0, INT_MAX, 0);
        r->rss_known = json_is_integer(json_object_get(o, "rss_kib"));
        r->rss_kib = jr_u64(o, "rss_kib");
        if (!jr_strdup(o, "path", &r->path))
            return false;
    }
    return true;
}


bool jr_shared(const json_t *proc, tl_process *p)
{
    const json_t *o = json_object_get(proc, "shared");
    tl_shared *sh = &p->shared;
    if (!json_is_object(o))
        return true;
    sh->valid = true;
    sh->nmappings = (size_t)jr_u64(o, "mappings");
    sh->regions_truncated = jr_bool(o, "regions_truncated");
    const json_t *classes = json_object_get(o, "classes");
    for (int c = 0; c < TL_REGION_NCLASSES; c++)
        read_class(json_object_get(classes, model_region_class_name((tl_region_class)c)), &sh->by_class[c],
                   &sh->class_rss_known);
    read_rollup(json_object_get(o, "memory"), &sh->rollup);
    sh->nfds = (int)jr_int(o, "fd_count", -1, INT_MAX, -1);
    const json_t *sig = json_object_get(o, "signals");
    if (json_is_object(sig)) {
        sh->sig_valid = true;
        sh->sig_caught = jr_hex(sig, "caught_mask");
        sh->sig_ignored = jr_hex(sig, "ignored_mask");
    }
    return jr_strdup(o, "error", &sh->error) && read_fds(json_object_get(o, "fds"), sh) &&
           read_regions(json_object_get(proc, "regions"), sh);
}

static tl_regs_source source_from_name(const char *s)
{
    if (s && !strcmp(s, model_regs_source_name(TL_REGS_PTRACE)))
        return TL_REGS_PTRACE;
    if (s && !strcmp(s, model_regs_source_name(TL_REGS_SYSCALL)))
        return TL_REGS_SYSCALL;
    return TL_REGS_NONE;
}

bool jr_private(const json_t *thread, tl_thread *t)
{
    const json_t *o = json_object_get(thread, "private");
    tl_private *pv = &t->priv;
    if (!json_is_object(o))
        return true;
    pv->valid = true;
    pv->source = source_from_name(json_string_value(json_object_get(o, "source")));
    pv->pc = jr_hex(o, "pc");
    pv->sp = jr_hex(o, "sp");
    pv->tls_known = json_is_string(json_object_get(o, "tls"));
    pv->tls = jr_hex(o, "tls");
    const json_t *st = json_object_get(o, "stack");
    if (json_is_object(st)) {
        pv->stack_known = true;
        pv->stack_start = jr_hex(st, "start");
        pv->stack_end = jr_hex(st, "end");
        if (pv->stack_end < pv->stack_start)
            pv->stack_end = pv->stack_start;
        pv->stack_used = jr_u64(st, "used_bytes");
        pv->main_stack = jr_bool(st, "main");
    }
    return jr_strdup(o, "sigmask", &t->sig_blocked);
}
