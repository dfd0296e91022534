/* A saved dump's processes and threads back into the model: the inverse of json.c's writers
 * for everything the text dump shows (the Java view and --shared: json_read_java.c,
 * json_read_shared.c). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "json_read_parts.h"

static int policy_from_name(const char *s)
{
    static const char *const names[] = {"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH",
                                        "", "SCHED_IDLE", "SCHED_DEADLINE"};
    for (int i = 0; s && i < (int)(sizeof names / sizeof names[0]); i++)
        if (names[i][0] && !strcmp(s, names[i]))
            return i;
    return -1;
}

static tl_wait_kind wait_kind_from_name(const char *s)
{
    for (int k = TL_WAIT_MUTEX; s && k <= TL_WAIT_OTHER; k++)
        if (!strcmp(s, model_wait_kind_name((tl_wait_kind)k)))
            return (tl_wait_kind)k;
    return s ? TL_WAIT_OTHER : TL_WAIT_NONE;
}

static tl_wait_end wait_end_from_name(const char *s)
{
    for (int e = TL_END_TIMEOUT; s && e <= TL_END_ANOTHER_HOLDER; e++)
        if (!strcmp(s, model_wait_end_name((tl_wait_end)e)))
            return (tl_wait_end)e;
    return TL_END_HOLDER_ONLY;
}

static void read_syscall(const json_t *o, tl_syscall *sc)
{
    memset(sc, 0, sizeof *sc);
    if (!json_is_object(o))
        return;
    sc->valid = true;
    sc->running = jr_bool(o, "running");
    sc->nr = (long)jr_int(o, "nr", -1, INT_MAX, -1);
    const char *name = json_string_value(json_object_get(o, "name"));
    if (name)
        snprintf(sc->name, sizeof sc->name, "%s", name);
    const json_t *args = json_object_get(o, "args");
    for (size_t i = 0; i < 6 && i < json_array_size(args); i++) {
        const char *a = json_string_value(json_array_get(args, i));
        sc->args[i] = a && !strncmp(a, "0x", 2) ? strtoull(a + 2, NULL, 16) : 0;
    }
    sc->sp = jr_hex(o, "sp");
    sc->pc = jr_hex(o, "pc");
}

static bool read_wait(const json_t *o, tl_wait *w)
{
    memset(w, 0, sizeof *w);
    w->fd = -1;
    if (!json_is_object(o))
        return true;
    w->kind = wait_kind_from_name(json_string_value(json_object_get(o, "kind")));
    w->can_end_by = wait_end_from_name(json_string_value(json_object_get(o, "can_end_by")));
    w->address = jr_hex(o, "address");
    w->owner_tid = (int)jr_int(o, "owner_tid", 0, INT_MAX, 0);
    w->owner_pid = (int)jr_int(o, "owner_pid", 0, INT_MAX, 0);
    w->fd = (int)jr_int(o, "fd", -1, INT_MAX, -1);
    return jr_strdup(o, "syscall", &w->syscall_name) && jr_strdup(o, "object", &w->object) &&
           jr_strdup(o, "description", &w->description);
}

static bool read_frames(const json_t *a, tl_thread *t)
{
    size_t n = json_array_size(a);
    if (!n)
        return true;
    t->frames = calloc(n, sizeof *t->frames);
    if (!t->frames)
        return false;
    for (size_t i = 0; i < n; i++, t->nframes++) {
        const json_t *o = json_array_get(a, i);
        tl_frame *f = &t->frames[i];
        f->pc = jr_hex(o, "pc");
        f->offset = jr_u64(o, "offset");
        f->line = (int)jr_int(o, "line", 0, INT_MAX, 0);
        f->signal_frame = jr_bool(o, "signal_frame");
        f->guessed = jr_bool(o, "guessed");
        if (!jr_strdup(o, "function", &f->function) || !jr_strdup(o, "module", &f->module) ||
            !jr_strdup(o, "file", &f->file))
            return t->nframes++, false;
    }
    return true;
}

static bool read_kernel_frames(const json_t *a, tl_thread *t)
{
    size_t n = json_array_size(a);
    if (!n)
        return true;
    t->kernel_frames = calloc(n, sizeof *t->kernel_frames);
    if (!t->kernel_frames)
        return false;
    for (size_t i = 0; i < n; i++, t->nkernel_frames++) {
        const json_t *o = json_array_get(a, i);
        tl_kernel_frame *f = &t->kernel_frames[i];
        f->offset = jr_u64(o, "offset");
        f->size = jr_u64(o, "size");
        if (!jr_strdup(o, "function", &f->function) || !jr_strdup(o, "module", &f->module))
            return t->nkernel_frames++, false;
        if (!f->function && !(f->function = strdup("?")))   /* never NULL in the model */
            return t->nkernel_frames++, false;
    }
    return true;
}

