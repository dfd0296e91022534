/* The dump writers (format_text, format_json) on hand-built snapshots: the JSON parses, has the
 * keys the issue names, and stays valid for any name; the text has jstack-shaped thread lines
 * and never carries a raw control byte from the target. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_skip.h"
#include <jansson.h>
#include <regex.h>

#include "threadlens/escape.h"
#include "threadlens/format.h"
#include "threadlens/model.h"

#define ZH "\xe5\xb7\xa5\xe4\xbd\x9c\xe7\xba\xbf\xe7\xa8\x8b"   /* 工作线程 */

static const char *const thread_names[] = {"main", "\x1b[31mred", "bad\xff\xfeutf8", ZH, ("\xc2\x9b" "2J")};
#define NNAMES (sizeof thread_names / sizeof thread_names[0])

static char *dup(const char *s)
{
    char *d = strdup(s);
    assert_non_null(d);
    return d;
}

static void fill_thread(tl_thread *t, int tid, const char *name)
{
    memset(t, 0, sizeof *t);
    t->tid = tid;
    t->name = dup(name);
    t->state = 'S';
    t->cpu_user_ms = 30;
    t->cpu_system_ms = 12;
    t->voluntary_ctxt_switches = 5;
    t->nonvoluntary_ctxt_switches = 2;
    t->start_time_ms = 1000;
    t->wait.fd = -1;
    t->wchan = tid % 2 ? dup("hrtimer_nanosleep") : NULL;
    t->syscall.valid = true;
    t->syscall.nr = 230;
    snprintf(t->syscall.name, sizeof t->syscall.name, "clock_nanosleep");
}

static void fill_process(tl_process *p, int pid, int ppid, const char *name, size_t nthreads)
{
    memset(p, 0, sizeof *p);
    p->pid = pid;
    p->ppid = ppid;
    p->name = dup(name);
    p->cmdline = dup("./server --name \x1b[2J\xff " ZH);
    p->user = dup("root");
    p->state = 'S';
    p->start_time_ms = 1000;
    p->threads = calloc(nthreads, sizeof *p->threads);
    assert_non_null(p->threads);
    p->nthreads = nthreads;
}

/* A root process with every name of thread_names, and a child with one thread. */
static tl_snapshot *make_snapshot(void)
{
    tl_snapshot *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->taken_unix_ms = 1764147600000LL;
    s->uptime_ms = 61000;
    s->clock_ticks = 100;
    s->procs = calloc(2, sizeof *s->procs);
    assert_non_null(s->procs);
    s->nprocs = 2;
    fill_process(&s->procs[0], 100, 1, "\x1b]0;title\x07", NNAMES);
    for (size_t i = 0; i < NNAMES; i++)
        fill_thread(&s->procs[0].threads[i], 100 + (int)i, thread_names[i]);
    fill_process(&s->procs[1], 200, 100, "kid", 1);
    fill_thread(&s->procs[1].threads[0], 200, "kid-worker");
    assert_true(snapshot_add_note(s, "1 thread(s) of process 100 exited \x1b[5m while being read"));
    s->partial = true;
    return s;
}

/* Runs a writer into memory; returns the malloc'd output. */
static char *render(tl_status (*writer)(FILE *, const tl_snapshot *, const tl_format_options *, tl_error *),
                    const tl_snapshot *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    tl_error err = {0};
    tl_format_options o = {0};
    tl_status st = writer(f, s, &o, &err);
    fclose(f);
    if (st != TL_OK)
        fail_msg("writer failed: %s", err.msg);
    assert_int_equal(strlen(buf), len);   /* no NUL byte inside */
    return buf;
}

static json_t *render_json(const tl_snapshot *s)
{
    char *text = render(format_json, s);
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    if (!root)
        fail_msg("the JSON dump does not parse: %s (line %d)\n%s", jerr.text, jerr.line, text);
    assert_null(memchr(text, 0x1b, strlen(text)));   /* controls are \u escapes in JSON */
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == 0x7f || (c[0] == 0xc2 && c[1] >= 0x80 && c[1] < 0xa0))
            fail_msg("raw DEL or C1 control in the JSON dump at offset %td", (const char *)c - text);
    }
    free(text);
    return root;
}

