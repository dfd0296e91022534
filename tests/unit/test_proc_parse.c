/* The /proc parsers (src/platform/linux/proc_parse.h) on kernel text saved in tests/data/proc
 * and on malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "platform/linux/proc_parse.h"
#include "platform/linux/thread_read.h"
#include "test_data.h"



static void status_of_a_thread(void **state)
{
    (void)state;
    char *text = test_data_load("proc/status-thread.txt", NULL);
    proc_status_fields f;
    proc_parse_status(text, &f);
    assert_int_equal(f.voluntary_ctxt_switches, 1);
    assert_int_equal(f.nonvoluntary_ctxt_switches, 1);
    assert_int_equal(f.tracer_pid, 0);
    assert_int_equal(f.uid, 0);
    assert_int_equal(f.nspid, 26722);
    assert_string_equal(f.sig_blocked, "0000000000000000");
    free(text);
}

/* Name keeps the raw bytes: the kernel escapes only a newline ("\\n") and a backslash. */
static void status_name_unescaped(void **state)
{
    (void)state;
    proc_status_fields f;
    proc_parse_status("Name:\ta\\nb\\\\c\x1b\xff\tz\nUmask:\t0022\n", &f);
    assert_string_equal(f.name, "a\nb\\c\x1b\xff\tz");
    proc_parse_status("Umask:\t0022\n", &f);
    assert_string_equal(f.name, "");
}

/* A comm holding ") " must not shift the fields: parsing starts after the last ')'. */
static void stat_with_parenthesised_name(void **state)
{
    (void)state;
    char *text = test_data_load("proc/stat-paren-name.txt", NULL);
    proc_stat_fields f;
    assert_true(proc_parse_stat(text, &f));
    assert_int_equal(f.state, 'S');
    assert_int_equal(f.ppid, 1);
    /* the process's own fields (platform_read_process) */
    assert_int_equal(f.flags, 4194560);
    assert_int_equal(f.num_threads, 3);
    assert_int_equal(f.vsize_bytes, 10000000);
    assert_int_equal(f.rss_pages, 500);
    assert_int_equal(f.minor_faults, 1234);
    assert_int_equal(f.major_faults, 5);
    assert_int_equal(f.utime_ticks, 271);
    assert_int_equal(f.stime_ticks, 113);
    assert_int_equal(f.priority, 20);
    assert_int_equal(f.nice, 0);
    assert_int_equal(f.start_ticks, 98765);
    assert_int_equal(f.processor, 1);
    assert_string_equal(f.comm, "a) b) c");   /* the live reader's thread name */
    free(text);
}

/* comm is raw bytes (no escapes in stat); a longer one than the buffer is cut, not overrun. */
static void stat_comm_raw_and_bounded(void **state)
{
    (void)state;
    proc_stat_fields f;
    assert_true(proc_parse_stat("7 (tab\there\n\xff) R 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0", &f));
    assert_string_equal(f.comm, "tab\there\n\xff");
    char text[400];
    snprintf(text, sizeof text, "7 (%0200d) S 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0", 1);
    assert_true(proc_parse_stat(text, &f));
    assert_int_equal(strlen(f.comm), sizeof f.comm - 1);
    assert_int_equal(f.state, 'S');
    /* the parent, right after the state: the process tree by parents (tree.c) */
    assert_true(proc_parse_stat("9 (p) 4321 (x) Z 4321 9 9 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0", &f));
    assert_int_equal(f.ppid, 4321);
    assert_int_equal(f.state, 'Z');
}

/* The thread reader's fill (every path: the dump, the live view, the stack pass) on a stat of
 * a SCHED_FIFO thread: every field, clock ticks to ms, the name the comm's raw bytes. */
static void thread_fill_every_stat_field(void **state)
{
    (void)state;
    const char *text = "77 (w) x\\y) D 1 7 7 0 -1 4194560 4321 0 8 0 250 125 0 0 -6 -3 9 0 123456 "
                       "10000000 500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 5 1 0 0 0";
    tl_thread t = {0};
    assert_int_equal(thread_read_fill_stat(100, text, &t), TL_OK);
    assert_string_equal(t.name, "w) x\\y");
    assert_int_equal(t.state, 'D');
    assert_int_equal(t.minor_faults, 4321);
    assert_int_equal(t.major_faults, 8);
    assert_int_equal(t.cpu_user_ms, 2500);
    assert_int_equal(t.cpu_system_ms, 1250);
    assert_int_equal(t.priority, -6);
    assert_int_equal(t.nice, -3);
    assert_int_equal(t.start_time_ms, 1234560);
    assert_int_equal(t.last_cpu, 1);
    assert_int_equal(t.rt_priority, 5);
    assert_int_equal(t.policy, 1);
    free(t.name);
    t.name = NULL;
    assert_int_equal(thread_read_fill_stat(100, "77 (w) D 1", &t), TL_EIO);
    assert_null(t.name);
}

