/* A saved dump's Java view back into the model: per thread "java", per process "jvm" (the
 * inverse of json_java.c). null or absent reads as no Java view. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "json_read_parts.h"
#include "threadlens/java.h"

static tl_java_lock_kind lock_kind_from_name(const char *s)
{
    static const char *const names[] = {
        [TL_JLOCK_LOCKED] = "locked", [TL_JLOCK_WAITING_TO_LOCK] = "waiting_to_lock",
        [TL_JLOCK_WAITING_ON] = "waiting_on", [TL_JLOCK_PARKING] = "parking",
        [TL_JLOCK_RELOCK] = "waiting_to_relock", [TL_JLOCK_ELIMINATED] = "eliminated",
    };
    for (size_t k = 0; s && k < sizeof names / sizeof names[0]; k++)
        if (names[k] && !strcmp(s, names[k]))
            return (tl_java_lock_kind)k;
    return TL_JLOCK_OTHER;
}

static bool read_lock(const json_t *o, tl_java_lock *l)
{
    l->kind = lock_kind_from_name(json_string_value(json_object_get(o, "kind")));
    l->address = jr_hex(o, "address");
    l->owner_tid = (int)jr_int(o, "owner_tid", 0, INT_MAX, 0);
    return jr_strdup(o, "class", &l->class_name) && jr_strdup(o, "text", &l->text) &&
           jr_strdup(o, "owner_name", &l->owner_name);
}

static bool read_frame(const json_t *o, tl_java_frame *f)
{
    const json_t *locks = json_object_get(o, "locks");
    size_t n = json_array_size(locks);
    if (!jr_strdup(o, "method", &f->method) || !jr_strdup(o, "location", &f->location))
        return false;
    if (n && !(f->locks = calloc(n, sizeof *f->locks)))
        return false;
    for (; f->nlocks < n; f->nlocks++)
        if (!read_lock(json_array_get(locks, f->nlocks), &f->locks[f->nlocks]))
            return f->nlocks++, false;
    return true;
}

static bool read_strings(const json_t *a, char ***out, size_t *n)
{
    size_t len = json_array_size(a);
    if (!len)
        return true;
    if (!(*out = calloc(len, sizeof **out)))
        return false;
    for (size_t i = 0; i < len; i++) {
        const char *s = json_string_value(json_array_get(a, i));
        if (!s)
            continue;
        if (!((*out)[*n] = strdup(s)))
            return false;
        (*n)++;
    }
    return true;
}

static bool read_java_object(const json_t *o, tl_java_thread *jt)
{
    jt->has_id = json_is_integer(json_object_get(o, "id"));
    jt->id = jr_int(o, "id", INT64_MIN, INT64_MAX, 0);
    jt->daemon = jr_bool(o, "daemon");
    jt->prio = (int)jr_int(o, "priority", INT_MIN, INT_MAX, 0);
    jt->has_os_prio = json_is_integer(json_object_get(o, "os_priority"));
    jt->os_prio = (int)jr_int(o, "os_priority", INT_MIN, INT_MAX, 0);
    jt->nid = jr_u64(o, "nid");
    jt->internal = jr_bool(o, "jvm_internal");
    const json_t *cpu = json_object_get(o, "cpu_ms");
    jt->cpu_ms = json_is_number(cpu) && json_number_value(cpu) >= 0 ? json_number_value(cpu) : -1;
    jt->elapsed_s = -1;
    jt->frames_truncated = jr_bool(o, "frames_truncated");
    if (!jr_strdup(o, "name", &jt->name) || !jr_strdup(o, "state", &jt->state) ||
        !jr_strdup(o, "status", &jt->status) ||
        !read_strings(json_object_get(o, "owned_synchronizers"), &jt->owned_syncs, &jt->nowned_syncs))
        return false;
    const json_t *frames = json_object_get(o, "frames");
    size_t n = json_array_size(frames);
    if (n && !(jt->frames = calloc(n, sizeof *jt->frames)))
        return false;
    for (; jt->nframes < n; jt->nframes++)
        if (!read_frame(json_array_get(frames, jt->nframes), &jt->frames[jt->nframes]))
            return jt->nframes++, false;
    return true;
}

bool jr_java_thread(const json_t *thread, tl_thread *t)
{
    const json_t *o = json_object_get(thread, "java");
    if (!json_is_object(o))
        return true;
    if (!(t->java = calloc(1, sizeof *t->java)))
        return false;
    return read_java_object(o, t->java);
}

static int64_t kib(const json_t *o, const char *key)
{
    return jr_int(o, key, -1, INT64_MAX, -1);
}

static bool read_areas(const json_t *a, tl_jvm *j)
{
    size_t n = json_array_size(a);
    if (n && !(j->areas = calloc(n, sizeof *j->areas)))
        return false;
    for (; j->nareas < n; j->nareas++) {
        const json_t *o = json_array_get(a, j->nareas);
        tl_jvm_area *ar = &j->areas[j->nareas];
        ar->used_kib = kib(o, "used_kib");
        ar->committed_kib = kib(o, "committed_kib");
        ar->reserved_kib = kib(o, "reserved_kib");
        if (!jr_strdup(o, "name", &ar->name) || !jr_strdup(o, "detail", &ar->detail))
            return j->nareas++, false;
    }
    return true;
}

static bool read_deadlock(const json_t *a, tl_java_deadlock *d)
{
    size_t n = json_array_size(a);
    if (n && !(d->edges = calloc(n, sizeof *d->edges)))
        return false;
    for (; d->nedges < n; d->nedges++) {
        const json_t *o = json_array_get(a, d->nedges);
        tl_java_deadlock_edge *e = &d->edges[d->nedges];
        if (!jr_strdup(o, "waiter", &e->waiter) || !jr_strdup(o, "waiting_for", &e->what) ||
            !jr_strdup(o, "holder", &e->holder))
            return d->nedges++, false;
    }
    return true;
}

static bool read_lists(const json_t *o, tl_jvm *j)
{
    const json_t *un = json_object_get(o, "unjoined_threads"), *dl = json_object_get(o, "java_deadlocks");
    size_t nu = json_array_size(un), nd = json_array_size(dl);
    if (nu && !(j->unjoined = calloc(nu, sizeof *j->unjoined)))
        return false;
    for (; j->nunjoined < nu; j->nunjoined++)
        if (!read_java_object(json_array_get(un, j->nunjoined), &j->unjoined[j->nunjoined]))
            return j->nunjoined++, false;
    if (nd && !(j->deadlocks = calloc(nd, sizeof *j->deadlocks)))
        return false;
    for (; j->ndeadlocks < nd; j->ndeadlocks++)
        if (!read_deadlock(json_array_get(dl, j->ndeadlocks), &j->deadlocks[j->ndeadlocks]))
            return j->ndeadlocks++, false;
    return true;
}

bool jr_jvm(const json_t *proc, tl_process *p)
{
    const json_t *o = json_object_get(proc, "jvm");
    if (!json_is_object(o))
        return true;
    tl_jvm *j = calloc(1, sizeof *j);
    if (!(p->jvm = j))
        return false;
    j->nspid = (int)jr_int(o, "nspid", 0, INT_MAX, 0);
    j->njava_threads = (size_t)jr_u64(o, "java_threads");
    j->njoined = (size_t)jr_u64(o, "joined");
    return jr_strdup(o, "vm", &j->vm_banner) && jr_strdup(o, "error", &j->error) &&
           read_areas(json_object_get(o, "shared_areas"), j) && read_lists(o, j);
}
