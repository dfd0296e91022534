/* Verdicts over several samples (history.c) on made-up snapshots whose threads change in known
 * ways, their blocking chain, and that a --count dump's JSON reads back with the same verdicts
 * (json_read.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "threadlens/format.h"
#include "threadlens/history.h"

enum { LOCK = 1, HOLDER, SPIN, MOVER, LATE, LEAVER, NTHREADS = 6 };

static char *dup(const char *s)
{
    char *d = strdup(s);
    assert_non_null(d);
    return d;
}

static void set_frames(tl_thread *t, const char *const *names, size_t n)
{
    t->frames = calloc(n, sizeof *t->frames);
    assert_non_null(t->frames);
    for (size_t i = 0; i < n; i++)
        t->frames[i] = (tl_frame){.pc = 0x1000 + i, .function = dup(names[i]), .module = dup("/bin/x")};
    t->nframes = n;
}

/* Sample k (0..2), taken 500 ms apart: LATE only in the last, LEAVER not in it. */
static tl_snapshot *sample(unsigned k)
{
    tl_snapshot *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->taken_unix_ms = 1000000 + 500 * (int64_t)k;
    s->stacks_taken = true;
    s->procs = calloc(1, sizeof *s->procs);
    s->nprocs = 1;
    tl_process *p = &s->procs[0];
    p->pid = 1, p->name = dup("proc");
    p->threads = calloc(NTHREADS, sizeof *p->threads);
    for (int tid = LOCK; tid <= LEAVER; tid++) {
        if ((tid == LATE && k < 2) || (tid == LEAVER && k == 2))
            continue;
        tl_thread *t = &p->threads[p->nthreads++];
        t->tid = tid, t->state = 'S', t->wait.fd = -1, t->start_time_ms = 10;
        static const char *const names[] = {"", "lock", "holder", "spin", "mover", "late", "leaver"};
        t->name = dup(names[tid]);
        static const char *const idle[] = {"read", "main"}, *const locked[] = {"lll_lock_wait", "main"};
        static const char *const spin[] = {"spin_here", "main"}, *const moves[] = {"a", "b", "c"};
        if (tid == LOCK) {
            t->wait = (tl_wait){.kind = TL_WAIT_MUTEX, .address = 0x10, .owner_tid = HOLDER, .fd = -1,
                                .description = dup("mutex 0x10 held by tid 2")};
            set_frames(t, locked, 2);
        } else if (tid == SPIN) {
            t->state = 'R', t->cpu_user_ms = 400 * k;
            set_frames(t, spin, 2);
        } else if (tid == MOVER) {
            set_frames(t, moves + k, 1);
        } else {
            if (tid == HOLDER)
                t->wait = (tl_wait){.kind = TL_WAIT_FD, .fd = 3, .object = dup("pipe:[7]"),
                                    .description = dup("read on fd 3: pipe:[7]")};
            set_frames(t, idle, 2);
        }
    }
    return s;
}

static const tl_thread *thread(const tl_snapshot *s, int tid)
{
    const tl_thread *t = model_find_thread(s, tid, NULL);
    assert_non_null(t);
    return t;
}

static void check_verdicts(const tl_snapshot *s)
{
    assert_int_equal(s->procs[0].nthreads, NTHREADS);   /* the ended thread is kept */
    assert_int_equal(thread(s, LOCK)->history.verdict, TL_VERDICT_BLOCKED);
    assert_int_equal(thread(s, LOCK)->history.samples, 3);
    assert_int_equal(thread(s, LOCK)->history.same_stack, 3);
    assert_int_equal(thread(s, LOCK)->history.since_ms, 1000);
    assert_int_equal(thread(s, HOLDER)->history.verdict, TL_VERDICT_IDLE);
    assert_int_equal(thread(s, SPIN)->history.verdict, TL_VERDICT_BUSY);
    assert_int_equal(thread(s, SPIN)->history.cpu_ms_delta, 800);
    assert_int_equal(thread(s, MOVER)->history.verdict, TL_VERDICT_CHANGING);
    assert_int_equal(thread(s, MOVER)->history.same_stack, 1);
    assert_int_equal(thread(s, LATE)->history.verdict, TL_VERDICT_NEW);
    assert_int_equal(thread(s, LATE)->history.samples, 1);
    assert_int_equal(thread(s, LEAVER)->history.verdict, TL_VERDICT_ENDED);
    assert_int_equal(thread(s, LEAVER)->history.samples, 2);
    assert_int_equal(s->window.samples, 3);
    assert_int_equal(s->window.interval_ms, 500);
    assert_int_equal(s->window.last_unix_ms - s->window.first_unix_ms, 1000);
    assert_int_equal(s->nchains, 1);
    assert_int_equal(s->chains[0].ntids, 2);
    assert_int_equal(s->chains[0].tids[0], LOCK);
    assert_int_equal(s->chains[0].tids[1], HOLDER);
    assert_false(s->chains[0].cycle);
}

static tl_snapshot *window(void)
{
    tl_history_set *h = history_new();
    assert_non_null(h);
    for (unsigned k = 0; k < 3; k++)
        assert_int_equal(history_add(h, sample(k), NULL), TL_OK);
    tl_snapshot *s = NULL;
    assert_int_equal(history_finish(h, 500, 7, &s, NULL), TL_OK);
    return s;
}

static void test_verdicts(void **state)
{
    (void)state;
    tl_snapshot *s = window();
    check_verdicts(s);
    assert_int_equal(s->window.stops_saved, 7);
    snapshot_free(s);
}

static void test_json_round_trip(void **state)
{
    (void)state;
    tl_snapshot *s = window();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(format_json(f, s, NULL, NULL), TL_OK);
    fclose(f);
    tl_snapshot *back = NULL;
    assert_int_equal(format_json_read(buf, len, "mem", &back, NULL), TL_OK);
    check_verdicts(back);
    assert_int_equal(back->window.stops_saved, 7);
    free(buf);
    snapshot_free(back);
    snapshot_free(s);
}

static void expect_refused(const char *text, const char *words)
{
    tl_snapshot *s = NULL;
    tl_error err = {0};
    assert_int_equal(format_json_read(text, strlen(text), "F", &s, &err), TL_EINVAL);
    assert_null(s);
    if (!strstr(err.msg, words))
        fail_msg("'%s' does not say '%s'", err.msg, words);
}

static void test_bad_files(void **state)
{
    (void)state;
    expect_refused("", "F is empty");
    expect_refused(" \n\t", "F is empty");
    expect_refused("hello", "F is not JSON");
    expect_refused("{\"threadlens_version\": \"0.1.0\", \"processes\": [", "F is truncated");
    expect_refused("{\"threadlens_version\": \"0.1.0\", \"format_version\": 2, \"processes\": []}",
                   "format_version 2, newer than this threadlens reads (1)");
    expect_refused("{\"threadlens_version\": \"0.1.0\", \"format_version\": \"1\", \"processes\": []}",
                   "not a number");
    expect_refused("{\"stacks_taken\": true, \"processes\": []}", "not a threadlens JSON dump");
    expect_refused("[1, 2]", "not a threadlens JSON dump");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
