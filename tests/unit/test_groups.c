/* Stack groups, the summary and name compression on a saved snapshot: tests/data/groups/pool.json
 * is a real dump of `groups_pool 6` (3 "worker" threads on a condition variable, 2 "reader"
 * threads asleep, 1 "timer" in pause, 12 "lock-waiter" threads on a mutex held by "db-writer",
 * which reads a pipe, "solo" asleep in a stack of its own, the main thread in pause), cut to
 * the fields the grouping reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "test_data.h"
#include "threadlens/groups.h"
#include "threadlens/java.h"

static char *dup_or_null(json_t *v)
{
    return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

static uint64_t hex_of(json_t *v)
{
    return json_is_string(v) ? strtoull(json_string_value(v), NULL, 16) : 0;
}

static tl_wait_kind kind_of(const char *k)
{
    for (int i = 0; i <= TL_WAIT_OTHER; i++)
        if (strcmp(model_wait_kind_name((tl_wait_kind)i), k) == 0)
            return (tl_wait_kind)i;
    fail_msg("unknown wait kind %s", k);
    return TL_WAIT_NONE;
}

static void load_wait(tl_wait *w, json_t *o)
{
    w->fd = -1;
    if (!json_is_object(o))
        return;
    w->kind = kind_of(json_string_value(json_object_get(o, "kind")));
    w->address = hex_of(json_object_get(o, "address"));
    w->owner_tid = (int)json_integer_value(json_object_get(o, "owner_tid"));
    if (json_is_integer(json_object_get(o, "fd")))
        w->fd = (int)json_integer_value(json_object_get(o, "fd"));
    w->object = dup_or_null(json_object_get(o, "object"));
    w->description = dup_or_null(json_object_get(o, "description"));
}

static void load_thread(tl_thread *t, json_t *o)
{
    t->tid = (int)json_integer_value(json_object_get(o, "tid"));
    t->name = dup_or_null(json_object_get(o, "name"));
    t->state = json_string_value(json_object_get(o, "state"))[0];
    t->cpu_user_ms = (uint64_t)json_integer_value(json_object_get(o, "cpu_user_ms"));
    json_t *frames = json_object_get(o, "frames");
    t->nframes = json_array_size(frames);
    t->frames = calloc(t->nframes ? t->nframes : 1, sizeof *t->frames);
    assert_non_null(t->frames);
    for (size_t i = 0; i < t->nframes; i++) {
        json_t *f = json_array_get(frames, i);
        t->frames[i].pc = hex_of(json_object_get(f, "pc"));
        t->frames[i].function = dup_or_null(json_object_get(f, "function"));
        t->frames[i].offset = (uint64_t)json_integer_value(json_object_get(f, "offset"));
        t->frames[i].module = dup_or_null(json_object_get(f, "module"));
    }
    t->stack_error = dup_or_null(json_object_get(o, "stack_error"));
    load_wait(&t->wait, json_object_get(o, "waiting_on"));
}

static tl_snapshot *load_pool(void)
{
    char *text = test_data_load("groups/pool.json", NULL);
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    free(text);
    assert_non_null(root);
    tl_snapshot *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->stacks_taken = json_is_true(json_object_get(root, "stacks_taken"));
    json_t *procs = json_object_get(root, "processes");
    s->nprocs = json_array_size(procs);
    s->procs = calloc(s->nprocs, sizeof *s->procs);
    for (size_t i = 0; i < s->nprocs; i++) {
        json_t *p = json_array_get(procs, i), *threads = json_object_get(p, "threads");
        s->procs[i].pid = (int)json_integer_value(json_object_get(p, "pid"));
        s->procs[i].name = dup_or_null(json_object_get(p, "name"));
        s->procs[i].nthreads = json_array_size(threads);
        s->procs[i].threads = calloc(s->procs[i].nthreads, sizeof(tl_thread));
        for (size_t j = 0; j < s->procs[i].nthreads; j++)
            load_thread(&s->procs[i].threads[j], json_array_get(threads, j));
    }
    json_decref(root);
    return s;
}

static tl_thread *named(tl_snapshot *s, const char *name)
{
    for (size_t i = 0; i < s->procs[0].nthreads; i++)
        if (strcmp(s->procs[0].threads[i].name, name) == 0)
            return &s->procs[0].threads[i];
    fail_msg("no thread %s in the saved snapshot", name);
    return NULL;
}

static tl_groups *build(const tl_snapshot *s)
{
    tl_groups *g = NULL;
    tl_error err = {0};
    assert_int_equal(groups_build(s, &g, &err), TL_OK);
    assert_non_null(g);
    return g;
}

static void assert_counts(const tl_groups *g, size_t n, const size_t *counts)
{
    assert_int_equal(g->procs[0].ngroups, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(g->procs[0].groups[i].count, counts[i]);
        assert_int_equal(g->procs[0].groups[i].id, (int)i + 1);
    }
}

/* Every thread is in exactly one group, or in none and counted as failed. */
static void assert_partition(const tl_snapshot *s, const tl_groups *g)
{
    const tl_process_groups *pg = &g->procs[0];
    size_t seen = 0, none = 0;
    for (size_t j = 0; j < s->procs[0].nthreads; j++) {
        int id = pg->group_of[j], in = 0;
        none += id == 0;
        for (size_t k = 0; k < pg->ngroups; k++)
            for (size_t m = 0; m < pg->groups[k].count; m++)
                in += pg->groups[k].threads[m] == j;
        assert_int_equal(in, id ? 1 : 0);
        if (id)
            assert_int_equal(groups_find(g, id)->proc, 0);
    }
    for (size_t k = 0; k < pg->ngroups; k++)
        seen += pg->groups[k].count;
    assert_int_equal(none, pg->nfailed);
    assert_int_equal(seen + none, s->procs[0].nthreads);
}

