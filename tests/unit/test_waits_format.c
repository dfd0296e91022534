/* The waits and deadlock parts of the text and JSON dumps, on a hand-built snapshot: jstack's
 * shape, exact keys, and target-written names escaped in both. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "threadlens/analysis.h"
#include "threadlens/format.h"

#define EVIL "evil\x1b[31mname"   /* a thread name holding a terminal escape */

static void set_thread(tl_thread *t, int tid, const char *name, int owner, uint64_t addr)
{
    t->tid = tid;
    t->name = strdup(name);
    t->state = 'S';
    t->wait.fd = -1;
    t->wait.kind = TL_WAIT_MUTEX;
    t->wait.address = addr;
    t->wait.owner_tid = owner;
    t->wait.owner_pid = 100;
    t->wait.syscall_name = strdup("futex");
    char d[128];
    snprintf(d, sizeof d, "mutex (normal) 0x%llx held by tid %d", (unsigned long long)addr, owner);
    t->wait.description = strdup(d);
}

/* Process 100 with "a" (101) and EVIL (102) in an ABBA deadlock, and a thread 103 not waiting. */
static tl_snapshot *abba(void)
{
    tl_snapshot *s = calloc(1, sizeof *s);
    s->procs = calloc(1, sizeof *s->procs);
    s->nprocs = 1;
    tl_process *p = &s->procs[0];
    p->pid = 100;
    p->name = strdup("abba");
    p->user = strdup("root");
    p->state = 'S';
    p->threads = calloc(3, sizeof *p->threads);
    p->nthreads = 3;
    set_thread(&p->threads[0], 101, "a", 102, 0x2000);
    set_thread(&p->threads[1], 102, EVIL, 101, 0x1000);
    p->threads[2] = (tl_thread){.tid = 103, .name = strdup("idle"), .state = 'S', .wait.fd = -1};
    tl_error err = {0};
    assert_int_equal(analysis_find_deadlocks(s, &err), TL_OK);
    return s;
}

static char *render(const tl_snapshot *s, bool json)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    tl_format_options o = {0};
    tl_error err = {0};
    assert_int_equal(json ? format_json(f, s, &o, &err) : format_text(f, s, &o, &err), TL_OK);
    fclose(f);
    return buf;
}

static void test_text_report(void **state)
{
    (void)state;
    tl_snapshot *s = abba();
    char *text = render(s, false);
    assert_non_null(strstr(text, "   waiting on: mutex (normal) 0x2000 held by tid 102\n"));
    assert_non_null(strstr(text, "\nFound one native-level deadlock:\n================================\n"
                                 "\"a\" tid=101 (process 100 \"abba\"):\n"
                                 "  waiting on mutex (normal) 0x2000 held by tid 102,\n"
                                 "  which is held by \"evil\\x1b[31mname\" tid=102 (process 100 \"abba\")\n"));
    assert_non_null(strstr(text, "Native stack information for the threads listed above:"));
    assert_non_null(strstr(text, "\nFound 1 deadlock.\n"));
    assert_null(strchr(text, '\x1b'));   /* the escape never reaches the terminal */
    assert_true(strstr(text, "DEADLOCKED") != NULL);
    free(text);
    snapshot_free(s);
}

static void test_text_without_deadlock_says_nothing(void **state)
{
    (void)state;
    tl_snapshot *s = abba();
    s->procs[0].threads[1].wait.owner_tid = 0;   /* b's owner unknown: no cycle */
    tl_error err = {0};
    assert_int_equal(analysis_find_deadlocks(s, &err), TL_OK);
    char *text = render(s, false);
    assert_null(strstr(text, "Found"));
    assert_null(strstr(text, "DEADLOCKED"));
    free(text);
    snapshot_free(s);
}

/* A wait that can end by itself says how, in the text and in JSON, and is no edge. */
static void test_can_end_by(void **state)
{
    (void)state;
    tl_snapshot *s = abba();
    s->procs[0].threads[1].wait.can_end_by = TL_END_SIGNAL;
    s->procs[0].threads[0].wait.can_end_by = TL_END_TIMEOUT;
    tl_error err = {0};
    assert_int_equal(analysis_find_deadlocks(s, &err), TL_OK);
    assert_int_equal(s->ndeadlocks, 0);
    char *text = render(s, false);
    assert_non_null(strstr(text, "   waiting on: mutex (normal) 0x2000 held by tid 102, timed\n"));
    assert_non_null(strstr(text, "held by tid 101, a signal handler can end it\n"));
    free(text);
    text = render(s, true);
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    assert_non_null(root);
    json_t *threads = json_object_get(json_array_get(json_object_get(root, "processes"), 0), "threads");
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(threads, 0), "waiting_on"),
                                                          "can_end_by")), "timeout");
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(threads, 1), "waiting_on"),
                                                          "can_end_by")), "signal");
    json_decref(root);
    free(text);
    snapshot_free(s);
}

static void test_json_keys(void **state)
{
    (void)state;
    tl_snapshot *s = abba();
    char *text = render(s, true);
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    assert_non_null(root);
    json_t *dl = json_object_get(root, "deadlocks");
    assert_int_equal(json_array_size(dl), 1);
    json_t *d = json_array_get(dl, 0), *tids = json_object_get(d, "threads");
    assert_int_equal(json_integer_value(json_array_get(tids, 0)), 101);
    assert_int_equal(json_integer_value(json_array_get(tids, 1)), 102);
    json_t *e = json_array_get(json_object_get(d, "edges"), 0);
    assert_int_equal(json_integer_value(json_object_get(e, "waiter")), 101);
    assert_int_equal(json_integer_value(json_object_get(e, "holder")), 102);
    assert_string_equal(json_string_value(json_object_get(e, "kind")), "mutex");
    assert_string_equal(json_string_value(json_object_get(e, "address")), "0x2000");
    json_t *threads = json_object_get(json_array_get(json_object_get(root, "processes"), 0), "threads");
    json_t *w = json_object_get(json_array_get(threads, 1), "waiting_on");
    assert_string_equal(json_string_value(json_object_get(w, "kind")), "mutex");
    assert_string_equal(json_string_value(json_object_get(w, "address")), "0x1000");
    assert_int_equal(json_integer_value(json_object_get(w, "owner_tid")), 101);
    assert_true(json_is_null(json_object_get(w, "can_end_by")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(threads, 1), "name")), EVIL);
    assert_true(json_is_null(json_object_get(json_array_get(threads, 2), "waiting_on")));
    json_decref(root);
    free(text);
    snapshot_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_report),
        cmocka_unit_test(test_text_without_deadlock_says_nothing),
        cmocka_unit_test(test_json_keys),
        cmocka_unit_test(test_can_end_by),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
