/* The HotSpot thread dump and jcmd parsers on saved answers: a real JDK 17 jstack of
 * tests/java/ThreadStates.java (with and without -l), a JDK 19+ shaped dump ([tid], decimal
 * nid), and real jcmd answers of JDK 17 (G1 and Parallel heaps, metaspace, code cache). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jvm/java_dump.h"
#include "test_data.h"


static const tl_java_thread *find(const java_dump *d, const char *name)
{
    for (size_t i = 0; i < d->nthreads; i++)
        if (!strcmp(d->threads[i].name, name))
            return &d->threads[i];
    return NULL;
}

static void parse_file(const char *name, java_dump *d)
{
    size_t len;
    char *text = test_data_load(name, &len);
    tl_error err = {0};
    assert_int_equal(java_dump_parse(text, len, d, &err), TL_OK);
    free(text);
}

static void test_jdk17_threads(void **state)
{
    (void)state;
    java_dump d;
    parse_file("jstack-jdk17-l.txt", &d);
    assert_string_equal(d.vm_banner, "OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode, sharing)");
    assert_int_equal(d.nthreads, 27);
    const tl_java_thread *t = find(&d, "tl-sleeper-with-a-long-java-name");
    assert_non_null(t);
    assert_true(t->has_id);
    assert_int_equal(t->id, 12);
    assert_true(t->daemon);
    assert_int_equal(t->prio, 5);
    assert_int_equal(t->os_prio, 0);
    assert_int_equal(t->nid, 0x35d2);
    assert_string_equal(t->state, "TIMED_WAITING (sleeping)");
    assert_false(t->internal);
    assert_int_equal(t->nframes, 4);
    assert_string_equal(t->frames[0].method, "java.lang.Thread.sleep");
    assert_string_equal(t->frames[0].location, "java.base@17.0.15/Native Method");
    const tl_java_thread *main_thread = find(&d, "main");
    assert_non_null(main_thread);
    assert_false(main_thread->daemon);
    assert_string_equal(main_thread->status, "waiting on condition  [0x00007f8e925fe000]");
    java_dump_clear(&d);
}

static void test_jdk17_locks(void **state)
{
    (void)state;
    java_dump d;
    parse_file("jstack-jdk17-l.txt", &d);
    const tl_java_thread *b = find(&d, "tl-blocked");
    assert_string_equal(b->state, "BLOCKED (on object monitor)");
    assert_int_equal(b->frames[0].nlocks, 1);
    assert_int_equal(b->frames[0].locks[0].kind, TL_JLOCK_WAITING_TO_LOCK);
    assert_int_equal(b->frames[0].locks[0].address, 0x69ec1abc0ULL);
    assert_string_equal(b->frames[0].locks[0].class_name, "java.lang.Object");
    const tl_java_thread *p = find(&d, "tl-parked");
    assert_int_equal(p->frames[0].locks[0].kind, TL_JLOCK_PARKING);
    assert_string_equal(p->frames[0].locks[0].class_name, "java.util.concurrent.locks.ReentrantLock$NonfairSync");
    const tl_java_thread *w = find(&d, "tl-waiter");
    assert_int_equal(w->frames[0].locks[0].kind, TL_JLOCK_WAITING_ON);
    assert_int_equal(w->frames[2].locks[0].kind, TL_JLOCK_LOCKED);
    const tl_java_thread *h = find(&d, "tl-juc-holder");
    assert_int_equal(h->nowned_syncs, 1);
    assert_non_null(strstr(h->owned_syncs[0], "ReentrantLock$NonfairSync"));
    assert_int_equal(find(&d, "tl-sleeper-with-a-long-java-name")->nowned_syncs, 0);
    java_dump_clear(&d);
}

static void test_jdk17_internal(void **state)
{
    (void)state;
    java_dump d;
    parse_file("jstack-jdk17.txt", &d);
    const tl_java_thread *vm = find(&d, "VM Thread");
    assert_non_null(vm);
    assert_false(vm->has_id);
    assert_true(vm->internal);
    assert_true(vm->nid > 0);
    assert_true(find(&d, "GC Thread#0")->internal);
    assert_true(find(&d, "C2 CompilerThread0")->internal);
    assert_false(find(&d, "Reference Handler")->internal);
    assert_false(find(&d, "tl-waiter")->internal);
    java_dump_clear(&d);
}

static void test_jdk17_deadlock(void **state)
{
    (void)state;
    java_dump d;
    parse_file("jstack-jdk17.txt", &d);
    assert_int_equal(d.ndeadlocks, 1);
    assert_int_equal(d.deadlocks[0].nedges, 2);
    tl_java_deadlock_edge *e = d.deadlocks[0].edges;
    assert_string_equal(e[0].waiter, "tl-deadlock-a");
    assert_string_equal(e[0].holder, "tl-deadlock-b");
    assert_string_equal(e[1].waiter, "tl-deadlock-b");
    assert_string_equal(e[1].holder, "tl-deadlock-a");
    assert_non_null(strstr(e[0].what, "a java.lang.Object"));
    /* the "Java stack information" part did not add threads */
    size_t named_a = 0;
    for (size_t i = 0; i < d.nthreads; i++)
        named_a += !strcmp(d.threads[i].name, "tl-deadlock-a");
    assert_int_equal(named_a, 1);
    java_dump_clear(&d);
}

