/* The live view's pure parts on hand-built snapshots: CPU% and switches/s from two samples,
 * the tree rows with filter and sort, the selection following its thread across samples,
 * time formatting and what the WAITING ON column says. No terminal involved. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/ui_rates.h"
#include "ui/ui_state.h"

#define PID 100

/* A snapshot of one process with threads tid PID+i named names[i], taken at `secs`, each
 * thread having used cpu_ms[i] of CPU and sw[i] context switches so far. */
static tl_snapshot *make_snap(double secs, const char *const *names, const uint64_t *cpu_ms,
                              const uint64_t *sw, size_t n)
{
    tl_snapshot *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->monotonic_ns = (uint64_t)(secs * 1e9);
    s->nprocs = 1;
    s->procs = calloc(1, sizeof *s->procs);
    tl_process *p = &s->procs[0];
    p->pid = PID;
    p->name = strdup("proc");
    p->nthreads = n;
    p->threads = calloc(n, sizeof *p->threads);
    for (size_t i = 0; i < n; i++) {
        tl_thread *t = &p->threads[i];
        t->tid = PID + (int)i;
        t->name = strdup(names[i]);
        t->state = 'S';
        t->cpu_user_ms = cpu_ms[i];
        t->voluntary_ctxt_switches = sw[i];
        t->start_time_ms = 1000;
        t->wait.fd = -1;
    }
    return s;
}

static const char *const names[] = {"main", "alpha", "beta", "gamma"};
#define N 4

static void test_rates(void **state)
{
    (void)state;
    uint64_t cpu0[N] = {0, 100, 200, 300}, cpu1[N] = {0, 600, 200, 400};
    uint64_t sw0[N] = {0, 0, 10, 0}, sw1[N] = {0, 0, 30, 0};
    tl_snapshot *a = make_snap(1.0, names, cpu0, sw0, N), *b = make_snap(2.0, names, cpu1, sw1, N);
    b->procs[0].threads[3].start_time_ms = 5000;   /* gamma: a reused tid, not the same thread */
    ui_rate *r = rates_compute(a, b);
    assert_non_null(r);
    assert_true(r[1].cpu > 49.9 && r[1].cpu < 50.1);   /* 500 ms of CPU in 1 s */
    assert_true(r[2].cpu == 0 && r[2].csw > 19.9 && r[2].csw < 20.1);
    assert_true(r[3].cpu == 0 && r[3].csw == 0);
    free(r);
    r = rates_compute(NULL, b);                       /* first sample: zeros */
    assert_true(r[1].cpu == 0);
    free(r);
    snapshot_free(a);
    snapshot_free(b);
}

static ui_state *new_state(void)
{
    ui_state *st = calloc(1, sizeof *st);
    st->tree = true;
    st->sort_col = COL_CPU;
    st->sort_desc = true;
    st->lay.table_h = 10;
    return st;
}

static void free_state(ui_state *st)
{
    snapshot_free(st->prev);
    snapshot_free(st->cur);
    free(st->rates);
    free(st->rows);
    statehist_free(st);
    free(st);
}

static const char *row_name(const ui_state *st, size_t i)
{
    return st->rows[i].thread ? st->rows[i].thread->name : "(process)";
}