static void schedstat_fields(void **state)
{
    (void)state;
    proc_schedstat_fields f;
    assert_true(proc_parse_schedstat("867366 2210 4\n", &f));
    assert_int_equal(f.run_ns, 867366);
    assert_int_equal(f.wait_ns, 2210);
    assert_int_equal(f.timeslices, 4);
    assert_true(proc_parse_schedstat("0 0 0\n", &f));   /* no sched_info: the reader reads status */
    assert_int_equal(f.run_ns + f.timeslices, 0);
    assert_false(proc_parse_schedstat("", &f));
    assert_false(proc_parse_schedstat("12 34\n", &f));
    assert_false(proc_parse_schedstat("-1 2 3\n", &f));
    assert_false(proc_parse_schedstat("a b c", &f));
}

static void stat_malformed(void **state)
{
    (void)state;
    proc_stat_fields f;
    assert_false(proc_parse_stat("", &f));
    assert_false(proc_parse_stat("12 (no close paren S 1 2", &f));
    assert_false(proc_parse_stat("12 (x)", &f));
    assert_false(proc_parse_stat("12 (x) S 1 2 3", &f));
}

static void status_traced_in_a_namespace(void **state)
{
    (void)state;
    char *text = test_data_load("proc/status-traced-userns.txt", NULL);
    proc_status_fields f;
    proc_parse_status(text, &f);
    assert_true(f.voluntary_ctxt_switches == 5000000000ULL);
    assert_int_equal(f.nonvoluntary_ctxt_switches, 77);
    assert_int_equal(f.tracer_pid, 4711);
    assert_int_equal(f.uid, 1000);          /* the real uid: the first of four */
    assert_int_equal(f.nspid, 3);           /* the innermost namespace: the last */
    assert_string_equal(f.sig_blocked, "0000000000014a02");
    free(text);
}

static void status_of_a_process_and_a_kernel_thread(void **state)
{
    (void)state;
    char *text = test_data_load("proc/status-process.txt", NULL);
    proc_status_fields f;
    proc_parse_status(text, &f);
    assert_int_equal(f.nspid, 26717);
    assert_int_equal(strlen(f.sig_blocked), 16);
    free(text);
    text = test_data_load("proc/status-kthread.txt", NULL);
    proc_parse_status(text, &f);
    assert_int_equal(f.nspid, 2);
    assert_int_equal(f.uid, 0);
    free(text);
}

static void status_malformed(void **state)
{
    (void)state;
    proc_status_fields f;
    memset(&f, 0x5a, sizeof f);
    proc_parse_status("", &f);
    assert_int_equal(f.voluntary_ctxt_switches, 0);
    assert_int_equal(f.tracer_pid, 0);
    assert_int_equal(f.nspid, 0);
    assert_string_equal(f.sig_blocked, "");
    /* keys must start a line and be followed by ':'; values may be junk or missing */
    proc_parse_status("xTracerPid:\t9\nTracerPidX:\t8\nUid:\nNSpid:\tabc\n"
                      "SigBlk:\t00000000000000000000ffff\nvoluntary_ctxt_switches:", &f);
    assert_int_equal(f.tracer_pid, 0);
    assert_int_equal(f.uid, 0);
    assert_int_equal(f.nspid, 0);
    assert_int_equal(strlen(f.sig_blocked), 16);   /* bounded by the field, not the input */
    assert_int_equal(f.voluntary_ctxt_switches, 0);
    /* nonvoluntary_... must not be taken for voluntary_... */
    proc_parse_status("nonvoluntary_ctxt_switches:\t5\n", &f);
    assert_int_equal(f.voluntary_ctxt_switches, 0);
    assert_int_equal(f.nonvoluntary_ctxt_switches, 5);
}

static void syscall_blocked(void **state)
{
    (void)state;
    char *text = test_data_load("proc/syscall-blocked.txt", NULL);
    tl_syscall sc;
    assert_true(proc_parse_syscall(text, &sc));
    assert_true(sc.valid);
    assert_false(sc.running);
    assert_int_equal(sc.nr, 34);   /* pause */
    assert_int_equal(sc.args[2], 2);
    assert_true(sc.args[4] == 0x557285d720c0ULL);
    assert_int_equal(sc.args[5], 5);
    assert_true(sc.sp == 0x7febcdf0dea0ULL);
    assert_true(sc.pc == 0x7febcf7e8df2ULL);
    free(text);
}

static void syscall_read_nr_zero(void **state)
{
    (void)state;
    char *text = test_data_load("proc/syscall-read.txt", NULL);
    tl_syscall sc;
    assert_true(proc_parse_syscall(text, &sc));
    assert_int_equal(sc.nr, 0);
    assert_false(sc.running);
    assert_int_equal(sc.args[0], 3);
    assert_int_equal(sc.args[2], 0x20000);
    assert_true(sc.args[4] == 0xffffffffULL);
    assert_true(sc.pc == 0x7f13b36c52adULL);
    free(text);
}