static void test_jdk21_shape(void **state)
{
    (void)state;
    java_dump d;
    parse_file("jstack-jdk21-shape.txt", &d);
    assert_int_equal(d.nthreads, 6);
    const tl_java_thread *m = find(&d, "main");
    assert_int_equal(m->id, 1);
    assert_int_equal(m->nid, 4101);
    const tl_java_thread *w = find(&d, "a-worker-thread-with-a-long-name");
    assert_int_equal(w->nid, 4120);
    assert_false(w->daemon);
    assert_int_equal(w->frames[0].locks[0].kind, TL_JLOCK_PARKING);
    assert_int_equal(find(&d, "VM Thread")->nid, 4107);
    assert_true(find(&d, "C2 CompilerThread0")->internal);
    assert_int_equal(d.ndeadlocks, 0);
    java_dump_clear(&d);
}

static void test_odd_names(void **state)
{
    (void)state;
    static const char text[] =
        "Full thread dump X:\n\n"
        "\"quote\" #5 in \" name\" #7 daemon prio=5 os_prio=0 tid=0x1 nid=0x2a runnable\n"
        "   java.lang.Thread.State: RUNNABLE\n"
        "\t- locked <0x10> (a Foo)\n"           /* a lock before any frame: ignored */
        "\tat A.b(A.java:1\n"                   /* no closing parenthesis */
        "\"\n"                                  /* a lone quote line */
        "\"no-fields\"\n";
    java_dump d;
    tl_error err = {0};
    assert_int_equal(java_dump_parse(text, sizeof text - 1, &d, &err), TL_OK);
    assert_int_equal(d.nthreads, 1);
    assert_string_equal(d.threads[0].name, "quote\" #5 in \" name");
    assert_int_equal(d.threads[0].id, 7);
    assert_int_equal(d.threads[0].nid, 42);
    assert_int_equal(d.threads[0].nframes, 1);
    assert_string_equal(d.threads[0].frames[0].location, "A.java:1");
    java_dump_clear(&d);
}

/* Numbers a JVM could not print: out of int's range, not finite, not numbers. They are left
 * absent rather than converted (a double outside int's range is undefined behaviour, and NaN is
 * not JSON). */
static void test_odd_numbers(void **state)
{
    (void)state;
    static const char text[] =
        "Full thread dump X:\n\n"
        "\"a\" #1 prio=99999999999 os_prio=2e61 cpu=nan elapsed=inf tid=0x1 nid=0x2a runnable\n"
        "\"b\" #2 prio=7 os_prio=-5 cpu=1.5 elapsed=x tid=0x2 nid=0x2b runnable\n";
    java_dump d;
    tl_error err = {0};
    assert_int_equal(java_dump_parse(text, sizeof text - 1, &d, &err), TL_OK);
    assert_int_equal(d.nthreads, 2);
    assert_int_equal(d.threads[0].prio, 0);
    assert_false(d.threads[0].has_os_prio);
    assert_true(d.threads[0].cpu_ms == -1 && d.threads[0].elapsed_s == -1);
    assert_int_equal(d.threads[1].prio, 7);
    assert_true(d.threads[1].has_os_prio);
    assert_int_equal(d.threads[1].os_prio, -5);
    assert_true(d.threads[1].cpu_ms == 1.5 && d.threads[1].elapsed_s == -1);
    java_dump_clear(&d);
}

static void test_not_a_dump(void **state)
{
    (void)state;
    java_dump d;
    tl_error err = {0};
    assert_int_equal(java_dump_parse("hello\n", 6, &d, &err), TL_EINVAL);
    assert_int_equal(java_dump_parse("", 0, &d, &err), TL_EINVAL);
    assert_int_equal(d.nthreads, 0);
}

static void test_reply_split(void **state)
{
    (void)state;
    int code = -1;
    const char *body;
    size_t n;
    assert_true(java_reply_split("0\nabc", 5, &code, &body, &n));
    assert_int_equal(code, 0);
    assert_int_equal(n, 3);
    assert_memory_equal(body, "abc", 3);
    assert_true(java_reply_split("101\n", 4, &code, &body, &n));
    assert_int_equal(code, 101);
    assert_false(java_reply_split("Full thread dump\n", 17, &code, &body, &n));
    assert_false(java_reply_split("", 0, &code, &body, &n));
}

/* Every truncation of a real dump parses without a crash or a leak (ASan build), and the
 * thread count never exceeds the whole dump's. */