static const char *first_name(const tl_snapshot *s, const tl_groups *g, size_t k)
{
    return s->procs[0].threads[g->procs[0].groups[k].threads[0]].name;
}

static void groups_of_the_saved_pool(void **state)
{
    (void)state;
    tl_snapshot *s = load_pool();
    tl_groups *g = build(s);
    assert_false(g->procs[0].by_state);
    assert_counts(g, 7, (size_t[]){12, 3, 2, 1, 1, 1, 1});
    assert_string_equal(first_name(s, g, 0), "lock-waiter-1");
    assert_string_equal(first_name(s, g, 1), "worker-1");
    assert_string_equal(first_name(s, g, 2), "reader-1");
    /* single threads by first tid: main, db-writer, timer-1, solo */
    assert_string_equal(first_name(s, g, 3), "groups_pool");
    assert_string_equal(first_name(s, g, 4), "db-writer");
    assert_string_equal(first_name(s, g, 5), "timer-1");
    assert_string_equal(first_name(s, g, 6), "solo");
    for (size_t m = 1; m < 12; m++)   /* members by ascending tid */
        assert_true(s->procs[0].threads[g->procs[0].groups[0].threads[m - 1]].tid <
                    s->procs[0].threads[g->procs[0].groups[0].threads[m]].tid);
    assert_int_equal(g->procs[0].nfailed, 0);
    assert_partition(s, g);
    assert_null(groups_find(g, 8));
    groups_free(g);
    snapshot_free(s);
}

static void offsets_inside_a_function_do_not_split(void **state)
{
    (void)state;
    tl_snapshot *s = load_pool();
    tl_thread *w2 = named(s, "worker-2");
    w2->frames[0].offset += 8;   /* another place in the same function */
    w2->frames[0].pc += 8;
    tl_groups *g = build(s);
    assert_counts(g, 7, (size_t[]){12, 3, 2, 1, 1, 1, 1});
    groups_free(g);
    /* another function in one frame does split */
    free(w2->frames[1].function);
    w2->frames[1].function = strdup("pthread_cond_timedwait");
    g = build(s);
    assert_counts(g, 8, (size_t[]){12, 2, 2, 1, 1, 1, 1, 1});
    /* singles by first tid: main, db-writer, worker-2, timer-1, solo */
    assert_int_equal(g->procs[0].group_of[w2 - s->procs[0].threads], 6);
    assert_partition(s, g);
    groups_free(g);
    snapshot_free(s);
}

static void unnamed_frames_group_by_module_and_pc(void **state)
{
    (void)state;
    tl_snapshot *s = load_pool();
    tl_thread *r1 = named(s, "reader-1"), *r2 = named(s, "reader-2");
    free(r1->frames[2].function);
    free(r2->frames[2].function);
    r1->frames[2].function = r2->frames[2].function = NULL;
    tl_groups *g = build(s);
    assert_counts(g, 7, (size_t[]){12, 3, 2, 1, 1, 1, 1});   /* same module, same pc */
    groups_free(g);
    r2->frames[2].pc += 4;
    g = build(s);
    assert_counts(g, 8, (size_t[]){12, 3, 1, 1, 1, 1, 1, 1});
    groups_free(g);
    snapshot_free(s);
}

