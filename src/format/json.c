/* The JSON dump (schema in the README and the man page). Built with jansson so escaping and
 * validity are the library's job; target-written strings are made valid UTF-8 first, and DEL
 * and C1 controls, which jansson writes raw, are escaped on the way out. */
#include <stdlib.h>
#include <string.h>

#include "json_parts.h"
#include "threadlens/escape.h"
#include "threadlens/format.h"

json_t *json_str(const char *s)
{
    if (!s)
        return json_null();
    char *clean = escape_utf8_dup(s);
    json_t *j = clean ? json_string(clean) : NULL;
    free(clean);
    return j;
}

json_t *json_hex(uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)v);
    return json_string(buf);
}

void json_put(json_t *obj, const char *key, json_t *value, int *ok)
{
    if (!value || json_object_set_new(obj, key, value) != 0)
        *ok = 0;
}

static json_t *json_syscall(const tl_syscall *sc)
{
    if (!sc->valid)
        return json_null();
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "running", json_boolean(sc->running), &ok);
    json_put(o, "nr", json_integer(sc->nr), &ok);
    json_put(o, "name", sc->name[0] ? json_string(sc->name) : json_null(), &ok);
    json_t *args = json_array();
    for (int i = 0; args && i < 6 && !sc->running && sc->nr >= 0; i++)
        if (json_array_append_new(args, json_hex(sc->args[i])) != 0)
            ok = 0;
    json_put(o, "args", args, &ok);
    json_put(o, "sp", json_hex(sc->sp), &ok);
    json_put(o, "pc", json_hex(sc->pc), &ok);
    return ok ? o : (json_decref(o), NULL);
}

static json_t *json_state(char state)
{
    char s[2] = {state ? state : '?', '\0'};
    return json_string(s);
}

/* Memory the stack needed that was not read, as reading it could hang (docs/stacks.md). */
static json_t *json_skipped(const tl_thread *t)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < t->nskipped; i++) {
        int ok = 1;
        json_t *o = json_object();
        if (!o)
            return json_decref(a), NULL;
        json_put(o, "start", json_hex(t->skipped[i].start), &ok);
        json_put(o, "end", json_hex(t->skipped[i].end), &ok);
        json_put(o, "reason", json_str(t->skipped[i].reason), &ok);
        if (!ok || json_array_append_new(a, o) != 0)
            return json_decref(a), NULL;
    }
    return a;
}

static json_t *json_thread(const tl_snapshot *s, const tl_thread *t, int group)
{
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "tid", json_integer(t->tid), &ok);
    json_put(o, "name", json_str(t->name), &ok);
    json_put(o, "state", json_state(t->state), &ok);
    json_put(o, "state_word", json_string(model_state_word(t->state)), &ok);
    json_put(o, "cpu_user_ms", json_integer((json_int_t)t->cpu_user_ms), &ok);
    json_put(o, "cpu_system_ms", json_integer((json_int_t)t->cpu_system_ms), &ok);
    json_put(o, "voluntary_ctxt_switches", json_integer((json_int_t)t->voluntary_ctxt_switches), &ok);
    json_put(o, "nonvoluntary_ctxt_switches", json_integer((json_int_t)t->nonvoluntary_ctxt_switches), &ok);
    json_put(o, "minor_faults", json_integer((json_int_t)t->minor_faults), &ok);
    json_put(o, "major_faults", json_integer((json_int_t)t->major_faults), &ok);
    json_put(o, "last_cpu", json_integer(t->last_cpu), &ok);
    json_put(o, "priority", json_integer(t->priority), &ok);
    json_put(o, "nice", json_integer(t->nice), &ok);
    json_put(o, "policy", json_string(model_policy_name(t->policy)), &ok);
    json_put(o, "rt_priority", json_integer(t->rt_priority), &ok);
    json_put(o, "start_time_ms", json_integer((json_int_t)t->start_time_ms), &ok);
    json_put(o, "wchan", json_str(t->wchan), &ok);
    json_put(o, "syscall", json_syscall(&t->syscall), &ok);
    json_put(o, "waiting_on", json_wait(t), &ok);
    json_put(o, "in_deadlock", json_boolean(t->in_deadlock), &ok);
    json_put(o, "frames", json_frames(t), &ok);
    json_put(o, "java", json_java_thread(t), &ok);
    json_put(o, "frames_truncated", json_boolean(t->frames_truncated), &ok);
    json_put(o, "stack_error", json_str(t->stack_error), &ok);
    json_put(o, "stack_group", group ? json_integer(group) : json_null(), &ok);
    json_put(o, "stack_warning", json_str(t->stack_warning), &ok);
    json_put(o, "skipped_ranges", json_skipped(t), &ok);
    json_put(o, "kernel_frames", json_kernel_frames(t), &ok);
    json_put_private(o, t, &ok);
    json_put_history(o, s, t, &ok);
    return ok ? o : (json_decref(o), NULL);
}