static void read_skipped(const json_t *a, tl_thread *t)
{
    for (size_t i = 0; i < json_array_size(a) && t->nskipped < TL_SKIPPED_MAX; i++) {
        const json_t *o = json_array_get(a, i);
        tl_mem_range *r = &t->skipped[t->nskipped++];
        r->start = jr_hex(o, "start");
        r->end = jr_hex(o, "end");
        const char *why = json_string_value(json_object_get(o, "reason"));
        snprintf(r->reason, sizeof r->reason, "%s", why ? why : "");
    }
}

static void read_history(const json_t *o, tl_history *h)
{
    memset(h, 0, sizeof *h);
    const char *v = json_string_value(json_object_get(o, "verdict"));
    for (int k = TL_VERDICT_BLOCKED; v && k <= TL_VERDICT_ENDED; k++)
        if (!strcmp(v, model_verdict_name((tl_verdict)k)))
            h->verdict = (tl_verdict)k;
    h->samples = (unsigned)jr_int(o, "samples", 0, UINT_MAX, 0);
    h->same_stack = (unsigned)jr_int(o, "same_stack", 0, UINT_MAX, 0);
    h->cpu_ms_delta = jr_u64(o, "cpu_ms_delta");
    h->since_ms = jr_u64(o, "since_ms");
}

static bool read_thread(const json_t *o, tl_thread *t)
{
    t->tid = (int)jr_int(o, "tid", 0, INT_MAX, 0);
    t->state = jr_state(o, "state");
    t->cpu_user_ms = jr_u64(o, "cpu_user_ms");
    t->cpu_system_ms = jr_u64(o, "cpu_system_ms");
    t->voluntary_ctxt_switches = jr_u64(o, "voluntary_ctxt_switches");
    t->nonvoluntary_ctxt_switches = jr_u64(o, "nonvoluntary_ctxt_switches");
    t->minor_faults = jr_u64(o, "minor_faults");
    t->major_faults = jr_u64(o, "major_faults");
    t->last_cpu = (int)jr_int(o, "last_cpu", INT_MIN, INT_MAX, 0);
    t->priority = (int)jr_int(o, "priority", INT_MIN, INT_MAX, 0);
    t->nice = (int)jr_int(o, "nice", INT_MIN, INT_MAX, 0);
    t->policy = policy_from_name(json_string_value(json_object_get(o, "policy")));
    t->rt_priority = (int)jr_int(o, "rt_priority", INT_MIN, INT_MAX, 0);
    t->start_time_ms = jr_u64(o, "start_time_ms");
    t->in_deadlock = jr_bool(o, "in_deadlock");
    t->frames_truncated = jr_bool(o, "frames_truncated");
    read_syscall(json_object_get(o, "syscall"), &t->syscall);
    read_skipped(json_object_get(o, "skipped_ranges"), t);
    read_history(json_object_get(o, "history"), &t->history);
    return jr_strdup(o, "name", &t->name) && jr_strdup(o, "wchan", &t->wchan) &&
           read_wait(json_object_get(o, "waiting_on"), &t->wait) &&
           read_frames(json_object_get(o, "frames"), t) &&
           jr_strdup(o, "stack_error", &t->stack_error) && jr_strdup(o, "stack_warning", &t->stack_warning) &&
           read_kernel_frames(json_object_get(o, "kernel_frames"), t) && jr_private(o, t) &&
           jr_java_thread(o, t);
}

static bool read_threads(const json_t *a, tl_process *p)
{
    size_t n = json_array_size(a);
    if (!n)
        return true;
    p->threads = calloc(n, sizeof *p->threads);
    if (!p->threads)
        return false;
    for (size_t i = 0; i < n; i++) {
        p->threads[i].wait.fd = -1;
        p->nthreads++;
        if (!read_thread(json_array_get(a, i), &p->threads[i]))
            return false;
    }
    return true;
}

bool jr_process(const json_t *o, tl_process *p)
{
    memset(p, 0, sizeof *p);
    p->pid = (int)jr_int(o, "pid", 0, INT_MAX, 0);
    p->ppid = (int)jr_int(o, "ppid", 0, INT_MAX, 0);
    p->uid = (unsigned)jr_int(o, "uid", 0, UINT_MAX, 0);
    p->state = jr_state(o, "state");
    p->start_time_ms = jr_u64(o, "start_time_ms");
    p->rss_kib = jr_u64(o, "rss_kib");
    p->vsize_kib = jr_u64(o, "vsize_kib");
    p->kernel_thread = jr_bool(o, "kernel_thread");
    p->zombie = jr_bool(o, "zombie");
    p->tracer_pid = (int)jr_int(o, "tracer_pid", 0, INT_MAX, 0);
    p->ns_pid = (int)jr_int(o, "ns_pid", 0, INT_MAX, 0);
    if (!jr_strdup(o, "name", &p->name) || !jr_strdup(o, "cmdline", &p->cmdline) ||
        !jr_strdup(o, "user", &p->user) || !jr_strdup(o, "error", &p->error))
        return false;
    if (!jr_shared(o, p) || !jr_jvm(o, p) || !read_threads(json_object_get(o, "threads"), p))
        return false;
    p->nlwp = (int)p->nthreads;
    return true;
}