static void expect_keys(json_t *obj, const char *const *keys, size_t n, const char *what)
{
    assert_true(json_is_object(obj));
    for (size_t i = 0; i < n; i++)
        if (!json_object_get(obj, keys[i]))
            fail_msg("%s has no key \"%s\"", what, keys[i]);
}

static void json_has_the_issue_keys(void **state)
{
    (void)state;
    static const char *const top[] = {"processes", "deadlocks"};
    static const char *const proc[] = {"pid", "ppid", "name", "cmdline", "threads"};
    static const char *const thread[] = {"tid", "name", "state", "cpu_user_ms", "cpu_system_ms",
                                         "voluntary_ctxt_switches", "nonvoluntary_ctxt_switches",
                                         "wchan", "frames"};
    tl_snapshot *s = make_snapshot();
    json_t *root = render_json(s);
    expect_keys(root, top, 2, "the top level");
    assert_true(json_is_array(json_object_get(root, "deadlocks")));
    assert_int_equal(json_array_size(json_object_get(root, "deadlocks")), 0);
    json_t *procs = json_object_get(root, "processes");
    assert_int_equal(json_array_size(procs), 2);
    size_t i;
    json_t *p;
    json_array_foreach(procs, i, p) {
        expect_keys(p, proc, 5, "a process");
        json_t *threads = json_object_get(p, "threads");
        assert_int_equal(json_array_size(threads), s->procs[i].nthreads);
        size_t j;
        json_t *t;
        json_array_foreach(threads, j, t) {
            expect_keys(t, thread, 9, "a thread");
            assert_true(json_is_array(json_object_get(t, "frames")));
            assert_int_equal(json_array_size(json_object_get(t, "frames")), 0);
        }
    }
    json_decref(root);
    snapshot_free(s);
}

static void json_values_match_the_snapshot(void **state)
{
    (void)state;
    tl_snapshot *s = make_snapshot();
    json_t *root = render_json(s);
    json_t *p0 = json_array_get(json_object_get(root, "processes"), 0);
    json_t *p1 = json_array_get(json_object_get(root, "processes"), 1);
    assert_int_equal(json_integer_value(json_object_get(p0, "pid")), 100);
    assert_int_equal(json_integer_value(json_object_get(p1, "pid")), 200);
    assert_int_equal(json_integer_value(json_object_get(p1, "ppid")), 100);
    json_t *t1 = json_array_get(json_object_get(p0, "threads"), 1);
    json_t *t0 = json_array_get(json_object_get(p0, "threads"), 0);
    assert_int_equal(json_integer_value(json_object_get(t1, "tid")), 101);
    assert_string_equal(json_string_value(json_object_get(t1, "state")), "S");
    assert_int_equal(json_integer_value(json_object_get(t1, "cpu_user_ms")), 30);
    assert_int_equal(json_integer_value(json_object_get(t1, "cpu_system_ms")), 12);
    assert_int_equal(json_integer_value(json_object_get(t1, "voluntary_ctxt_switches")), 5);
    assert_int_equal(json_integer_value(json_object_get(t1, "nonvoluntary_ctxt_switches")), 2);
    assert_string_equal(json_string_value(json_object_get(t1, "wchan")), "hrtimer_nanosleep");
    assert_true(json_is_null(json_object_get(t0, "wchan")));   /* no wait channel: null */
    assert_true(json_is_true(json_object_get(root, "partial")));
    json_decref(root);
    snapshot_free(s);
}

