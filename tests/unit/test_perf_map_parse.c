/* The perf map parser (/tmp/perf-PID.map, issue 14 item 6) on the lines real writers produce
 * (node --perf-basic-prof, jcmd Compiler.perfmap) and on hostile ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "platform/linux/perf_map_parse.h"

static const char *name_at(const perf_map *pm, uint64_t addr, uint64_t *start)
{
    const char *n = perf_map_find(pm, addr, start);
    return n ? n : "(none)";
}

static void writers_lines(void **state)
{
    (void)state;
    static const char text[] =
        "3dfae3e57cce 2a JS:~spinInJs /tmp/w14/busy.js:2:18\n"           /* node, no 0x */
        "0x00007f4a6d0e5a00 0x0000000000000128 java.lang.String::hashCode (48 bytes)\r\n" /* JVM */
        "7f192e7c6800 2c8 JS:*spinInJs /tmp/w14/busy.js:2:18\n";
    perf_map pm;
    assert_true(perf_map_parse(text, sizeof text - 1, &pm));
    assert_int_equal(pm.n, 3);
    uint64_t start = 0;
    assert_string_equal(name_at(&pm, 0x3dfae3e57cce, &start), "JS:~spinInJs /tmp/w14/busy.js:2:18");
    assert_int_equal(start, 0x3dfae3e57cce);
    assert_string_equal(name_at(&pm, 0x3dfae3e57cce + 0x29, &start), "JS:~spinInJs /tmp/w14/busy.js:2:18");
    assert_string_equal(name_at(&pm, 0x3dfae3e57cce + 0x2a, &start), "(none)");   /* end excluded */
    assert_string_equal(name_at(&pm, 0x7f4a6d0e5a10, &start), "java.lang.String::hashCode (48 bytes)");
    assert_int_equal(start, 0x7f4a6d0e5a00);
    assert_string_equal(name_at(&pm, 0x7f192e7c6800 - 1, &start), "(none)");
    assert_string_equal(name_at(&pm, 0x7f192e7c6ac7, &start), "JS:*spinInJs /tmp/w14/busy.js:2:18");
    assert_string_equal(name_at(&pm, 0, &start), "(none)");
    perf_map_free(&pm);
}

static void later_line_wins(void **state)
{
    (void)state;   /* code freed and its addresses reused: the later line is the live one */
    static const char text[] = "1000 100 old\n1000 100 new\n0f00 400 outer\n1080 10 inner\n";
    perf_map pm;
    assert_true(perf_map_parse(text, sizeof text - 1, &pm));
    assert_int_equal(pm.n, 4);
    uint64_t start;
    assert_string_equal(name_at(&pm, 0x1000, &start), "outer");   /* the last line holding 0x1000 */
    assert_int_equal(start, 0xf00);
    assert_string_equal(name_at(&pm, 0x1085, &start), "inner");
    assert_int_equal(start, 0x1080);
    assert_string_equal(name_at(&pm, 0x1200, &start), "outer");
    assert_string_equal(name_at(&pm, 0x12ff, &start), "outer");
    assert_string_equal(name_at(&pm, 0x1300, &start), "(none)");
    perf_map_free(&pm);
    static const char two[] = "1000 100 old\n1000 100 new\n";
    assert_true(perf_map_parse(two, sizeof two - 1, &pm));
    assert_string_equal(name_at(&pm, 0x1010, &start), "new");
    perf_map_free(&pm);
}

static void hostile_lines(void **state)
{
    (void)state;
    static const char text[] =
        "zz 10 not hex\n"
        "1000 0 zero size\n"
        "ffffffffffffff00 1000 wraps around\n"
        "12345678901234567 10 seventeen digits\n"
        "2000 10\n"                         /* no name */
        "2000 10 \n"                        /* blank name */
        "3000-10 dash\n"
        "\n\n"
        "4000 10 ok\0with nul\n"
        "5000 10 last line being written";
    perf_map pm;
    assert_true(perf_map_parse(text, sizeof text - 1, &pm));
    assert_int_equal(pm.n, 1);
    uint64_t start;
    assert_string_equal(name_at(&pm, 0x4008, &start), "ok");   /* a NUL ends the name */
    assert_string_equal(name_at(&pm, 0x5000, &start), "(none)");
    assert_string_equal(name_at(&pm, 0x1000, &start), "(none)");
    perf_map_free(&pm);
    assert_true(perf_map_parse("", 0, &pm));
    assert_int_equal(pm.n, 0);
    assert_string_equal(name_at(&pm, 0x1000, &start), "(none)");
    perf_map_free(&pm);
}

static void long_name_cut(void **state)
{
    (void)state;
    size_t len = 4 * PERF_MAP_MAX_NAME;
    char *text = malloc(len + 32);
    assert_non_null(text);
    int head = snprintf(text, 32, "a000 10 ");
    memset(text + head, 'x', len);
    text[head + len] = '\n';
    perf_map pm;
    assert_true(perf_map_parse(text, (size_t)head + len + 1, &pm));
    assert_int_equal(pm.n, 1);
    uint64_t start;
    assert_int_equal(strlen(name_at(&pm, 0xa000, &start)), PERF_MAP_MAX_NAME);
    perf_map_free(&pm);
    free(text);
}

static void line_fields(void **state)
{
    (void)state;
    uint64_t start, size;
    const char *name;
    size_t nlen;
    const char line[] = "0xABC\t 0X10   f g";
    assert_true(perf_map_parse_line(line, sizeof line - 1, &start, &size, &name, &nlen));
    assert_int_equal(start, 0xabc);
    assert_int_equal(size, 0x10);
    assert_int_equal(nlen, 3);
    assert_memory_equal(name, "f g", 3);
    assert_false(perf_map_parse_line("0x 10 f", 7, &start, &size, &name, &nlen));
    assert_false(perf_map_parse_line("10", 2, &start, &size, &name, &nlen));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writers_lines),   cmocka_unit_test(later_line_wins), cmocka_unit_test(hostile_lines),
        cmocka_unit_test(long_name_cut),   cmocka_unit_test(line_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