static void test_tree_sort_filter(void **state)
{
    (void)state;
    uint64_t cpu0[N] = {0, 0, 0, 0}, cpu1[N] = {10, 300, 100, 200}, sw[N] = {0};
    ui_state *st = new_state();
    rows_apply_snapshot(st, make_snap(1.0, names, cpu0, sw, N));
    rows_apply_snapshot(st, make_snap(2.0, names, cpu1, sw, N));
    assert_true(rows_rebuild(st));
    assert_int_equal(st->nrows, 5);
    assert_string_equal(row_name(st, 0), "(process)");
    assert_string_equal(row_name(st, 1), "alpha");   /* CPU% desc: 30, 20, 10, 1 */
    assert_string_equal(row_name(st, 2), "gamma");
    assert_string_equal(row_name(st, 3), "beta");
    assert_string_equal(row_name(st, 4), "main");
    assert_true(st->rows[4].last && !st->rows[3].last);
    assert_true(st->rows[0].proc_cpu > 60.9 && st->rows[0].proc_cpu < 61.1);   /* 1+30+10+20 */

    st->sort_col = COL_NAME;
    st->sort_desc = false;
    assert_true(rows_rebuild(st));
    assert_string_equal(row_name(st, 1), "alpha");
    assert_string_equal(row_name(st, 4), "main");

    strcpy(st->filter, "GA");                       /* case-insensitive substring */
    assert_true(rows_rebuild(st));
    assert_int_equal(st->nrows, 2);
    assert_string_equal(row_name(st, 1), "gamma");
    strcpy(st->filter, "nothing");
    assert_true(rows_rebuild(st));
    assert_int_equal(st->nrows, 0);

    st->filter[0] = 0;
    st->tree = false;                               /* flat: no process row */
    assert_true(rows_rebuild(st));
    assert_int_equal(st->nrows, 4);
    free_state(st);
}

static void test_selection_follows(void **state)
{
    (void)state;
    uint64_t cpu0[N] = {0, 0, 0, 0}, cpu1[N] = {0, 100, 200, 300}, cpu2[N] = {0, 500, 200, 300};
    uint64_t sw[N] = {0};
    ui_state *st = new_state();
    rows_apply_snapshot(st, make_snap(1.0, names, cpu0, sw, N));
    rows_apply_snapshot(st, make_snap(2.0, names, cpu1, sw, N));
    rows_rebuild(st);
    size_t i = 0;
    while (i < st->nrows && strcmp(row_name(st, i), "alpha") != 0)
        i++;
    assert_int_equal(i, 3);                         /* gamma 30%, beta 20%, alpha 10% */
    rows_select_index(st, i);
    rows_apply_snapshot(st, make_snap(3.0, names, cpu2, sw, N));   /* alpha now 40%: first */
    rows_rebuild(st);
    assert_string_equal(row_name(st, st->sel), "alpha");
    assert_int_equal(st->sel, 1);
    free_state(st);
}

static void test_time_and_wait_text(void **state)
{
    (void)state;
    char buf[64];
    columns_format_time(0, buf, sizeof buf);
    assert_string_equal(buf, "0:00.00");
    columns_format_time(61234, buf, sizeof buf);
    assert_string_equal(buf, "1:01.23");
    columns_format_time(25 * 60000 + 7800, buf, sizeof buf);
    assert_string_equal(buf, "25:07.8");
    columns_format_time(3 * 3600000 + 5 * 60000, buf, sizeof buf);
    assert_string_equal(buf, "3h05m");

    tl_thread t;
    memset(&t, 0, sizeof t);
    t.state = 'R';
    assert_string_equal(columns_wait_text(&t, buf, sizeof buf), "(running)");
    t.state = 'S';
    t.syscall.valid = true;
    strcpy(t.syscall.name, "nanosleep");
    assert_string_equal(columns_wait_text(&t, buf, sizeof buf), "nanosleep");
    t.wchan = "hrtimer_nanosleep";
    assert_string_equal(columns_wait_text(&t, buf, sizeof buf), "hrtimer_nanosleep");
    t.wait.kind = TL_WAIT_MUTEX;
    t.wait.owner_tid = 42;
    assert_string_equal(columns_wait_text(&t, buf, sizeof buf), "mutex held by tid 42");
    t.wait.description = "mutex 0x10 held by tid 42 (worker)";
    assert_string_equal(columns_wait_text(&t, buf, sizeof buf), "mutex 0x10 held by tid 42 (worker)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rates),
        cmocka_unit_test(test_tree_sort_filter),
        cmocka_unit_test(test_selection_follows),
        cmocka_unit_test(test_time_and_wait_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
