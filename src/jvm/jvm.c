/* The JVM stage (see jvm.h). Per JVM: probe (read-only), start the attach listener when needed,
 * then four requests on the attach channel: threaddump, and the jcmd commands GC.heap_info,
 * VM.metaspace and Compiler.codecache for the shared areas. */
#include "jvm.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform/platform.h"
#include "threadlens/java.h"

static uint64_t jvm_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* "PID 12 (java): no Java view: REASON; showing the native view" as a note and on p->jvm.
 * partial: the JVM was reachable but its answers could not be read (too slow, too big, not
 * the protocol), so the dump says so in its exit code; a JVM we may not or must not attach
 * to is not partial (its native view is the whole answer). */
static void jvm_fail(tl_snapshot *snap, tl_process *p, const char *reason, bool partial)
{
    snap->partial = snap->partial || partial;
    snapshot_add_note(snap, "PID %d (%s): no Java view: %s; showing the native view", p->pid,
                      p->name ? p->name : "?", reason);
    free(p->jvm->error);
    p->jvm->error = strdup(reason);
}

/* One request, answered before deadline (monotonic ms); on success *body and *n point into
 * *reply (free it). Non-zero result codes, answers cut at JVM_MAX_REPLY_BYTES and transport
 * failures become err. */
static tl_status jvm_ask(const platform_jvm_target *t, const char *cmd, const char *arg0, uint64_t deadline,
                         char **reply, const char **body, size_t *n, tl_error *err)
{
    const char *args[3] = {arg0, NULL, NULL};
    size_t len;
    uint64_t now = jvm_now_ms();
    *reply = NULL;
    if (now >= deadline)
        return tl_error_set(err, TL_EIO, "the JVM %d did not answer within %d ms in all; '%s' not asked", t->pid,
                            JVM_DEADLINE_MS, cmd);
    tl_status st = platform_jvm_request(t, cmd, args, (int)(deadline - now), JVM_MAX_REPLY_BYTES, reply, &len, err);
    if (st == TL_PARTIAL) {
        free(*reply);
        *reply = NULL;
        return tl_error_set(err, TL_EIO, "the JVM %d's answer to '%s' is larger than %u MiB; not used", t->pid, cmd,
                            JVM_MAX_REPLY_BYTES >> 20);
    }
    if (st != TL_OK)
        return st;
    int code;
    if (!java_reply_split(*reply, len, &code, body, n)) {
        free(*reply);
        *reply = NULL;
        return tl_error_set(err, TL_EINVAL, "the JVM %d answered '%s' without a result code (not HotSpot's attach protocol 1?)",
                            t->pid, cmd);
    }
    if (code != 0) {
        int first = (int)strcspn(*body, "\n");
        tl_error_set(err, TL_EIO, "the JVM %d refused '%s%s%s' (code %d%s): %.*s", t->pid, cmd, arg0 ? " " : "",
                     arg0 ? arg0 : "", code, code == 101 ? ", protocol version not supported" : "",
                     first > 200 ? 200 : first, *body);
        free(*reply);
        *reply = NULL;
        return TL_EIO;
    }
    return st;
}

/* For a JVM in another PID namespace, the TIDs its dump uses (NULL otherwise or on OOM). */
static int *jvm_namespace_tids(const tl_process *p, const platform_jvm_target *t)
{
    if (t->nspid == p->pid || p->nthreads == 0)
        return NULL;
    int *tids = malloc(p->nthreads * sizeof *tids), *keys = malloc(p->nthreads * sizeof *keys);
    if (tids && keys) {
        for (size_t i = 0; i < p->nthreads; i++)
            tids[i] = p->threads[i].tid;
        platform_jvm_thread_nstids(p->pid, tids, p->nthreads, keys);
    }
    free(tids);
    if (!tids) {
        free(keys);
        return NULL;
    }
    return keys;
}

static bool has_tid(const tl_process *p, int tid)
{
    for (size_t i = 0; i < p->nthreads; i++)
        if (p->threads[i].tid == tid)
            return true;
    return false;
}

/* Appends the threads of fresh that p lacks (moved: fresh keeps empty slots). */
static void append_new_threads(tl_process *p, tl_process *fresh)
{
    size_t extra = 0;
    for (size_t i = 0; i < fresh->nthreads; i++)
        extra += !has_tid(p, fresh->threads[i].tid);
    tl_thread *grown = extra ? realloc(p->threads, (p->nthreads + extra) * sizeof *grown) : NULL;
    if (!grown)
        return;
    p->threads = grown;
    for (size_t i = 0; i < fresh->nthreads; i++) {
        if (has_tid(p, fresh->threads[i].tid))
            continue;
        p->threads[p->nthreads++] = fresh->threads[i];
        memset(&fresh->threads[i], 0, sizeof fresh->threads[i]);
    }
}

/* Our attach made the JVM start threads after /proc was read (the Attach Listener): when the
 * dump names a thread we lack, read the process's threads again and add the new ones. */
