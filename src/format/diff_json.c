/* threadlens diff --json: {"elapsed_ms", "changes": [{"change", ...}], "cpu": {...}}. */
#include <stdlib.h>
#include <string.h>

#include "json_parts.h"
#include "threadlens/escape.h"
#include "threadlens/format.h"
#include "threadlens/snapdiff.h"

static const char *const change_names[] = {
    [TL_CHANGE_PROCESS_NEW] = "process_new", [TL_CHANGE_PROCESS_ENDED] = "process_ended",
    [TL_CHANGE_THREAD_NEW] = "thread_new", [TL_CHANGE_THREAD_ENDED] = "thread_ended",
    [TL_CHANGE_STATE] = "state", [TL_CHANGE_STACK] = "stack", [TL_CHANGE_GROUP] = "group",
    [TL_CHANGE_DEADLOCK_NEW] = "deadlock_new", [TL_CHANGE_DEADLOCK_CLEARED] = "deadlock_cleared",
};

static json_t *state_str(char c)
{
    char s[2] = {c ? c : '?', '\0'};
    return json_string(s);
}

static json_t *change_json(const tl_change *c)
{
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "change", json_string(change_names[c->kind]), &ok);
    json_put(o, "pid", c->pid ? json_integer(c->pid) : json_null(), &ok);
    json_put(o, "tid", c->tid ? json_integer(c->tid) : json_null(), &ok);
    json_put(o, "name", json_str(c->name), &ok);
    if (c->kind == TL_CHANGE_STATE) {
        json_put(o, "old_state", state_str(c->old_state), &ok);
        json_put(o, "new_state", state_str(c->new_state), &ok);
    } else if (c->kind == TL_CHANGE_STACK) {
        json_put(o, "old_top", json_str(c->old_top), &ok);
        json_put(o, "new_top", json_str(c->new_top), &ok);
        json_put(o, "old_wait", json_str(c->old_wait), &ok);
        json_put(o, "new_wait", json_str(c->new_wait), &ok);
    } else if (c->kind == TL_CHANGE_GROUP) {
        json_put(o, "top", json_str(c->new_top), &ok);
        json_put(o, "old_count", json_integer((json_int_t)c->old_count), &ok);
        json_put(o, "new_count", json_integer((json_int_t)c->new_count), &ok);
    } else if (c->deadlock) {
        json_t *t = json_array();
        for (size_t i = 0; t && i < c->deadlock->ntids; i++)
            json_array_append_new(t, json_integer(c->deadlock->tids[i]));
        json_put(o, "threads", t, &ok);
    }
    return ok ? o : (json_decref(o), NULL);
}

static json_t *cpu_list(const tl_cpu_use *u, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        int ok = 1;
        json_t *o = json_object();
        json_put(o, "pid", json_integer(u[i].pid), &ok);
        if (u[i].tid)
            json_put(o, "tid", json_integer(u[i].tid), &ok);
        json_put(o, "name", json_str(u[i].name), &ok);
        json_put(o, "cpu_ms", json_integer((json_int_t)u[i].ms), &ok);
        if (!o || !ok || json_array_append_new(a, o) != 0)
            return json_decref(o), json_decref(a), NULL;
    }
    return a;
}

tl_status format_diff_json(FILE *out, const tl_snapdiff *d, tl_error *err)
{
    int ok = 1;
    json_t *o = json_object(), *changes = json_array();
    for (size_t i = 0; changes && i < d->nchanges; i++)
        if (json_array_append_new(changes, change_json(&d->changes[i])) != 0)
            ok = 0;
    if (!o)
        return json_decref(changes), tl_error_set(err, TL_ENOMEM, "out of memory writing the diff");
    json_put(o, "elapsed_ms", json_integer(d->elapsed_ms), &ok);
    json_put(o, "changes", changes, &ok);
    json_put(o, "cpu_by_process", cpu_list(d->procs, d->nprocs), &ok);
    json_put(o, "cpu_top_threads", cpu_list(d->top_threads, d->ntop_threads), &ok);
    char *text = ok ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (!text)
        return tl_error_set(err, TL_ENOMEM, "out of memory writing the diff");
    escape_json_controls_write(text, strlen(text), out);
    free(text);
    fputc('\n', out);
    if (fflush(out) != 0 || ferror(out))
        return tl_error_set(err, TL_EIO, "could not write the diff (disk full or closed pipe?)");
    return TL_OK;
}