static void java_frames_are_part_of_the_stack(void **state)
{
    (void)state;
    tl_snapshot *s = load_pool();
    const char *methods[] = {"Pool.take", "Pool.take", "Pool.put"};
    const char *workers[] = {"worker-1", "worker-2", "worker-3"};
    for (int i = 0; i < 3; i++) {
        tl_java_thread *jt = calloc(1, sizeof *jt);
        assert_non_null(jt);
        jt->frames = calloc(1, sizeof *jt->frames);
        jt->nframes = 1;
        jt->frames[0].method = strdup(methods[i]);
        jt->frames[0].location = strdup("Pool.java:12");
        named(s, workers[i])->java = jt;
    }
    tl_groups *g = build(s);
    assert_counts(g, 8, (size_t[]){12, 2, 2, 1, 1, 1, 1, 1});
    assert_string_equal(first_name(s, g, 1), "worker-1");
    groups_free(g);
    snapshot_free(s);
}

static void failed_stacks_are_counted_not_grouped(void **state)
{
    (void)state;
    tl_snapshot *s = load_pool();
    tl_thread *r1 = named(s, "reader-1");
    r1->stack_error = strdup("thread exited while its stack was read");
    tl_groups *g = build(s);
    assert_false(g->procs[0].by_state);
    assert_int_equal(g->procs[0].nfailed, 1);
    assert_int_equal(g->procs[0].group_of[r1 - s->procs[0].threads], 0);
    assert_counts(g, 7, (size_t[]){12, 3, 1, 1, 1, 1, 1});
    assert_partition(s, g);
    tl_summary sum;
    tl_error err = {0};
    assert_int_equal(summary_build(s, g, &sum, &err), TL_OK);
    assert_int_equal(sum.nfailed, 1);
    assert_int_equal(sum.nunique, 5);
    groups_free(g);
    snapshot_free(s);
}

static void without_stacks_by_state_and_wait(void **state)
{
    (void)state;
    tl_snapshot *s = load_pool();
    s->stacks_taken = false;
    tl_groups *g = build(s);
    assert_true(g->procs[0].by_state);
    /* mutex 12; condition 3; asleep: 2 readers and solo; pause: main and timer-1; the pipe 1 */
    assert_counts(g, 5, (size_t[]){12, 3, 3, 2, 1});
    assert_string_equal(first_name(s, g, 3), "groups_pool");
    assert_string_equal(first_name(s, g, 4), "db-writer");
    assert_int_equal(g->procs[0].nfailed, 0);
    assert_partition(s, g);
    groups_free(g);
    /* a process where every stack failed (permission denied) is grouped the same way */
    s->stacks_taken = true;
    for (size_t j = 0; j < s->procs[0].nthreads; j++)
        s->procs[0].threads[j].stack_error = strdup("no permission");
    g = build(s);
    assert_true(g->procs[0].by_state);
    assert_counts(g, 5, (size_t[]){12, 3, 3, 2, 1});
    groups_free(g);
    snapshot_free(s);
}

static void summary_of_the_saved_pool(void **state)
{
    (void)state;
    tl_snapshot *s = load_pool();
    named(s, "solo")->cpu_user_ms = 3;
    named(s, "worker-2")->state = 'R';
    tl_groups *g = build(s);
    tl_summary sum;
    tl_error err = {0};
    assert_int_equal(summary_build(s, g, &sum, &err), TL_OK);
    assert_int_equal(sum.nthreads, 21);
    assert_int_equal(sum.states['S'], 20);
    assert_int_equal(sum.states['R'], 1);
    assert_int_equal(sum.cpu_used, 1);
    assert_int_equal(sum.ntop, 3);
    assert_int_equal(sum.nshared_groups, 3);
    assert_int_equal(sum.top[0]->id, 1);
    assert_int_equal(sum.top[1]->id, 2);
    assert_int_equal(sum.top[2]->id, 3);
    assert_int_equal(sum.nunique, 4);
    assert_int_equal(sum.nwaited, 2);
    const tl_thread *owner = named(s, "db-writer");
    assert_string_equal(sum.waited[0].kind, "mutex");
    assert_int_equal(sum.waited[0].waiters, 12);
    assert_int_equal(sum.waited[0].owner_tid, owner->tid);
    assert_ptr_equal(sum.waited[0].owner, owner);
    assert_int_equal(sum.waited[0].owner->wait.kind, TL_WAIT_FD);   /* the chain's next step */
    assert_int_equal(sum.waited[0].fd, -1);
    assert_string_equal(sum.waited[1].kind, "condvar");
    assert_int_equal(sum.waited[1].waiters, 3);
    assert_int_equal(sum.waited[1].owner_tid, 0);
    assert_null(sum.waited[1].owner);
    groups_free(g);
    snapshot_free(s);
}