static void jvm_late_threads(platform_reader *r, tl_process *p, const platform_jvm_target *t, const java_dump *d)
{
    bool missing = false;
    for (size_t i = 0; i < d->nthreads && !missing && t->nspid == p->pid; i++)
        missing = d->threads[i].nid > 0 && !has_tid(p, (int)d->threads[i].nid);
    if (!missing && t->nspid == p->pid)
        return;
    tl_process fresh = {.pid = p->pid};
    tl_error e = {0};
    tl_status st = platform_read_threads(r, &fresh, &e);
    if (st == TL_OK || st == TL_PARTIAL)
        append_new_threads(p, &fresh);
    process_clear(&fresh);
}

static tl_status jvm_thread_dump(platform_reader *r, tl_process *p, const platform_jvm_target *t, bool started,
                                 uint64_t deadline, tl_error *err)
{
    char *reply = NULL;
    const char *body;
    size_t n;
    tl_status st = jvm_ask(t, "threaddump", NULL, deadline, &reply, &body, &n, err);
    if (st != TL_OK)
        return st;
    java_dump d;
    st = java_dump_parse(body, n, &d, err);
    free(reply);
    if (st != TL_OK)
        return st;
    p->jvm->vm_banner = d.vm_banner;
    p->jvm->deadlocks = d.deadlocks;
    p->jvm->ndeadlocks = d.ndeadlocks;
    d.vm_banner = NULL;
    d.deadlocks = NULL;
    d.ndeadlocks = 0;
    if (started)
        jvm_late_threads(r, p, t, &d);
    int *keys = jvm_namespace_tids(p, t);
    bool ok = (keys || t->nspid == p->pid) && jvm_merge_threads(p, &d, keys);
    free(keys);
    if (ok)
        jvm_find_monitor_owners(p);
    java_dump_clear(&d);
    return ok ? TL_OK : tl_error_set(err, TL_ENOMEM, "out of memory merging the Java threads of %d", p->pid);
}

typedef int (*area_parser)(const char *text, size_t len, tl_jvm_area **areas, size_t *n);

/* The shared areas; a command this JVM does not know is skipped (older or other JVMs). */
static void jvm_areas(tl_process *p, const platform_jvm_target *t, uint64_t deadline)
{
    static const struct { const char *cmd; area_parser parse; } asks[] = {
        {"GC.heap_info", jvm_areas_parse_heap_info},
        {"VM.metaspace basic scale=KB", jvm_areas_parse_metaspace},
        {"Compiler.codecache", jvm_areas_parse_codecache},
    };
    for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++) {
        char *reply = NULL;
        const char *body;
        size_t n;
        tl_error e = {0};
        tl_status st = jvm_ask(t, "jcmd", asks[i].cmd, deadline, &reply, &body, &n, &e);
        if (st == TL_OK)
            asks[i].parse(body, n, &p->jvm->areas, &p->jvm->nareas);
        free(reply);
    }
}

static const char *jvm_precheck(const tl_process *p, const platform_jvm_target *t)
{
    if (p->state == 'T' || p->state == 't')
        return "the JVM is stopped (state T), it cannot answer; not waiting for it";
    if (t->openj9)
        return "an Eclipse OpenJ9 JVM: its attach mechanism is not HotSpot's (not supported)";
    if (t->attach_enabled == 0)
        return "the JVM's attach mechanism is disabled (-XX:+DisableAttachMechanism)";
    return NULL;
}

static void jvm_process(tl_snapshot *snap, platform_reader *r, tl_process *p)
{
    platform_jvm_target t;
    tl_error e = {0};
    if (p->kernel_thread || p->zombie || platform_jvm_probe(p->pid, &t, &e) != TL_OK || !t.is_jvm)
        return;
    if (!(p->jvm = calloc(1, sizeof *p->jvm)))
        return;
    p->jvm->nspid = t.nspid;
    const char *why = jvm_precheck(p, &t);
    bool started = false;
    if (!why && platform_jvm_start_listener(&t, JVM_ATTACH_TIMEOUT_MS, &started, &e) != TL_OK)
        why = e.msg;
    if (why) {
        jvm_fail(snap, p, why, false);
        return;
    }
    uint64_t deadline = jvm_now_ms() + JVM_DEADLINE_MS;   /* one for the whole conversation */
    tl_status st = jvm_thread_dump(r, p, &t, started, deadline, &e);
    if (st != TL_OK) {
        jvm_fail(snap, p, e.msg, st != TL_ENOMEM && st != TL_EPERM);
        return;
    }
    jvm_areas(p, &t, deadline);
    if (p->jvm->nunjoined > 0)
        snapshot_add_note(snap, "PID %d: %zu Java thread%s had no native thread in this snapshot (started after "
                          "the native list was read)", p->pid, p->jvm->nunjoined, p->jvm->nunjoined == 1 ? "" : "s");
}

tl_status jvm_observe(tl_snapshot *snap, platform_reader *reader, tl_error *err)
{
    (void)err;
    for (size_t i = 0; i < snap->nprocs; i++)
        jvm_process(snap, reader, &snap->procs[i]);
    return TL_OK;
}
