/* Stack groups and the summary in the JSON dump: per process "stack_groups", per thread
 * "stack_group", at the top "summary" (schema in threadlens(1)). */
#include <string.h>

#include "json_parts.h"

static json_t *json_group_states(const tl_process *p, const tl_stack_group *grp)
{
    size_t counts[128] = {0};
    for (size_t i = 0; i < grp->count; i++)
        counts[(unsigned char)p->threads[grp->threads[i]].state & 127]++;
    json_t *o = json_object();
    int ok = 1;
    for (int c = 1; o && c < 128; c++) {
        char key[2] = {(char)(c > ' ' && c < 127 ? c : '?'), '\0'};
        if (counts[c])
            json_put(o, key, json_integer((json_int_t)counts[c]), &ok);
    }
    return ok ? o : (json_decref(o), NULL);
}

static json_t *json_group(const tl_process *p, const tl_process_groups *pg, const tl_stack_group *grp)
{
    int ok = 1;
    json_t *o = json_object(), *tids = json_array(), *names = json_array();
    for (size_t i = 0; tids && names && i < grp->count; i++) {
        const tl_thread *t = &p->threads[grp->threads[i]];
        if (json_array_append_new(tids, json_integer(t->tid)) != 0 || json_array_append_new(names, json_str(t->name)) != 0)
            ok = 0;
    }
    if (!o) {
        json_decref(tids);
        json_decref(names);
        return NULL;
    }
    json_put(o, "id", json_integer(grp->id), &ok);
    json_put(o, "count", json_integer((json_int_t)grp->count), &ok);
    json_put(o, "tids", tids, &ok);
    json_put(o, "names", names, &ok);
    json_put(o, "states", json_group_states(p, grp), &ok);
    json_put(o, "frames", pg->by_state ? json_array() : json_frames(&p->threads[grp->threads[0]]), &ok);
    return ok ? o : (json_decref(o), NULL);
}

void json_put_groups(json_t *obj, const tl_process *p, const tl_process_groups *pg, int *ok)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < pg->ngroups; i++)
        if (json_array_append_new(a, json_group(p, pg, &pg->groups[i])) != 0)
            *ok = 0;
    json_put(obj, "stack_groups", a, ok);
    json_put(obj, "stack_groups_by", json_string(pg->by_state ? "state_and_wait" : "stack"), ok);
    json_put(obj, "stack_group_failed", json_integer((json_int_t)pg->nfailed), ok);
}

static json_t *json_waited(const tl_waited *w)
{
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "kind", json_string(w->kind), &ok);
    json_put(o, "address", w->address ? json_hex(w->address) : json_null(), &ok);
    json_put(o, "fd", w->fd >= 0 ? json_integer(w->fd) : json_null(), &ok);
    json_put(o, "description", json_str(w->description ? w->description : w->object), &ok);
    json_put(o, "waiters", json_integer((json_int_t)w->waiters), &ok);
    json_put(o, "owner_tid", w->owner_tid ? json_integer(w->owner_tid) : json_null(), &ok);
    return ok ? o : (json_decref(o), NULL);
}

json_t *json_summary(const tl_summary *sum)
{
    int ok = 1;
    json_t *o = json_object(), *states = json_object(), *top = json_array(), *waited = json_array();
    if (!o || !states || !top || !waited) {
        json_decref(o);
        json_decref(states);
        json_decref(top);
        json_decref(waited);
        return NULL;
    }
    for (int c = 1; c < 128; c++) {
        char key[2] = {(char)(c > ' ' && c < 127 ? c : '?'), '\0'};
        if (sum->states[c] || (c < 127 && strchr("RSDTZ", c)))
            json_put(states, key, json_integer((json_int_t)sum->states[c]), &ok);
    }
    for (size_t i = 0; i < sum->ntop; i++)
        if (json_array_append_new(top, json_integer(sum->top[i]->id)) != 0)
            ok = 0;
    for (size_t i = 0; i < sum->nwaited; i++)
        if (json_array_append_new(waited, json_waited(&sum->waited[i])) != 0)
            ok = 0;
    json_put(o, "threads", json_integer((json_int_t)sum->nthreads), &ok);
    json_put(o, "states", states, &ok);
    json_put(o, "cpu_used", json_integer((json_int_t)sum->cpu_used), &ok);
    json_put(o, "top_groups", top, &ok);
    json_put(o, "unique_threads", json_integer((json_int_t)sum->nunique), &ok);
    json_put(o, "failed_stacks", json_integer((json_int_t)sum->nfailed), &ok);
    json_put(o, "most_waited", waited, &ok);
    json_put(o, "deadlocks", json_integer((json_int_t)sum->ndeadlocks), &ok);
    return ok ? o : (json_decref(o), NULL);
}
