/* dump --count: "history" per thread, "window" and "chains" at the top (only when the dump was
 * made of several samples). */
#include "json_parts.h"

void json_put_history(json_t *obj, const tl_snapshot *s, const tl_thread *t, int *ok)
{
    if (!s->window.samples)
        return;
    const tl_history *h = &t->history;
    const char *v = model_verdict_name(h->verdict);
    json_t *o = json_object();
    json_put(o, "verdict", v ? json_string(v) : json_null(), ok);
    json_put(o, "samples", json_integer(h->samples), ok);
    json_put(o, "same_stack", json_integer(h->same_stack), ok);
    json_put(o, "cpu_ms_delta", json_integer((json_int_t)h->cpu_ms_delta), ok);
    json_put(o, "since_ms", json_integer((json_int_t)h->since_ms), ok);
    json_put(obj, "history", o, ok);
}

json_t *json_window(const tl_snapshot *s)
{
    const tl_window *w = &s->window;
    int ok = 1;
    json_t *o = json_object();
    json_put(o, "samples", json_integer(w->samples), &ok);
    json_put(o, "interval_ms", json_integer((json_int_t)w->interval_ms), &ok);
    json_put(o, "first_unix_ms", json_integer(w->first_unix_ms), &ok);
    json_put(o, "last_unix_ms", json_integer(w->last_unix_ms), &ok);
    json_put(o, "stops_saved", json_integer((json_int_t)w->stops_saved), &ok);
    return ok ? o : (json_decref(o), NULL);
}

json_t *json_chains(const tl_snapshot *s)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < s->nchains; i++) {
        json_t *c = json_array();
        for (size_t j = 0; c && j < s->chains[i].ntids; j++)
            if (json_array_append_new(c, json_integer(s->chains[i].tids[j])) != 0)
                return json_decref(c), json_decref(a), NULL;
        if (!c || json_array_append_new(a, c) != 0)
            return json_decref(a), NULL;
    }
    return a;
}