static void json_names_survive_any_bytes(void **state)
{
    (void)state;
    tl_snapshot *s = make_snapshot();
    char *text = render(format_json, s);
    if (strstr(text, "\"\\u009b2J\"") == NULL)
        fail_msg("the CSI of a thread name is not \\u009b in the JSON dump:\n%s", text);
    free(text);
    json_t *root = render_json(s);
    json_t *p0 = json_array_get(json_object_get(root, "processes"), 0);
    json_t *threads = json_object_get(p0, "threads");
    /* valid UTF-8 (controls included) comes back byte for byte; invalid bytes as \xNN text */
    assert_string_equal(json_string_value(json_object_get(json_array_get(threads, 1), "name")), "\x1b[31mred");
    assert_string_equal(json_string_value(json_object_get(json_array_get(threads, 2), "name")), "bad\\xff\\xfeutf8");
    assert_string_equal(json_string_value(json_object_get(json_array_get(threads, 3), "name")), ZH);
    assert_string_equal(json_string_value(json_object_get(json_array_get(threads, 4), "name")), "\xc2\x9b" "2J");
    assert_string_equal(json_string_value(json_object_get(p0, "name")), "\x1b]0;title\x07");
    assert_string_equal(json_string_value(json_object_get(p0, "cmdline")), "./server --name \x1b[2J\\xff " ZH);
    json_t *note = json_array_get(json_object_get(root, "notes"), 0);
    assert_non_null(strstr(json_string_value(note), "exited"));
    json_decref(root);
    snapshot_free(s);
}

static void json_of_an_empty_snapshot(void **state)
{
    (void)state;
    tl_snapshot *s = calloc(1, sizeof *s);
    assert_non_null(s);
    json_t *root = render_json(s);
    assert_int_equal(json_array_size(json_object_get(root, "processes")), 0);
    assert_int_equal(json_array_size(json_object_get(root, "deadlocks")), 0);
    json_decref(root);
    snapshot_free(s);
}

/* The 1-based line of text matching the extended regex re, or 0. */
static int find_line(const char *text, const char *re)
{
    regex_t rx;
    assert_int_equal(regcomp(&rx, re, REG_EXTENDED | REG_NEWLINE), 0);
    regmatch_t m;
    int line = 0;
    if (regexec(&rx, text, 1, &m, 0) == 0) {
        line = 1;
        for (const char *c = text; c < text + m.rm_so; c++)
            line += *c == '\n';
    }
    regfree(&rx);
    return line;
}

static void expect_line(const char *text, const char *re)
{
    if (!find_line(text, re))
        fail_msg("no line of the text dump matches /%s/:\n%s", re, text);
}

static void text_has_jstack_shaped_thread_lines(void **state)
{
    (void)state;
    tl_snapshot *s = make_snapshot();
    char *text = render(format_text, s);
    expect_line(text, "^\"main\" #1 tid=100 state=S \\(sleeping\\) cpu=42ms .*elapsed=60\\.00s");
    expect_line(text, "^\"kid-worker\" #1 tid=200 state=S .*cpu=42ms .*elapsed=[0-9]+\\.[0-9]+s");
    expect_line(text, "^\"\\\\x1b\\[31mred\" #2 tid=101 state=S");
    expect_line(text, "^\"bad\\\\xff\\\\xfeutf8\" #3 tid=102 ");
    expect_line(text, "^\"" ZH "\" #4 tid=103 ");
    expect_line(text, "^\"\\\\u009b2J\" #5 tid=104 ");
    expect_line(text, "Process 200 \"kid\" ppid=100 ");
    expect_line(text, "^Process 100 \"\\\\x1b]0;title\\\\x07\"");
    expect_line(text, "cmdline: \\./server --name \\\\x1b\\[2J\\\\xff " ZH "$");
    expect_line(text, "hrtimer_nanosleep");
    expect_line(text, "^note: .*\\\\x1b\\[5m while being read");
    assert_true(find_line(text, "^\"main\"") < find_line(text, "^Process 200"));
    free(text);
    snapshot_free(s);
}

static void text_never_carries_raw_controls(void **state)
{
    (void)state;
    tl_snapshot *s = make_snapshot();
    char *text = render(format_text, s);
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if ((*c < 0x20 && *c != '\n' && *c != '\t') || *c == 0x7f)
            fail_msg("raw control byte 0x%02x at offset %td", *c, (const char *)c - text);
        if (c[0] == 0xc2 && c[1] >= 0x80 && c[1] < 0xa0)
            fail_msg("raw C1 control at offset %td", (const char *)c - text);
        if (*c == 0xff || *c == 0xfe)
            fail_msg("invalid UTF-8 byte 0x%02x at offset %td", *c, (const char *)c - text);
    }
    free(text);
    snapshot_free(s);
}

