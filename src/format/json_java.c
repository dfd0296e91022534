/* The Java part of the JSON dump: "java" on each thread (null when the JVM did not describe
 * it) and "jvm" on each process (null when it is not a HotSpot JVM). */
#include "json_parts.h"
#include "threadlens/java.h"

static const char *lock_kind_name(tl_java_lock_kind k)
{
    static const char *const names[] = {
        [TL_JLOCK_OTHER] = "other", [TL_JLOCK_LOCKED] = "locked",
        [TL_JLOCK_WAITING_TO_LOCK] = "waiting_to_lock", [TL_JLOCK_WAITING_ON] = "waiting_on",
        [TL_JLOCK_PARKING] = "parking", [TL_JLOCK_RELOCK] = "waiting_to_relock",
        [TL_JLOCK_ELIMINATED] = "eliminated",
    };
    return (unsigned)k < sizeof names / sizeof names[0] && names[k] ? names[k] : "other";
}

static json_t *json_lock(const tl_java_lock *l)
{
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "kind", json_string(lock_kind_name(l->kind)), &ok);
    json_put(o, "address", l->address ? json_hex(l->address) : json_null(), &ok);
    json_put(o, "class", json_str(l->class_name), &ok);
    json_put(o, "text", json_str(l->text), &ok);
    json_put(o, "owner_tid", l->owner_tid ? json_integer(l->owner_tid) : json_null(), &ok);
    json_put(o, "owner_name", json_str(l->owner_name), &ok);
    return ok ? o : (json_decref(o), NULL);
}

static json_t *json_java_frame(const tl_java_frame *f)
{
    int ok = 1;
    json_t *o = json_object();
    json_t *locks = json_array();
    if (!o || !locks) {
        json_decref(o);
        json_decref(locks);
        return NULL;
    }
    for (size_t i = 0; i < f->nlocks; i++)
        if (json_array_append_new(locks, json_lock(&f->locks[i])) != 0)
            ok = 0;
    json_put(o, "method", json_str(f->method), &ok);
    json_put(o, "location", json_str(f->location), &ok);
    json_put(o, "locks", locks, &ok);
    return ok ? o : (json_decref(o), NULL);
}

static json_t *json_strings(char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        if (json_array_append_new(a, json_str(v[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *json_java_frames(const tl_java_thread *jt)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < jt->nframes; i++) {
        if (json_array_append_new(a, json_java_frame(&jt->frames[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *json_java_object(const tl_java_thread *jt)
{
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "name", json_str(jt->name), &ok);
    json_put(o, "id", jt->has_id ? json_integer(jt->id) : json_null(), &ok);
    json_put(o, "daemon", json_boolean(jt->daemon), &ok);
    json_put(o, "priority", jt->prio ? json_integer(jt->prio) : json_null(), &ok);
    json_put(o, "os_priority", jt->has_os_prio ? json_integer(jt->os_prio) : json_null(), &ok);
    json_put(o, "nid", json_integer((json_int_t)jt->nid), &ok);
    json_put(o, "state", json_str(jt->state), &ok);
    json_put(o, "status", json_str(jt->status), &ok);
    json_put(o, "jvm_internal", json_boolean(jt->internal), &ok);
    json_put(o, "cpu_ms", jt->cpu_ms >= 0 ? json_real(jt->cpu_ms) : json_null(), &ok);
    json_put(o, "frames", json_java_frames(jt), &ok);
    json_put(o, "frames_truncated", json_boolean(jt->frames_truncated), &ok);
    json_put(o, "owned_synchronizers", json_strings(jt->owned_syncs, jt->nowned_syncs), &ok);
    return ok ? o : (json_decref(o), NULL);
}

json_t *json_java_thread(const tl_thread *t)
{
    return t->java ? json_java_object(t->java) : json_null();
}

static json_t *json_size(int64_t kib)
{
    return kib >= 0 ? json_integer(kib) : json_null();
}

static json_t *json_areas(const tl_jvm *j)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < j->nareas; i++) {
        const tl_jvm_area *ar = &j->areas[i];
        int ok = 1;
        json_t *o = json_object();
        json_put(o, "name", json_str(ar->name), &ok);
        json_put(o, "used_kib", json_size(ar->used_kib), &ok);
        json_put(o, "committed_kib", json_size(ar->committed_kib), &ok);
        json_put(o, "reserved_kib", json_size(ar->reserved_kib), &ok);
        json_put(o, "detail", json_str(ar->detail), &ok);
        if (!ok || json_array_append_new(a, o) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *json_jvm_deadlock(const tl_java_deadlock *d)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < d->nedges; i++) {
        int ok = 1;
        json_t *o = json_object();
        json_put(o, "waiter", json_str(d->edges[i].waiter), &ok);
        json_put(o, "waiting_for", json_str(d->edges[i].what), &ok);
        json_put(o, "holder", json_str(d->edges[i].holder), &ok);
        if (!ok || json_array_append_new(a, o) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *json_array_of(const tl_jvm *j, int what)
{
    json_t *a = json_array();
    size_t n = what == 0 ? j->nunjoined : j->ndeadlocks;
    for (size_t i = 0; a && i < n; i++) {
        json_t *item = what == 0 ? json_java_object(&j->unjoined[i]) : json_jvm_deadlock(&j->deadlocks[i]);
        if (json_array_append_new(a, item) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

json_t *json_jvm(const tl_process *p)
{
    const tl_jvm *j = p->jvm;
    if (!j)
        return json_null();
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "nspid", json_integer(j->nspid), &ok);
    json_put(o, "vm", json_str(j->vm_banner), &ok);
    json_put(o, "error", json_str(j->error), &ok);
    json_put(o, "java_threads", json_integer((json_int_t)j->njava_threads), &ok);
    json_put(o, "joined", json_integer((json_int_t)j->njoined), &ok);
    json_put(o, "shared_areas", json_areas(j), &ok);
    json_put(o, "unjoined_threads", json_array_of(j, 0), &ok);
    json_put(o, "java_deadlocks", json_array_of(j, 1), &ok);
    return ok ? o : (json_decref(o), NULL);
}
