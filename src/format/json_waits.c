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
    return ok ? o : (json_decref(o), NULL);
}

json_t *json_deadlocks(const tl_snapshot *s)
{
    (void)s;
    return json_array();
}