static json_t *json_process(const tl_process *p, const tl_process_groups *pg)
{
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "pid", json_integer(p->pid), &ok);
    json_put(o, "ppid", json_integer(p->ppid), &ok);
    json_put(o, "name", json_str(p->name), &ok);
    json_put(o, "cmdline", json_str(p->cmdline), &ok);
    json_put(o, "user", json_str(p->user), &ok);
    json_put(o, "uid", json_integer(p->uid), &ok);
    json_put(o, "state", json_state(p->state), &ok);
    json_put(o, "thread_count", json_integer((json_int_t)p->nthreads), &ok);
    json_put(o, "start_time_ms", json_integer((json_int_t)p->start_time_ms), &ok);
    json_put(o, "rss_kib", json_integer((json_int_t)p->rss_kib), &ok);
    json_put(o, "vsize_kib", json_integer((json_int_t)p->vsize_kib), &ok);
    json_put(o, "kernel_thread", json_boolean(p->kernel_thread), &ok);
    json_put(o, "zombie", json_boolean(p->zombie), &ok);
    json_put(o, "tracer_pid", json_integer(p->tracer_pid), &ok);
    json_put(o, "error", json_str(p->error), &ok);
    json_put(o, "ns_pid", p->ns_pid > 0 ? json_integer(p->ns_pid) : json_null(), &ok);
    json_put(o, "jvm", json_jvm(p), &ok);
    json_put_shared(o, p, &ok);
    json_put_groups(o, p, pg, &ok);
    return ok ? o : (json_decref(o), NULL);
}

static json_t *json_notes(const tl_snapshot *s)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < s->nnotes; i++) {
        if (json_array_append_new(a, json_str(s->notes[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* The snapshot's keys but processes, deadlocks and stall, which are streamed after them. */
static json_t *json_head(const tl_snapshot *s)
{
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "threadlens_version", json_string(threadlens_version()), &ok);
    json_put(o, "format_version", json_integer(TL_FORMAT_VERSION), &ok);
    json_put(o, "taken_unix_ms", json_integer(s->taken_unix_ms), &ok);
    json_put(o, "uptime_ms", json_integer((json_int_t)s->uptime_ms), &ok);
    json_put(o, "stacks_taken", json_boolean(s->stacks_taken), &ok);
    json_put(o, "partial", json_boolean(s->partial), &ok);
    json_put(o, "notes", json_notes(s), &ok);
    return ok ? o : (json_decref(o), NULL);
}

#define JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)

/* Writes value (consumed); with open_end, without its closing brace so that keys can follow.
 * Returns false when out of memory. */
static bool write_value(FILE *out, json_t *value, bool open_end)
{
    char *text = value ? json_dumps(value, JSON_FLAGS) : NULL;
    json_decref(value);
    if (!text)
        return false;
    size_t len = strlen(text);
    escape_json_controls_write(text, open_end && len > 0 ? len - 1 : len, out);
    free(text);
    return true;
}

/* One process: its keys, then its threads one per line. Each thread is built, written and
 * freed before the next, so a 1000-thread dump never holds 1000 threads as JSON at once. */
static bool write_process(FILE *out, const tl_snapshot *s, const tl_process *p, const tl_process_groups *pg)
{
    if (!write_value(out, json_process(p, pg), true))
        return false;
    fputs(",\"threads\":[", out);
    for (size_t i = 0; i < p->nthreads; i++) {
        fputs(i ? ",\n  " : "\n  ", out);
        if (!write_value(out, json_thread(s, &p->threads[i], pg->group_of[i]), false))
            return false;
    }
    fputs("]}", out);
    return true;
}

/* The dump is streamed: a valid JSON document, one thread per line, written piece by piece. */
static bool write_snapshot(FILE *out, const tl_snapshot *s, const tl_format_options *fo, const tl_groups *g,
                           const tl_summary *sum)
{
    if (!write_value(out, json_head(s), true))
        return false;
    fputs(",\n\"processes\":[", out);
    for (size_t i = 0; i < s->nprocs; i++) {
        fputs(i ? ",\n " : "\n ", out);
        if (!write_process(out, s, &s->procs[i], &g->procs[i]))
            return false;
    }
    fputs("],\n\"deadlocks\":", out);
    if (!write_value(out, json_deadlocks(s), false))
        return false;
    if (s->window.samples) {
        fputs(",\n\"window\":", out);
        if (!write_value(out, json_window(s), false))
            return false;
        fputs(",\n\"chains\":", out);
        if (!write_value(out, json_chains(s), false))
            return false;
    }
    if (fo && fo->stats) {
        fputs(",\n\"stall\":", out);
        if (!write_value(out, json_stall(s), false))
            return false;
    }
    if (sum) {
        fputs(",\n\"summary\":", out);
        if (!write_value(out, json_summary(sum), false))
            return false;
    }
    fputs("}\n", out);
    return true;
}

tl_status format_json(FILE *out, const tl_snapshot *s, const tl_format_options *o, tl_error *err)
{
    tl_groups *g = NULL;
    tl_summary sum;
    bool summary = !(o && o->no_summary);
    if (groups_build(s, &g, err) != TL_OK)
        return err ? err->code : TL_ENOMEM;
    if (summary && summary_build(s, g, &sum, err) != TL_OK) {
        groups_free(g);
        return err ? err->code : TL_ENOMEM;
    }
    bool written = write_snapshot(out, s, o, g, summary ? &sum : NULL);
    groups_free(g);
    if (!written)
        return tl_error_set(err, TL_ENOMEM, "out of memory building the JSON dump");
    if (fflush(out) != 0 || ferror(out))
        return tl_error_set(err, TL_EIO, "could not write the JSON dump (disk full or closed pipe?)");
    return TL_OK;
}
