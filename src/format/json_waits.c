#include "json_parts.h"

json_t *json_wait(const tl_thread *t)
{
    const tl_wait *w = &t->wait;
    if (w->kind == TL_WAIT_NONE)
        return json_null();
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "kind", json_string(model_wait_kind_name(w->kind)), &ok);
    json_put(o, "address", w->address ? json_hex(w->address) : json_null(), &ok);
    json_put(o, "owner_tid", w->owner_tid ? json_integer(w->owner_tid) : json_null(), &ok);
    json_put(o, "owner_pid", w->owner_pid ? json_integer(w->owner_pid) : json_null(), &ok);
    json_put(o, "fd", w->fd >= 0 ? json_integer(w->fd) : json_null(), &ok);
    json_put(o, "syscall", json_str(w->syscall_name), &ok);
    json_put(o, "object", json_str(w->object), &ok);
    json_put(o, "description", json_str(w->description), &ok);
    json_put(o, "can_end_by", json_str(model_wait_end_name(w->can_end_by)), &ok);
    return ok ? o : (json_decref(o), NULL);
}

static json_t *json_edge(const tl_wait_edge *e)
{
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "waiter", json_integer(e->waiter_tid), &ok);
    json_put(o, "holder", json_integer(e->holder_tid), &ok);
    json_put(o, "kind", json_string(model_wait_kind_name(e->kind)), &ok);
    json_put(o, "address", e->address ? json_hex(e->address) : json_null(), &ok);
    return ok ? o : (json_decref(o), NULL);
}

static json_t *json_deadlock(const tl_deadlock *d)
{
    int ok = 1;
    json_t *o = json_object(), *tids = json_array(), *edges = json_array();
    for (size_t i = 0; tids && i < d->ntids; i++)
        if (json_array_append_new(tids, json_integer(d->tids[i])) != 0)
            ok = 0;
    for (size_t i = 0; edges && i < d->nedges; i++)
        if (json_array_append_new(edges, json_edge(&d->edges[i])) != 0)
            ok = 0;
    if (!o) {
        json_decref(tids);
        json_decref(edges);
        return NULL;
    }
    json_put(o, "threads", tids, &ok);
    json_put(o, "edges", edges, &ok);
    json_put(o, "level", json_string(d->reported_by_jvm ? "java" : "native"), &ok);
    return ok ? o : (json_decref(o), NULL);
}

json_t *json_deadlocks(const tl_snapshot *s)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < s->ndeadlocks; i++) {
        if (json_array_append_new(a, json_deadlock(&s->deadlocks[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}