static void text_and_json_flag_kernel_threads_and_zombies(void **state)
{
    (void)state;
    tl_snapshot *s = make_snapshot();
    tl_process *k = &s->procs[0], *z = &s->procs[1];
    k->kernel_thread = true;
    free(k->cmdline);
    k->cmdline = NULL;
    z->zombie = true;
    z->state = 'Z';
    char *text = render(format_text, s);
    expect_line(text, "^Process 100 .* kernel-thread$");
    expect_line(text, "^Process 200 \"kid\" .*state=Z \\(zombie\\).* zombie$");
    assert_int_equal(find_line(text, "cmdline:"), find_line(text, "^Process 200") + 1);   /* only the zombie's */
    free(text);
    json_t *root = render_json(s);
    json_t *procs = json_object_get(root, "processes");
    assert_true(json_is_true(json_object_get(json_array_get(procs, 0), "kernel_thread")));
    assert_true(json_is_null(json_object_get(json_array_get(procs, 0), "cmdline")));
    assert_true(json_is_true(json_object_get(json_array_get(procs, 1), "zombie")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(procs, 1), "state")), "Z");
    json_decref(root);
    snapshot_free(s);
}

/* A fixed-seed generator: the same "random" names on every run. */
static uint32_t next_random(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 8;
}

#define RANDOM_ROUNDS 300
#define RANDOM_NAME_MAX 15   /* comm's limit */

/* Names of arbitrary bytes (NUL excluded): the JSON always parses and the text never carries a
 * raw control byte or invalid UTF-8. */
static void any_bytes_stay_safe(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    for (int round = 0; round < RANDOM_ROUNDS; round++) {
        tl_snapshot *s = make_snapshot();
        char name[RANDOM_NAME_MAX + 1];
        size_t len = 1 + next_random(&seed) % RANDOM_NAME_MAX;
        for (size_t i = 0; i < len; i++)
            name[i] = (char)(1 + next_random(&seed) % 255);
        name[len] = '\0';
        free(s->procs[1].threads[0].name);
        s->procs[1].threads[0].name = dup(name);
        json_t *root = render_json(s);   /* fails the test when it does not parse */
        json_decref(root);
        char *text = render(format_text, s);
        for (const unsigned char *c = (const unsigned char *)text; *c;) {
            size_t l = escape_utf8_len(c);
            if (l == 0 || (l == 1 && ((*c < 0x20 && *c != '\n' && *c != '\t') || *c == 0x7f)) ||
                (l == 2 && c[0] == 0xc2 && c[1] < 0xa0))
                fail_msg("round %d: unsafe byte 0x%02x in the text dump", round, *c);
            c += l;
        }
        free(text);
        snapshot_free(s);
    }
}

static void writers_report_a_failed_stream(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip_because("/dev/full cannot be opened here");
    setvbuf(f, NULL, _IOFBF, 1 << 16);
    tl_snapshot *s = make_snapshot();
    tl_error err = {0};
    assert_int_equal(format_text(f, s, NULL, &err), TL_EIO);
    assert_true(err.msg[0] != '\0');
    clearerr(f);
    tl_error_clear(&err);
    assert_int_equal(format_json(f, s, NULL, &err), TL_EIO);
    assert_true(err.msg[0] != '\0');
    fclose(f);
    snapshot_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_has_the_issue_keys),
        cmocka_unit_test(json_values_match_the_snapshot),
        cmocka_unit_test(json_names_survive_any_bytes),
        cmocka_unit_test(json_of_an_empty_snapshot),
        cmocka_unit_test(text_has_jstack_shaped_thread_lines),
        cmocka_unit_test(text_never_carries_raw_controls),
        cmocka_unit_test(text_and_json_flag_kernel_threads_and_zombies),
        cmocka_unit_test(any_bytes_stay_safe),
        cmocka_unit_test(writers_report_a_failed_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
