/* /proc/PID/task/TID/stack text: saved from a thread reading a file of a stopped FUSE daemon
 * (tests/data/kstack_fuse.txt), plus module suffixes, raw addresses and garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "platform/linux/kstack_parse.h"
#include "test_data.h"

static void test_saved_fuse_stack(void **state)
{
    (void)state;
    char *text = test_data_load("kstack_fuse.txt", NULL);
    tl_kernel_frame *f;
    size_t n;
    assert_true(kstack_parse(text, &f, &n));
    assert_int_equal(n, 7);
    assert_string_equal(f[0].function, "folio_wait_bit_common");
    assert_int_equal(f[0].offset, 0x167);
    assert_int_equal(f[0].size, 0x370);
    assert_null(f[0].module);
    assert_string_equal(f[6].function, "entry_SYSCALL_64_after_hwframe");
    assert_int_equal(f[6].offset, 0x76);
    kernel_frames_free(f, n);
    free(text);
}

static void test_module_and_raw_address(void **state)
{
    (void)state;
    tl_kernel_frame *f;
    size_t n;
    assert_true(kstack_parse("[<ffffffffc0a1b2c3>] fuse_wait_answer+0x3e/0x90 [fuse]\n"
                             "[<0>] 0xffffffffc0a1b2c3\n", &f, &n));
    assert_int_equal(n, 2);
    assert_string_equal(f[0].function, "fuse_wait_answer");
    assert_string_equal(f[0].module, "fuse");
    assert_string_equal(f[1].function, "0xffffffffc0a1b2c3");
    assert_int_equal(f[1].offset, 0);
    kernel_frames_free(f, n);
}

static void test_garbage_and_bounds(void **state)
{
    (void)state;
    tl_kernel_frame *f;
    size_t n;
    assert_true(kstack_parse("", &f, &n));
    assert_int_equal(n, 0);
    assert_null(f);
    assert_true(kstack_parse("no frame here\n[<0>]\n[<0>] +0x1/0x2\n[<0>] f+0xZZ/0x1\n[<0>] g+0x11111111111111111/0x1\n",
                             &f, &n));
    assert_int_equal(n, 0);
    /* control bytes in a name are shown as '?'; more than 64 lines are cut at 64 */
    char big[100 * 32] = "";
    for (int i = 0; i < 100; i++)
        strcat(big, "[<0>] a\x1b" "b+0x1/0x2\n");
    assert_true(kstack_parse(big, &f, &n));
    assert_int_equal(n, KSTACK_MAX_FRAMES);
    assert_string_equal(f[63].function, "a?b");
    kernel_frames_free(f, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saved_fuse_stack),
        cmocka_unit_test(test_module_and_raw_address),
        cmocka_unit_test(test_garbage_and_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
