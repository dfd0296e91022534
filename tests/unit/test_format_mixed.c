/* dump --mixed (format_text with .mixed): a JVM thread's Java frames take the place of the run
 * of unnamed or [perf-map] frames between JavaCalls::call_helper and the native callee; with no
 * such run they print as a block of their own, as without --mixed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "threadlens/format.h"
#include "threadlens/java.h"
#include "threadlens/model.h"

#define HELPER "JavaCalls::call_helper(JavaValue*, methodHandle const&, JavaCallArguments*, JavaThread*)"

/* frames: "function@module" each ("-" for no function, "[perf-map]" as a module). */
static void set_frames(tl_thread *t, const char *const *spec, size_t n)
{
    t->frames = calloc(n, sizeof *t->frames);
    assert_non_null(t->frames);
    t->nframes = n;
    for (size_t i = 0; i < n; i++) {
        const char *at = strchr(spec[i], '@');
        t->frames[i].pc = 0x1000 + i;
        if (spec[i][0] != '-')
            t->frames[i].function = strndup(spec[i], (size_t)(at - spec[i]));
        t->frames[i].module = strdup(at + 1);
    }
}

static void set_java(tl_thread *t, const char *const *methods, size_t n)
{
    t->java = calloc(1, sizeof *t->java);
    assert_non_null(t->java);
    t->java->name = strdup(t->name);
    t->java->nid = (uint64_t)t->tid;
    t->java->frames = calloc(n, sizeof *t->java->frames);
    t->java->nframes = n;
    for (size_t i = 0; i < n; i++) {
        t->java->frames[i].method = strdup(methods[i]);
        t->java->frames[i].location = strdup("Main.java:7");
    }
}

static tl_snapshot *snapshot_of_one(const char *const *frames, size_t nf, const char *const *java, size_t nj)
{
    tl_snapshot *s = calloc(1, sizeof *s);
    s->procs = calloc(1, sizeof *s->procs);
    s->nprocs = 1;
    tl_process *p = &s->procs[0];
    p->pid = 10;
    p->name = strdup("java");
    p->state = 'S';
    p->threads = calloc(1, sizeof *p->threads);
    p->nthreads = 1;
    tl_thread *t = &p->threads[0];
    t->tid = 11;
    t->name = strdup("worker");
    t->state = 'S';
    t->wait.fd = -1;
    set_frames(t, frames, nf);
    set_java(t, java, nj);
    return s;
}

/* The thread's "\tat " lines, one string. */
static char *frame_lines(const tl_snapshot *s, bool mixed)
{
    char *buf = NULL, *out = NULL;
    size_t len = 0, olen = 0;
    FILE *f = open_memstream(&buf, &len);
    tl_format_options o = {.no_summary = true, .mixed = mixed};
    tl_error err = {0};
    assert_int_equal(format_text(f, s, &o, &err), TL_OK);
    fclose(f);
    FILE *g = open_memstream(&out, &olen);
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
        if (strncmp(line, "\tat ", 4) == 0 || strncmp(line, "\t(", 2) == 0 || strstr(line, "frames ("))
            fprintf(g, "%s\n", line + (line[0] == '\t' ? 1 : 0));
    fclose(g);
    free(buf);
    return out;
}

static void java_between_callee_and_call_helper(void **state)
{
    (void)state;
    const char *frames[] = {"futex_wait@libc.so.6", "JVM_Sleep@libjvm.so", "Interpreter@[perf-map]", "-@-",
                            "StubRoutines (1)@[perf-map]", HELPER "@libjvm.so", "start_thread@libc.so.6"};
    const char *java[] = {"java.lang.Thread.sleep", "Main.run"};
    tl_snapshot *s = snapshot_of_one(frames, 7, java, 2);
    s->procs[0].threads[0].frames[3].module = (free(s->procs[0].threads[0].frames[3].module), NULL);
    char *got = frame_lines(s, true);
    assert_string_equal(got, "   mixed frames (native, with the Java frames where the JVM runs them):\n"
                             "at futex_wait+0x0 (libc.so.6)\n"
                             "at JVM_Sleep+0x0 (libjvm.so)\n"
                             "at java.lang.Thread.sleep(Main.java:7) [java]\n"
                             "at Main.run(Main.java:7) [java]\n"
                             "at " HELPER "+0x0 (libjvm.so)\n"
                             "at start_thread+0x0 (libc.so.6)\n");
    free(got);
    got = frame_lines(s, false);   /* without --mixed: both blocks, the native one whole */
    assert_non_null(strstr(got, "Java frames (private)"));
    assert_non_null(strstr(got, "at Interpreter+0x0 ([perf-map])\n"));
    assert_null(strstr(got, "[java]"));
    free(got);
    snapshot_free(s);
}

static void java_at_the_walks_end(void **state)
{
    (void)state;   /* a compiled method with no unwind info: the walk ends inside Java */
    const char *frames[] = {"long Main.spin(long)@[perf-map]"};
    const char *java[] = {"Main.spin", "Main.main"};
    tl_snapshot *s = snapshot_of_one(frames, 1, java, 2);
    char *got = frame_lines(s, true);
    assert_string_equal(got, "   mixed frames (native, with the Java frames where the JVM runs them):\n"
                             "at Main.spin(Main.java:7) [java]\n"
                             "at Main.main(Main.java:7) [java]\n");
    free(got);
    snapshot_free(s);
}

static void nested_calls_at_the_innermost(void **state)
{
    (void)state;   /* Java called a native method that called Java again (JNI) */
    const char *frames[] = {"Interpreter@[perf-map]", HELPER "@libjvm.so", "jni_CallVoidMethod@libjvm.so",
                            "Java_Native_call@libnative.so", "Interpreter@[perf-map]", HELPER "@libjvm.so"};
    const char *java[] = {"Inner.run", "Outer.run"};
    tl_snapshot *s = snapshot_of_one(frames, 6, java, 2);
    char *got = frame_lines(s, true);
    assert_non_null(strstr(got, "at Inner.run(Main.java:7) [java]\nat Outer.run(Main.java:7) [java]\n"
                                "(the Java frames of all 2 nested Java calls are shown at the innermost)\n"));
    assert_true(strstr(got, "Outer.run") < strstr(got, "Java_Native_call"));
    assert_non_null(strstr(got, "at Interpreter+0x0 ([perf-map])\nat " HELPER));   /* the outer run stays */
    free(got);
    snapshot_free(s);
}

static void no_run_no_mixing(void **state)
{
    (void)state;
    const char *frames[] = {"futex_wait@libc.so.6", HELPER "@libjvm.so"};
    const char *java[] = {"Main.run"};
    tl_snapshot *s = snapshot_of_one(frames, 2, java, 1);
    char *mixed = frame_lines(s, true), *plain = frame_lines(s, false);
    assert_string_equal(mixed, plain);
    assert_non_null(strstr(mixed, "Java frames (private)"));
    free(mixed);
    free(plain);
    snapshot_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(java_between_callee_and_call_helper),
        cmocka_unit_test(java_at_the_walks_end),
        cmocka_unit_test(nested_calls_at_the_innermost),
        cmocka_unit_test(no_run_no_mixing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