static void syscall_running(void **state)
{
    (void)state;
    char *text = test_data_load("proc/syscall-running.txt", NULL);
    tl_syscall sc;
    memset(&sc, 0x5a, sizeof sc);
    assert_true(proc_parse_syscall(text, &sc));
    assert_true(sc.valid);
    assert_true(sc.running);
    assert_int_equal(sc.nr, -1);
    assert_int_equal(sc.sp, 0);
    assert_string_equal(sc.name, "");
    free(text);
}

static void syscall_outside_a_call(void **state)
{
    (void)state;
    char *text = test_data_load("proc/syscall-interrupted.txt", NULL);
    tl_syscall sc;
    assert_true(proc_parse_syscall(text, &sc));
    assert_true(sc.valid);
    assert_false(sc.running);
    assert_int_equal(sc.nr, -1);
    assert_true(sc.sp == 0x7ffd3a6b1e28ULL);
    assert_true(sc.pc == 0x7f13b36c52adULL);
    for (int i = 0; i < 6; i++)
        assert_int_equal(sc.args[i], 0);
    free(text);
}

static void syscall_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "\n", "runnin", "abc 0x1 0x2", "34", "34 0x1", "34 0x1 0x2 0x3 0x4 0x5 0x6 0x7",
        "34 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8 0x9", "34 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0xzz",
        "-1 0x7ffd", "-1 0x1 0x2 0x3", "34 0x1 0x2 0x3 0x4 0x5 0x6 0x7 junk",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tl_syscall sc;
        memset(&sc, 0x5a, sizeof sc);
        if (proc_parse_syscall(bad[i], &sc))
            fail_msg("accepted malformed syscall text '%s'", bad[i]);
        assert_false(sc.valid);
    }
}

static void cmdline_joined_with_spaces(void **state)
{
    (void)state;
    size_t len;
    char *raw = test_data_load("proc/cmdline-bash.bin", &len);
    char *s = proc_join_cmdline(raw, len);
    assert_string_equal(s, "bash -c echo hi");
    free(s);
    free(raw);
    raw = test_data_load("proc/cmdline-setproctitle.bin", &len);
    s = proc_join_cmdline(raw, len);
    assert_string_equal(s, "nginx: worker process");   /* padding NULs dropped */
    free(s);
    free(raw);
}

static void cmdline_edge_cases(void **state)
{
    (void)state;
    char *s = proc_join_cmdline("", 0);
    assert_string_equal(s, "");
    free(s);
    s = proc_join_cmdline("\0\0\0", 3);
    assert_string_equal(s, "");
    free(s);
    s = proc_join_cmdline("a\0\0b", 4);          /* an empty argument keeps its place */
    assert_string_equal(s, "a  b");
    free(s);
    s = proc_join_cmdline("no-terminator", 13);  /* rewritten by the program: no final NUL */
    assert_string_equal(s, "no-terminator");
    free(s);
    s = proc_join_cmdline("x\0yz", 2);           /* only len bytes are read */
    assert_string_equal(s, "x");
    free(s);
}

static void pid_list_from_children_file(void **state)
{
    (void)state;
    char *text = test_data_load("proc/children.txt", NULL);
    int *pids = NULL;
    size_t n = 0;
    assert_true(proc_parse_pid_list(text, &pids, &n));
    assert_int_equal(n, 3);
    assert_int_equal(pids[0], 1234);
    assert_int_equal(pids[1], 1240);
    assert_int_equal(pids[2], 99999);
    assert_true(proc_parse_pid_list("7\n8", &pids, &n));   /* appends */
    assert_int_equal(n, 5);
    assert_int_equal(pids[3], 7);
    assert_int_equal(pids[4], 8);
    free(pids);
    free(text);
}

static void pid_list_malformed(void **state)
{
    (void)state;
    int *pids = NULL;
    size_t n = 0;
    assert_true(proc_parse_pid_list("", &pids, &n));
    assert_int_equal(n, 0);
    assert_null(pids);
    assert_true(proc_parse_pid_list("-5 0 x 2147483648 99999999999999999999 12abc 2147483647", &pids, &n));
    assert_int_equal(n, 2);
    assert_int_equal(pids[0], 12);
    assert_int_equal(pids[1], 2147483647);
    free(pids);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_of_a_thread),
        cmocka_unit_test(status_name_unescaped),
        cmocka_unit_test(stat_with_parenthesised_name),
        cmocka_unit_test(stat_malformed),
        cmocka_unit_test(stat_comm_raw_and_bounded),
        cmocka_unit_test(schedstat_fields),
        cmocka_unit_test(thread_fill_every_stat_field),
        cmocka_unit_test(status_traced_in_a_namespace),
        cmocka_unit_test(status_of_a_process_and_a_kernel_thread),
        cmocka_unit_test(status_malformed),
        cmocka_unit_test(syscall_blocked),
        cmocka_unit_test(syscall_read_nr_zero),
        cmocka_unit_test(syscall_running),
        cmocka_unit_test(syscall_outside_a_call),
        cmocka_unit_test(syscall_malformed),
        cmocka_unit_test(cmdline_joined_with_spaces),
        cmocka_unit_test(cmdline_edge_cases),
        cmocka_unit_test(pid_list_from_children_file),
        cmocka_unit_test(pid_list_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
