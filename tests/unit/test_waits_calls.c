/* Decoding a blocked thread's system call (src/platform/linux/waits_calls.c): the argument
 * that matters for each call, and what a restart_syscall continues, told by the wait channel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "platform/platform.h"

static tl_syscall call(const char *name, long nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    tl_syscall sc;
    memset(&sc, 0, sizeof sc);
    sc.valid = true;
    sc.nr = nr;
    sc.args[0] = a0;
    sc.args[1] = a1;
    sc.args[2] = a2;
    sc.args[5] = 0xffffffff;
    strcpy(sc.name, name);
    return sc;
}

static platform_call decode(const tl_syscall *sc, const char *wchan)
{
    platform_call c;
    platform_decode_call(sc, wchan, &c);
    return c;
}

static void calls_by_name(void **state)
{
    (void)state;
    tl_syscall sc = call("read", 0, 7, 0x1000, 10);
    platform_call c = decode(&sc, NULL);
    assert_int_equal(c.kind, PLATFORM_CALL_FD);
    assert_int_equal(c.fd, 7);
    assert_int_equal(c.dir, PLATFORM_DIR_IN);
    sc = call("futex", 202, 0x5000, 0x189, 0);   /* WAIT_BITSET | PRIVATE | CLOCK_REALTIME */
    c = decode(&sc, "futex_do_wait");
    assert_int_equal(c.kind, PLATFORM_CALL_FUTEX);
    assert_int_equal(c.addr, 0x5000);
    assert_int_equal(c.futex_op, PLATFORM_FUTEX_WAIT_BITSET);
    assert_true(c.futex_private);
    assert_true(c.futex_realtime);
    assert_false(c.timed);                        /* no timeout pointer in args[3] */
    assert_string_equal(c.name, "futex");
    sc.args[3] = 0x7ffd0000;
    assert_true(decode(&sc, NULL).timed);
    sc = call("poll", 7, 0x7000, 1, (uint32_t)-1);  /* poll(fds, 1, -1): forever */
    assert_false(decode(&sc, NULL).timed);
    sc.args[2] = 600000;
    assert_true(decode(&sc, NULL).timed);
    sc = call("epoll_wait", 232, 3, 0x7000, 16);    /* timeout in args[3]: 0 here */
    assert_true(decode(&sc, NULL).timed);
    sc.args[3] = 0xffffffff;
    assert_false(decode(&sc, NULL).timed);
    sc = call("getpid", 39, 0, 0, 0);
    assert_int_equal(decode(&sc, NULL).kind, PLATFORM_CALL_OTHER);
    sc = call("read", 0, 7, 0, 0);
    sc.running = true;
    assert_int_equal(decode(&sc, NULL).kind, PLATFORM_CALL_NONE);
}

/* The arguments of the interrupted call are still there; the wait channel names the call. */
static void restart_syscall_by_wait_channel(void **state)
{
    (void)state;
    tl_syscall sc = call("restart_syscall", 219, 0x5000, 0x189, 0);
    platform_call c = decode(&sc, "futex_wait_queue");
    assert_int_equal(c.kind, PLATFORM_CALL_FUTEX);
    assert_int_equal(c.addr, 0x5000);
    assert_int_equal(c.futex_op, PLATFORM_FUTEX_WAIT_BITSET);
    assert_int_equal(decode(&sc, "futex_do_wait").kind, PLATFORM_CALL_FUTEX);

    sc = call("restart_syscall", 219, 0x7000, 1, 3600000);
    c = decode(&sc, "poll_schedule_timeout.constprop.0");
    assert_int_equal(c.kind, PLATFORM_CALL_POLL);
    assert_int_equal(c.addr, 0x7000);
    assert_int_equal(c.count, 1);
    assert_string_equal(c.name, "poll");             /* what the thread waits in, said so */
    assert_true(c.timed);                            /* only timed waits are restarted */

    sc = call("restart_syscall", 219, 0, 0, 0x7fff0000);
    assert_int_equal(decode(&sc, "do_syscall_64").kind, PLATFORM_CALL_SLEEP);      /* what remains */
    assert_null(decode(&sc, "do_syscall_64").name);   /* nanosleep or clock_nanosleep: not said */
    assert_int_equal(decode(&sc, "hrtimer_nanosleep").kind, PLATFORM_CALL_SLEEP);
    assert_int_equal(decode(&sc, NULL).kind, PLATFORM_CALL_OTHER);                 /* nothing to go on */
    assert_int_equal(decode(&sc, "").kind, PLATFORM_CALL_OTHER);
    assert_int_equal(decode(&sc, "ep_poll").kind, PLATFORM_CALL_OTHER);            /* never restarted so */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calls_by_name),
        cmocka_unit_test(restart_syscall_by_wait_channel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
