/* The Java part of the text dump: per JVM process its banner, its shared areas (heap,
 * metaspace, code cache) and what the JVM reported; per thread its Java name, id, state and
 * Java frames with their lock lines, printed before the native stack (both private). */
#include <inttypes.h>

#include "text_parts.h"
#include "threadlens/escape.h"
#include "threadlens/java.h"

static void kib(FILE *out, const char *label, int64_t v)
{
    if (v >= 0)
        fprintf(out, " %s=%" PRId64 "KiB", label, v);
}

static void text_areas(FILE *out, const tl_jvm *j)
{
    if (j->nareas == 0)
        return;
    fputs("  JVM shared areas (one per process, used by every thread):\n", out);
    for (size_t i = 0; i < j->nareas; i++) {
        const tl_jvm_area *a = &j->areas[i];
        fputs("    ", out);
        escape_fputs(a->name, out);
        fputc(':', out);
        kib(out, "used", a->used_kib);
        kib(out, "committed", a->committed_kib);
        kib(out, "reserved", a->reserved_kib);
        if (a->detail) {
            fputs(" (", out);
            escape_fputs(a->detail, out);
            fputc(')', out);
        }
        fputc('\n', out);
    }
}

static void text_java_header(FILE *out, const tl_java_thread *jt)
{
    fputc('"', out);
    escape_fputs(jt->name, out);
    fputc('"', out);
    if (jt->has_id)
        fprintf(out, " #%" PRId64, jt->id);
    fprintf(out, "%s", jt->daemon ? " daemon" : "");
    if (jt->prio)
        fprintf(out, " prio=%d", jt->prio);
    if (jt->has_os_prio)
        fprintf(out, " os_prio=%d", jt->os_prio);
    fprintf(out, " nid=%" PRIu64, jt->nid);
    if (jt->state) {
        fputs(" state=", out);
        escape_fputs(jt->state, out);
    } else if (jt->status && jt->status[0]) {
        fputs(" status=", out);
        escape_fputs(jt->status, out);
    }
    if (jt->internal)
        fputs(" [JVM-internal]", out);
}

static void text_unjoined(FILE *out, const tl_jvm *j)
{
    if (j->nunjoined == 0)
        return;
    fputs("  Java threads with no native thread in this snapshot (started after /proc was read):\n", out);
    for (size_t i = 0; i < j->nunjoined; i++) {
        fputs("    ", out);
        text_java_header(out, &j->unjoined[i]);
        fputc('\n', out);
    }
}

static void text_jvm_deadlocks(FILE *out, const tl_jvm *j)
{
    for (size_t i = 0; i < j->ndeadlocks; i++) {
        fputs("  Java-level deadlock reported by the JVM:\n", out);
        for (size_t k = 0; k < j->deadlocks[i].nedges; k++) {
            const tl_java_deadlock_edge *e = &j->deadlocks[i].edges[k];
            fputs("    \"", out);
            escape_fputs(e->waiter, out);
            fputs("\" ", out);
            escape_fputs(e->what, out);
            fputs(", held by \"", out);
            escape_fputs(e->holder, out);
            fputs("\"\n", out);
        }
    }
}

void text_java_process(FILE *out, const tl_process *p)
{
    const tl_jvm *j = p->jvm;
    if (!j)
        return;
    fputs("  JVM: ", out);
    escape_fputs(j->vm_banner ? j->vm_banner : "HotSpot (libjvm.so mapped)", out);
    fprintf(out, ", pid %d in its namespace", j->nspid);
    if (!j->error)
        fprintf(out, ", %zu Java threads, %zu joined to native threads by nid = TID%s", j->njava_threads, j->njoined,
                j->nspid != p->pid ? " (its namespace's TIDs)" : "");
    fputc('\n', out);
    if (j->error) {
        fputs("  JVM: no Java view: ", out);
        escape_fputs(j->error, out);
        fputc('\n', out);
    }
    text_areas(out, j);
    text_unjoined(out, j);
    text_jvm_deadlocks(out, j);
}

/* "\tat method(location)" and its lock lines. */
void text_java_frame(FILE *out, const tl_java_frame *f, const char *suffix)
{
    fputs("\tat ", out);
    escape_fputs(f->method, out);
    fputc('(', out);
    escape_fputs(f->location, out);
    fputc(')', out);
    fputs(suffix, out);
    fputc('\n', out);
    for (size_t k = 0; k < f->nlocks; k++) {
        fputs("\t- ", out);
        escape_fputs(f->locks[k].text, out);
        if (f->locks[k].owner_tid) {
            fputs(" held by \"", out);
            escape_fputs(f->locks[k].owner_name, out);
            fprintf(out, "\" tid %d", f->locks[k].owner_tid);
        }
        fputc('\n', out);
    }
}

void text_java_thread_part(FILE *out, const tl_thread *t, bool frames)
{
    const tl_java_thread *jt = t->java;
    if (!jt)
        return;
    fputs("   java: ", out);
    text_java_header(out, jt);
    fputc('\n', out);
    if (!frames) {
        fputs("   mixed frames (native, with the Java frames where the JVM runs them):\n", out);
        return;
    }
    if (jt->nframes)
        fputs("   Java frames (private):\n", out);
    for (size_t i = 0; i < jt->nframes; i++)
        text_java_frame(out, &jt->frames[i], "");
    if (jt->frames_truncated)
        fputs("\t... (more Java frames not kept)\n", out);
    if (t->nframes)
        fputs("   native frames (private):\n", out);
}

void text_java_thread(FILE *out, const tl_thread *t)
{
    text_java_thread_part(out, t, true);
}