static void waits_of_a_group_most_common_first(void **state)
{
    (void)state;
    tl_snapshot *s = load_pool();
    tl_thread *w3 = named(s, "lock-waiter-3");
    w3->wait.address += 64;
    w3->wait.owner_tid = 0;
    tl_groups *g = build(s);
    tl_group_wait w[4];
    size_t n = groups_waits(s, &g->procs[0].groups[0], w, 4);
    assert_int_equal(n, 2);
    assert_int_equal(w[0].count, 11);
    assert_int_equal(w[1].count, 1);
    assert_ptr_equal(w[1].wait, &w3->wait);
    assert_int_equal(groups_waits(s, &g->procs[0].groups[0], w, 1), 2);   /* all counted, one kept */
    groups_free(g);
    snapshot_free(s);
}

static void assert_compressed(const char *const *names, size_t n, size_t budget, bool quote, const char *want)
{
    char *got = groups_names_compress(names, n, budget, quote);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void names_compress_runs_repeats_and_more(void **state)
{
    (void)state;
    const char *names[40];
    char buf[40][16];
    for (int i = 0; i < 37; i++) {   /* given out of order: compression sorts */
        snprintf(buf[i], sizeof buf[i], "worker-%d", (i * 7) % 37 + 1);
        names[i] = buf[i];
    }
    assert_compressed(names, 37, 80, false, "worker-1..worker-37");
    assert_compressed(names, 37, 80, true, "\"worker-1\"..\"worker-37\"");
    names[37] = "db";
    names[38] = "db";
    names[39] = "db";
    assert_compressed(names, 40, 80, false, "db (x3), worker-1..worker-37");
    assert_compressed(names, 40, 10, false, "db (x3) +37 more");
    assert_compressed(names, 40, 1, false, "db (x3) +37 more");   /* the first item always shows */
    const char *gaps[] = {"w-1", "w-2", "w-3", "w-5", "w-6", "w-01", "w-02", "w-03"};
    assert_compressed(gaps, 8, 80, false, "w-1..w-3, w-5, w-6, w-01, w-02, w-03");
    const char *many[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"};
    assert_compressed(many, 6, 20, false, "alpha, beta, delta +3 more");
    assert_compressed(many, 0, 20, false, "");
}

static void tids_as_ranges(void **state)
{
    (void)state;
    tl_snapshot *s = load_pool();
    tl_groups *g = build(s);
    const tl_stack_group *grp = &g->procs[0].groups[0];
    int first = s->procs[0].threads[grp->threads[0]].tid;
    char *t = groups_tids(s, grp, 80), want[64];
    snprintf(want, sizeof want, "%d..%d", first, first + 11);
    assert_string_equal(t, want);
    free(t);
    t = groups_tids(s, &g->procs[0].groups[2], 80);   /* two threads: no range */
    snprintf(want, sizeof want, "%d, %d", s->procs[0].threads[g->procs[0].groups[2].threads[0]].tid,
             s->procs[0].threads[g->procs[0].groups[2].threads[1]].tid);
    assert_string_equal(t, want);
    free(t);
    char *names = groups_names(s, grp, 80, true);
    assert_string_equal(names, "\"lock-waiter-1\"..\"lock-waiter-12\"");
    free(names);
    groups_free(g);
    snapshot_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(groups_of_the_saved_pool),
        cmocka_unit_test(offsets_inside_a_function_do_not_split),
        cmocka_unit_test(unnamed_frames_group_by_module_and_pc),
        cmocka_unit_test(java_frames_are_part_of_the_stack),
        cmocka_unit_test(failed_stacks_are_counted_not_grouped),
        cmocka_unit_test(without_stacks_by_state_and_wait),
        cmocka_unit_test(summary_of_the_saved_pool),
        cmocka_unit_test(waits_of_a_group_most_common_first),
        cmocka_unit_test(names_compress_runs_repeats_and_more),
        cmocka_unit_test(tids_as_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
