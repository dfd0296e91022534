/* Joining the JVM's threads to the native ones (nid == TID, or the namespace TID) and turning
 * the JVM's Java-level deadlock report into the snapshot's deadlock cycles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jvm/jvm.h"
#include "threadlens/java.h"

static const char dump_text[] =
    "Full thread dump Test VM (1 mixed mode):\n\n"
    "\"alpha\" #10 prio=5 os_prio=0 tid=0x1 nid=0x64 waiting for monitor entry  [0x0]\n"
    "   java.lang.Thread.State: BLOCKED (on object monitor)\n"
    "\tat A.run(A.java:1)\n"
    "\t- waiting to lock <0x0000000000000bbb> (a java.lang.Object)\n"
    "\t- locked <0x0000000000000aaa> (a java.lang.Object)\n\n"
    "\"beta\" #11 prio=5 os_prio=0 tid=0x2 nid=0x65 waiting for monitor entry  [0x0]\n"
    "   java.lang.Thread.State: BLOCKED (on object monitor)\n"
    "\tat B.run(B.java:1)\n"
    "\t- waiting to lock <0x0000000000000aaa> (a java.lang.Object)\n"
    "\t- locked <0x0000000000000bbb> (a java.lang.Object)\n\n"
    "\"late\" #12 prio=5 os_prio=0 tid=0x3 nid=0x99 runnable\n"
    "   java.lang.Thread.State: RUNNABLE\n\n"
    "JNI global refs: 1, weak refs: 0\n\n"
    "Found one Java-level deadlock:\n=============================\n"
    "\"alpha\":\n  waiting to lock monitor 0x7f01 (object 0x0000000000000bbb, a java.lang.Object),\n"
    "  which is held by \"beta\"\n"
    "\"beta\":\n  waiting to lock monitor 0x7f02 (object 0x0000000000000aaa, a java.lang.Object),\n"
    "  which is held by \"alpha\"\n\n"
    "Java stack information for the threads listed above:\n"
    "===================================================\n"
    "\"alpha\":\n\tat A.run(A.java:1)\n\nFound 1 deadlock.\n";

/* A snapshot of one process with native threads 100, 101, 102, merged with the dump. */
static tl_snapshot *merged(const int *keys)
{
    tl_snapshot *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->procs = calloc(1, sizeof *s->procs);
    s->nprocs = 1;
    tl_process *p = &s->procs[0];
    p->pid = 100;
    p->threads = calloc(3, sizeof *p->threads);
    p->nthreads = 3;
    for (int i = 0; i < 3; i++)
        p->threads[i].tid = 100 + i;
    p->jvm = calloc(1, sizeof *p->jvm);
    java_dump d;
    tl_error err = {0};
    assert_int_equal(java_dump_parse(dump_text, sizeof dump_text - 1, &d, &err), TL_OK);
    p->jvm->deadlocks = d.deadlocks;
    p->jvm->ndeadlocks = d.ndeadlocks;
    d.deadlocks = NULL;
    d.ndeadlocks = 0;
    assert_true(jvm_merge_threads(p, &d, keys));
    java_dump_clear(&d);
    return s;
}

static void test_join_by_tid(void **state)
{
    (void)state;
    tl_snapshot *s = merged(NULL);
    tl_process *p = &s->procs[0];
    assert_string_equal(p->threads[0].java->name, "alpha");
    assert_string_equal(p->threads[1].java->name, "beta");
    assert_null(p->threads[2].java);
    assert_int_equal(p->jvm->njava_threads, 3);
    assert_int_equal(p->jvm->njoined, 2);
    assert_int_equal(p->jvm->nunjoined, 1);
    assert_string_equal(p->jvm->unjoined[0].name, "late");
    snapshot_free(s);
}

static void test_join_by_namespace_tid(void **state)
{
    (void)state;
    const int keys[] = {0x99, 0x65, 0x64};   /* the JVM's own TIDs of threads 100, 101, 102 */
    tl_snapshot *s = merged(keys);
    tl_process *p = &s->procs[0];
    assert_string_equal(p->threads[0].java->name, "late");
    assert_string_equal(p->threads[1].java->name, "beta");
    assert_string_equal(p->threads[2].java->name, "alpha");
    assert_int_equal(p->jvm->nunjoined, 0);
    snapshot_free(s);
}

static void test_deadlock_reported(void **state)
{
    (void)state;
    tl_snapshot *s = merged(NULL);
    jvm_report_deadlocks(s);
    assert_int_equal(s->ndeadlocks, 1);
    tl_deadlock *d = &s->deadlocks[0];
    assert_true(d->reported_by_jvm);
    assert_int_equal(d->ntids, 2);
    assert_int_equal(d->tids[0], 100);
    assert_int_equal(d->tids[1], 101);
    assert_int_equal(d->edges[0].waiter_tid, 100);
    assert_int_equal(d->edges[0].holder_tid, 101);
    assert_int_equal(d->edges[0].address, 0xbbb);
    assert_true(s->procs[0].threads[0].in_deadlock);
    assert_true(s->procs[0].threads[1].in_deadlock);
    assert_false(s->procs[0].threads[2].in_deadlock);
    jvm_report_deadlocks(s);                  /* the same cycle is not added twice */
    assert_int_equal(s->ndeadlocks, 1);
    snapshot_free(s);
}

static void test_deadlock_thread_missing(void **state)
{
    (void)state;
    tl_snapshot *s = merged(NULL);
    s->procs[0].threads[1].java->name[0] = 'X';   /* "beta" no longer found */
    jvm_report_deadlocks(s);
    assert_int_equal(s->ndeadlocks, 0);
    assert_int_equal(s->nnotes, 1);
    snapshot_free(s);
}

/* The holder of a monitor is the thread with "- locked" on it, unless that thread is in
 * Object.wait() on it (its "- locked" stays in the dump but it has released the monitor). */
static void test_monitor_owner(void **state)
{
    (void)state;
    tl_snapshot *s = merged(NULL);
    tl_process *p = &s->procs[0];
    jvm_find_monitor_owners(p);
    tl_java_lock *alpha_waits = &p->threads[0].java->frames[0].locks[0];
    assert_int_equal(alpha_waits->kind, TL_JLOCK_WAITING_TO_LOCK);
    assert_int_equal(alpha_waits->owner_tid, 101);
    assert_string_equal(alpha_waits->owner_name, "beta");
    /* beta now waits on the monitor alpha wants: it released it, so nobody is known to hold it */
    tl_java_lock *beta_locked = &p->threads[1].java->frames[0].locks[1];
    tl_java_lock *beta_waits = &p->threads[1].java->frames[0].locks[0];
    assert_int_equal(beta_locked->address, 0xbbb);
    beta_waits->kind = TL_JLOCK_WAITING_ON;
    beta_waits->address = 0xbbb;
    free(alpha_waits->owner_name);
    alpha_waits->owner_name = NULL;
    alpha_waits->owner_tid = 0;
    jvm_find_monitor_owners(p);
    assert_int_equal(alpha_waits->owner_tid, 0);
    snapshot_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_join_by_tid),
        cmocka_unit_test(test_join_by_namespace_tid),
        cmocka_unit_test(test_deadlock_reported),
        cmocka_unit_test(test_deadlock_thread_missing),
        cmocka_unit_test(test_monitor_owner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
