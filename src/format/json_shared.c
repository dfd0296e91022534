/* The --shared part of the JSON dump: per process "shared" and "regions", per thread
 * "private". Present only when the sampler read them. */
#include "json_parts.h"

#define SIGNALS_MAX 64

static json_t *json_class(const tl_shared *sh, tl_region_class cls)
{
    const tl_class_size *c = &sh->by_class[cls];
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "mappings", json_integer((json_int_t)c->nregions), &ok);
    json_put(o, "mapped_bytes", json_integer((json_int_t)c->mapped_bytes), &ok);
    json_put(o, "rss_bytes", sh->class_rss_known ? json_integer((json_int_t)c->rss_bytes) : json_null(), &ok);
    return ok ? o : (json_decref(o), NULL);
}

static json_t *json_classes(const tl_shared *sh)
{
    int ok = 1;
    json_t *o = json_object();
    for (int cls = 0; o && cls < TL_REGION_NCLASSES; cls++)
        json_put(o, model_region_class_name((tl_region_class)cls), json_class(sh, (tl_region_class)cls), &ok);
    return o && ok ? o : (json_decref(o), NULL);
}

static json_t *json_rollup(const tl_mem_rollup *r)
{
    if (!r->valid)
        return json_null();
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "rss_kib", json_integer((json_int_t)r->rss_kib), &ok);
    json_put(o, "pss_kib", json_integer((json_int_t)r->pss_kib), &ok);
    json_put(o, "anonymous_kib", json_integer((json_int_t)r->anonymous_kib), &ok);
    json_put(o, "shared_clean_kib", json_integer((json_int_t)r->shared_clean_kib), &ok);
    json_put(o, "shared_dirty_kib", json_integer((json_int_t)r->shared_dirty_kib), &ok);
    json_put(o, "private_clean_kib", json_integer((json_int_t)r->private_clean_kib), &ok);
    json_put(o, "private_dirty_kib", json_integer((json_int_t)r->private_dirty_kib), &ok);
    json_put(o, "swap_kib", json_integer((json_int_t)r->swap_kib), &ok);
    return ok ? o : (json_decref(o), NULL);
}

static json_t *json_fds(const tl_shared *sh)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < sh->nfds_listed; i++) {
        int ok = 1;
        json_t *o = json_object();
        json_put(o, "fd", json_integer(sh->fds[i].fd), &ok);
        json_put(o, "target", json_str(sh->fds[i].target), &ok);
        if (!o || !ok || json_array_append_new(a, o) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *json_signames(uint64_t mask)
{
    char name[16];
    json_t *a = json_array();
    for (int sig = 1; a && sig <= SIGNALS_MAX; sig++) {
        if ((mask & (1ULL << (sig - 1))) && json_array_append_new(a, json_string(model_signal_name(sig, name))) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *json_signals(const tl_shared *sh)
{
    if (!sh->sig_valid)
        return json_null();
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "caught_mask", json_hex(sh->sig_caught), &ok);
    json_put(o, "ignored_mask", json_hex(sh->sig_ignored), &ok);
    json_put(o, "caught", json_signames(sh->sig_caught), &ok);
    json_put(o, "ignored", json_signames(sh->sig_ignored), &ok);
    return ok ? o : (json_decref(o), NULL);
}

static json_t *json_shared(const tl_process *p)
{
    const tl_shared *sh = &p->shared;
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "thread_count", json_integer((json_int_t)p->nthreads), &ok);
    json_put(o, "mappings", json_integer((json_int_t)sh->nmappings), &ok);
    json_put(o, "regions_listed", json_integer((json_int_t)sh->nregions), &ok);
    json_put(o, "regions_truncated", json_boolean(sh->regions_truncated), &ok);
    json_put(o, "classes", json_classes(sh), &ok);
    json_put(o, "memory", json_rollup(&sh->rollup), &ok);
    json_put(o, "fd_count", sh->nfds >= 0 ? json_integer(sh->nfds) : json_null(), &ok);
    json_put(o, "fds", json_fds(sh), &ok);
    json_put(o, "signals", json_signals(sh), &ok);
    json_put(o, "error", json_str(sh->error), &ok);
    return ok ? o : (json_decref(o), NULL);
}

static json_t *json_region(const tl_region *r)
{
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "start", json_hex(r->start), &ok);
    json_put(o, "end", json_hex(r->end), &ok);
    json_put(o, "size", json_integer((json_int_t)(r->end - r->start)), &ok);
    json_put(o, "perms", json_string(r->perms), &ok);
    json_put(o, "offset", json_hex(r->offset), &ok);
    json_put(o, "inode", json_integer((json_int_t)r->inode), &ok);
    json_put(o, "path", json_str(r->path), &ok);
    json_put(o, "class", json_string(model_region_class_name(r->cls)), &ok);
    json_put(o, "stack_tid", r->stack_tid ? json_integer(r->stack_tid) : json_null(), &ok);
    json_put(o, "rss_kib", r->rss_known ? json_integer((json_int_t)r->rss_kib) : json_null(), &ok);
    return ok ? o : (json_decref(o), NULL);
}

static json_t *json_regions(const tl_shared *sh)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < sh->nregions; i++) {
        if (json_array_append_new(a, json_region(&sh->regions[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

void json_put_shared(json_t *obj, const tl_process *p, int *ok)
{
    if (!p->shared.valid)
        return;
    json_put(obj, "shared", json_shared(p), ok);
    json_put(obj, "regions", json_regions(&p->shared), ok);
}

static json_t *json_private_stack(const tl_private *pv)
{
    if (!pv->stack_known)
        return json_null();
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "start", json_hex(pv->stack_start), &ok);
    json_put(o, "end", json_hex(pv->stack_end), &ok);
    json_put(o, "reserved_bytes", json_integer((json_int_t)(pv->stack_end - pv->stack_start)), &ok);
    json_put(o, "used_bytes", pv->source != TL_REGS_NONE ? json_integer((json_int_t)pv->stack_used) : json_null(), &ok);
    json_put(o, "main", json_boolean(pv->main_stack), &ok);
    return ok ? o : (json_decref(o), NULL);
}

static json_t *json_private(const tl_thread *t)
{
    const tl_private *pv = &t->priv;
    bool regs = pv->source != TL_REGS_NONE;
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "source", json_string(model_regs_source_name(pv->source)), &ok);
    json_put(o, "pc", regs ? json_hex(pv->pc) : json_null(), &ok);
    json_put(o, "sp", regs ? json_hex(pv->sp) : json_null(), &ok);
    json_put(o, "tls", pv->tls_known ? json_hex(pv->tls) : json_null(), &ok);
    json_put(o, "stack", json_private_stack(pv), &ok);
    json_put(o, "sigmask", json_str(t->sig_blocked && t->sig_blocked[0] ? t->sig_blocked : NULL), &ok);
    json_put(o, "policy", json_string(model_policy_name(t->policy)), &ok);
    return ok ? o : (json_decref(o), NULL);
}

void json_put_private(json_t *obj, const tl_thread *t, int *ok)
{
    if (t->priv.valid)
        json_put(obj, "private", json_private(t), ok);
}
