#include <inttypes.h>

#include "text_parts.h"
#include "threadlens/escape.h"
#include "threadlens/java.h"

#include <string.h>

/* One frame: "\tat function+0xoff (module) file:line", "??" where nothing is known, " ?" after
 * a frame found by following frame pointers (a guess). */
static void text_frame(FILE *out, const tl_frame *f)
{
    fputs("\tat ", out);
    if (f->function) {
        escape_fputs(f->function, out);
        fprintf(out, "+0x%" PRIx64, f->offset);
    } else {
        fprintf(out, "0x%" PRIx64, f->pc);
    }
    if (f->module) {
        fputs(" (", out);
        escape_fputs(f->module, out);
        fputc(')', out);
    }
    if (f->file) {
        fputc(' ', out);
        escape_fputs(f->file, out);
        if (f->line > 0)
            fprintf(out, ":%d", f->line);
    }
    if (f->signal_frame)
        fputs(" <signal handler called>", out);
    if (f->guessed)
        fputs(" ?", out);
    fputc('\n', out);
}

/* Memory this thread's stack needed that was not read (reading it could hang: docs/stacks.md). */
static void text_skipped(FILE *out, const tl_thread *t)
{
    if (!t->nskipped)
        return;
    fputs("   memory not read (could hang):", out);
    for (size_t i = 0; i < t->nskipped; i++) {
        fprintf(out, "%s 0x%" PRIx64 "-0x%" PRIx64 " (", i ? "," : "", t->skipped[i].start, t->skipped[i].end);
        escape_fputs(t->skipped[i].reason, out);
        fputc(')', out);
    }
    fputc('\n', out);
}

/* "   kernel:" and "\tin function+0xoff/0xsize [module]" lines: where a thread in D sleeps. */
static void text_kernel_frames(FILE *out, const tl_thread *t)
{
    if (!t->nkernel_frames)
        return;
    fputs("   kernel:\n", out);
    for (size_t i = 0; i < t->nkernel_frames; i++) {
        const tl_kernel_frame *f = &t->kernel_frames[i];
        fputs("\tin ", out);
        escape_fputs(f->function, out);
        fprintf(out, "+0x%" PRIx64, f->offset);
        if (f->size)
            fprintf(out, "/0x%" PRIx64, f->size);
        if (f->module) {
            fputs(" [", out);
            escape_fputs(f->module, out);
            fputc(']', out);
        }
        fputc('\n', out);
    }
}

void text_frames(FILE *out, const tl_thread *t)
{
    if (t->stack_error) {
        fputs("   stack unavailable: ", out);
        escape_fputs(t->stack_error, out);
        fputc('\n', out);
        text_kernel_frames(out, t);
        return;
    }
    text_skipped(out, t);
    for (size_t i = 0; i < t->nframes; i++)
        text_frame(out, &t->frames[i]);
    if (t->stack_warning) {
        fputs("\t... walk ended: ", out);
        escape_fputs(t->stack_warning, out);
        fputc('\n', out);
    } else if (t->frames_truncated) {
        fputs("\t... (more frames not shown; see --max-frames)\n", out);
    }
}

void text_stats(FILE *out, const tl_snapshot *s)
{
    const tl_stall_stats *st = &s->stall;
    fprintf(out,
            "Stall: %zu thread(s) stopped; per thread median %.1f us, max %.1f us, total %.3f ms;"
            " stack pass %.3f ms\n",
            st->threads_stopped, (double)st->median_ns / 1e3, (double)st->max_ns / 1e3,
            (double)st->total_ns / 1e6, (double)st->capture_wall_ns / 1e6);
    fprintf(out, "Stall: %zu thread(s) taken without a stop (blocked), %zu with a stop; stop wait (INTERRUPT to "
            "the stop) median %.1f us, max %.1f us; held stopped median %.1f us, max %.1f us\n",
            st->threads_not_stopped, st->threads_stopped, (double)st->wait_median_ns / 1e3,
            (double)st->wait_max_ns / 1e3, (double)st->held_median_ns / 1e3, (double)st->held_max_ns / 1e3);
    fputs("Stall: taken with a stop, by reason:", out);
    for (int r = 0; r < TL_STOP_NREASONS; r++)
        fprintf(out, " %s %zu", model_stop_reason_name((tl_stop_reason)r), st->fallbacks[r]);
    fputc('\n', out);
    if (s->window.samples > 1)
        fprintf(out, "Samples: %u; %zu thread stop(s) saved: threads that had not run since the previous sample"
                " kept its stack\n", s->window.samples, s->window.stops_saved);
}

/* --mixed: a JVM's Java frames run as code in no file (the interpreter, compiled methods:
 * unnamed, or named from its perf map) between JavaCalls::call_helper, where the JVM enters
 * Java, and the native function Java called; that run is where the Java frames are shown. */
static bool java_run_frame(const tl_frame *f)
{
    return !f->function || (f->module && strcmp(f->module, "[perf-map]") == 0);
}

static bool call_helper(const tl_frame *f)
{
    return f->function && strncmp(f->function, "JavaCalls::call_helper", 22) == 0;
}

bool text_mixed_run(const tl_thread *t, size_t *lo, size_t *hi, size_t *helpers)
{
    if (!t->java || !t->java->nframes || t->stack_error)
        return false;
    size_t h = t->nframes;   /* the innermost call_helper, or the walk's end */
    *helpers = 0;
    for (size_t i = 0; i < t->nframes; i++)
        if (call_helper(&t->frames[i]) && (*helpers)++ == 0)
            h = i;
    size_t l = h;
    while (l > 0 && java_run_frame(&t->frames[l - 1]))
        l--;
    *lo = l;
    *hi = h;
    return l < h;
}

void text_frames_mixed(FILE *out, const tl_thread *t)
{
    size_t lo, hi, helpers;
    if (!text_mixed_run(t, &lo, &hi, &helpers)) {
        text_frames(out, t);
        return;
    }
    text_skipped(out, t);
    for (size_t i = 0; i < lo; i++)
        text_frame(out, &t->frames[i]);
    for (size_t i = 0; i < t->java->nframes; i++)
        text_java_frame(out, &t->java->frames[i], " [java]");
    if (t->java->frames_truncated)
        fputs("\t... (more Java frames not kept)\n", out);
    if (helpers > 1)
        fprintf(out, "\t(the Java frames of all %zu nested Java calls are shown at the innermost)\n", helpers);
    for (size_t i = hi; i < t->nframes; i++)
        text_frame(out, &t->frames[i]);
    if (t->stack_warning) {
        fputs("\t... walk ended: ", out);
        escape_fputs(t->stack_warning, out);
        fputc('\n', out);
    } else if (t->frames_truncated) {
        fputs("\t... (more frames not shown; see --max-frames)\n", out);
    }
}
