/* The credentials the JVM's attach trigger file is made with (fsuid, fsgid, groups: the fourth
 * fields of Uid:/Gid: and Groups:), parsed from /proc/PID/status text saved on this machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "platform/linux/jvm_files.h"
#include "test_data.h"

static void nobody_with_groups(void **state)
{
    (void)state;
    char *text = test_data_load("proc/status-nobody-groups.txt", NULL);
    jvm_creds c;
    assert_true(jvm_files_parse_creds(text, &c));
    assert_int_equal(c.fsuid, 65534);
    assert_int_equal(c.fsgid, 65534);
    assert_int_equal(c.ngroups, 2);
    assert_int_equal(c.groups[0], 27);
    assert_int_equal(c.groups[1], 100);
    free(text);
}

static void fourth_field_is_the_fs_id(void **state)
{
    (void)state;
    char *text = test_data_load("proc/status-traced-userns.txt", NULL);   /* Uid: 1000 1001 1002 1003 */
    jvm_creds c;
    assert_true(jvm_files_parse_creds(text, &c));
    assert_int_equal(c.fsuid, 1003);
    assert_int_equal(c.fsgid, 0);
    assert_int_equal(c.ngroups, 0);   /* "Groups:\t " */
    free(text);
}

static void missing_fields_fail(void **state)
{
    (void)state;
    jvm_creds c;
    assert_false(jvm_files_parse_creds("Name:\tx\nUid:\t1\t2\t3\t4\nGroups:\t\n", &c));   /* no Gid */
    assert_false(jvm_files_parse_creds("Name:\tx\nUid:\t1\t2\nGid:\t1\t2\t3\t4\nGroups:\t\n", &c));
    assert_false(jvm_files_parse_creds("Name:\tx\nUid:\t1\t2\t3\t4\nGid:\t1\t2\t3\t4\n", &c));   /* no Groups */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nobody_with_groups),
        cmocka_unit_test(fourth_field_is_the_fs_id),
        cmocka_unit_test(missing_fields_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
