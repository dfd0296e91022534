/* The advice given when the kernel refuses to let us read or trace a process, for each cause:
 * root without CAP_SYS_PTRACE (a container), each Yama scope, another user's process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "platform/linux/ptrace_hint.h"

static const char *hint(unsigned euid, bool cap, int yama)
{
    static char buf[320];
    return ptrace_hint_for(euid, cap, yama, buf, sizeof buf);
}

static void test_container_root(void **state)
{
    (void)state;
    const char *h = hint(0, false, -1);
    assert_non_null(strstr(h, "without the CAP_SYS_PTRACE capability"));
    assert_non_null(strstr(h, "--cap-add SYS_PTRACE"));
    assert_non_null(strstr(h, "kernel.yama.ptrace_scope is not the cause"));
    assert_non_null(strstr(hint(0, false, 1), "kernel.yama.ptrace_scope is 1"));
}

static void test_yama(void **state)
{
    (void)state;
    assert_non_null(strstr(hint(0, true, 3), "kernel.yama.ptrace_scope is 3: no process may trace another"));
    assert_non_null(strstr(hint(1000, false, 3), "is 3"));
    assert_non_null(strstr(hint(1000, false, 2), "kernel.yama.ptrace_scope is 2: only CAP_SYS_PTRACE"));
    assert_non_null(strstr(hint(1000, false, 1), "run as root: kernel.yama.ptrace_scope is 1"));
}

static void test_other_user(void **state)
{
    (void)state;
    assert_non_null(strstr(hint(1000, false, 0), "run as the process's user or as root (kernel.yama.ptrace_scope is 0)"));
    assert_non_null(strstr(hint(1000, false, -1), "run as the process's user or as root"));
    assert_null(strstr(hint(1000, false, -1), "CAP_SYS_PTRACE"));
    assert_non_null(strstr(hint(0, true, 1), "run as the process's user or as root"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_container_root),
        cmocka_unit_test(test_yama),
        cmocka_unit_test(test_other_user),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