static void test_truncated(void **state)
{
    (void)state;
    size_t len;
    char *text = test_data_load("jstack-jdk17-l.txt", &len);
    for (size_t cut = 0; cut <= len; cut += 13) {
        char *copy = malloc(cut ? cut : 1);   /* exactly cut bytes: no NUL to lean on */
        assert_non_null(copy);
        memcpy(copy, text, cut);
        java_dump d;
        tl_error err = {0};
        if (java_dump_parse(copy, cut, &d, &err) == TL_OK) {
            assert_true(d.nthreads <= 27);
            java_dump_clear(&d);
        }
        tl_jvm_area *a = NULL;
        size_t n = 0;
        jvm_areas_parse_heap_info(copy, cut, &a, &n);
        jvm_areas_parse_codecache(copy, cut, &a, &n);
        for (size_t i = 0; i < n; i++)
            jvm_area_clear(&a[i]);
        free(a);
        free(copy);
    }
    free(text);
}

static const tl_jvm_area *area(const tl_jvm_area *a, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(a[i].name, name))
            return &a[i];
    return NULL;
}

static void free_areas(tl_jvm_area *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        jvm_area_clear(&a[i]);
    free(a);
}

static void test_heap_g1(void **state)
{
    (void)state;
    size_t len, n = 0;
    char *text = test_data_load("jcmd-jdk17-heap_info.txt", &len);
    tl_jvm_area *a = NULL;
    assert_int_equal(jvm_areas_parse_heap_info(text, len, &a, &n), 4);
    const tl_jvm_area *heap = area(a, n, "heap");
    assert_int_equal(heap->used_kib, 5658);
    assert_int_equal(heap->committed_kib, 397312);
    assert_non_null(area(a, n, "heap: garbage-first heap")->detail);
    const tl_jvm_area *meta = area(a, n, "metaspace");
    assert_int_equal(meta->used_kib, 168);
    assert_int_equal(meta->committed_kib, 384);
    assert_int_equal(meta->reserved_kib, 1114112);
    assert_int_equal(area(a, n, "metaspace: class space")->used_kib, 12);
    free_areas(a, n);
    free(text);
}

static void test_heap_parallel(void **state)
{
    (void)state;
    size_t len, n = 0;
    char *text = test_data_load("jcmd-jdk17-heap_info-parallel.txt", &len);
    tl_jvm_area *a = NULL;
    assert_int_equal(jvm_areas_parse_heap_info(text, len, &a, &n), 5);
    assert_int_equal(area(a, n, "heap: PSYoungGen")->used_kib, 11673);
    assert_int_equal(area(a, n, "heap: ParOldGen")->committed_kib, 258048);
    assert_int_equal(area(a, n, "heap")->used_kib, 11673);
    assert_int_equal(area(a, n, "heap")->committed_kib, 113152 + 258048);
    free_areas(a, n);
    free(text);
}

static void test_metaspace_and_codecache(void **state)
{
    (void)state;
    size_t len, n = 0;
    tl_jvm_area *a = NULL;
    char *text = test_data_load("jcmd-jdk17-metaspace.txt", &len);
    assert_int_equal(jvm_areas_parse_metaspace(text, len, &a, &n), 1);
    free(text);
    const tl_jvm_area *meta = area(a, n, "metaspace");
    assert_int_equal(meta->used_kib, 169);
    assert_int_equal(meta->committed_kib, 384);
    assert_int_equal(meta->reserved_kib, 1114112);
    text = test_data_load("jcmd-jdk17-codecache.txt", &len);
    assert_int_equal(jvm_areas_parse_codecache(text, len, &a, &n), 4);
    free(text);
    const tl_jvm_area *cc = area(a, n, "code cache");
    assert_int_equal(cc->used_kib, 14 + 13 + 1076);
    assert_int_equal(cc->reserved_kib, 120036 + 120032 + 5692);
    const tl_jvm_area *np = area(a, n, "code cache: non-nmethods");
    assert_int_equal(np->committed_kib, (0x7cba8000 - 0x7c938000) / 1024);
    assert_int_equal(jvm_areas_parse_codecache("nothing\n", 8, &a, &n), 0);
    free_areas(a, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jdk17_threads),  cmocka_unit_test(test_jdk17_locks),
        cmocka_unit_test(test_jdk17_internal), cmocka_unit_test(test_jdk17_deadlock),
        cmocka_unit_test(test_jdk21_shape),    cmocka_unit_test(test_odd_names),
        cmocka_unit_test(test_odd_numbers),
        cmocka_unit_test(test_not_a_dump),     cmocka_unit_test(test_reply_split),
        cmocka_unit_test(test_heap_g1),        cmocka_unit_test(test_heap_parallel),
        cmocka_unit_test(test_metaspace_and_codecache), cmocka_unit_test(test_truncated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
