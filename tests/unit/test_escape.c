/* Escaping of target-written text (include/threadlens/escape.h): terminal escaping of controls,
 * C1 controls and invalid UTF-8, truncation that never splits a character or an escape, and
 * the JSON-side cleaning that keeps valid UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "threadlens/escape.h"

#define ZH "\xe5\xb7\xa5\xe4\xbd\x9c\xe7\xba\xbf\xe7\xa8\x8b"   /* 工作线程 */

static void expect_terminal(const char *in, const char *want)
{
    char out[512];
    size_t n = escape_terminal(in, out, sizeof out);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
    char *dup = escape_terminal_dup(in);
    assert_non_null(dup);
    assert_string_equal(dup, want);
    free(dup);
}

static void printable_ascii_is_kept(void **state)
{
    (void)state;
    expect_terminal("worker-1 [pool] ~x", "worker-1 [pool] ~x");
    expect_terminal("", "");
    expect_terminal(NULL, "");
}

static void c0_controls_and_del_are_escaped(void **state)
{
    (void)state;
    expect_terminal("\x1b[31mred", "\\x1b[31mred");
    expect_terminal("a\tb\nc\rd\x07" "e\x7f", "a\\x09b\\x0ac\\x0dd\\x07e\\x7f");
    expect_terminal("\x01\x1f", "\\x01\\x1f");
    expect_terminal("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07");
}

static void backslash_is_doubled(void **state)
{
    (void)state;
    /* so that a name containing the text "\x1b" cannot pass for an escaped ESC */
    expect_terminal("a\\x1b", "a\\\\x1b");
}

static void c1_controls_are_escaped(void **state)
{
    (void)state;
    expect_terminal("\xc2\x9b" "31m", "\\u009b31m");   /* CSI */
    expect_terminal("\xc2\x80\xc2\x9f", "\\u0080\\u009f");
    expect_terminal("\xc2\xa0|\xc3\xa9", "\xc2\xa0|\xc3\xa9");   /* U+00A0, é: not controls */
}

static void valid_utf8_is_kept(void **state)
{
    (void)state;
    expect_terminal(ZH, ZH);
    expect_terminal("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");      /* U+1F600: 4 bytes */
    expect_terminal("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");      /* U+10FFFF: the last */
    expect_terminal("\xef\xbf\xbd", "\xef\xbf\xbd");              /* U+FFFD */
}

static void invalid_utf8_bytes_are_escaped(void **state)
{
    (void)state;
    expect_terminal("bad\xff\xfeutf8", "bad\\xff\\xfeutf8");
    expect_terminal("\x80", "\\x80");                      /* lone continuation byte */
    expect_terminal("\xe4\xb8", "\\xe4\\xb8");             /* truncated at the end */
    expect_terminal("\xe4\xb8x", "\\xe4\\xb8x");           /* truncated before ASCII */
    expect_terminal("\xf8\x88\x80\x80\x80", "\\xf8\\x88\\x80\\x80\\x80");  /* 5-byte form */
}

static void overlong_forms_are_escaped(void **state)
{
    (void)state;
    expect_terminal("\xc0\xaf", "\\xc0\\xaf");             /* '/' in two bytes */
    expect_terminal("\xc1\xbf", "\\xc1\\xbf");
    expect_terminal("\xe0\x80\xaf", "\\xe0\\x80\\xaf");
    expect_terminal("\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf");
    expect_terminal("\xc0\x9b", "\\xc0\\x9b");             /* an overlong ESC stays escaped */
}

static void surrogates_and_beyond_unicode_are_escaped(void **state)
{
    (void)state;
    expect_terminal("\xed\xa0\x80", "\\xed\\xa0\\x80");    /* U+D800 */
    expect_terminal("\xed\xbf\xbf", "\\xed\\xbf\\xbf");    /* U+DFFF */
    expect_terminal("\xed\x9f\xbf", "\xed\x9f\xbf");       /* U+D7FF is fine */
    expect_terminal("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");  /* U+110000 */
}

static void utf8_len_reports_sequences(void **state)
{
    (void)state;
    assert_int_equal(escape_utf8_len((const unsigned char *)"a"), 1);
    assert_int_equal(escape_utf8_len((const unsigned char *)""), 1);   /* the NUL itself */
    assert_int_equal(escape_utf8_len((const unsigned char *)"\xc3\xa9"), 2);
    assert_int_equal(escape_utf8_len((const unsigned char *)ZH), 3);
    assert_int_equal(escape_utf8_len((const unsigned char *)"\xf0\x9f\x98\x80"), 4);
    assert_int_equal(escape_utf8_len((const unsigned char *)"\xc3"), 0);
    assert_int_equal(escape_utf8_len((const unsigned char *)"\xc0\x80"), 0);
    assert_int_equal(escape_utf8_len((const unsigned char *)"\xed\xa0\x80"), 0);
    assert_int_equal(escape_utf8_len((const unsigned char *)"\xff"), 0);
}

/* The byte offsets where characters (or single invalid bytes) of in begin, and its length. */
static size_t char_starts(const char *in, size_t *starts, size_t max)
{
    size_t n = 0, off = 0, len = strlen(in);
    while (off < len && n < max) {
        starts[n++] = off;
        size_t l = escape_utf8_len((const unsigned char *)in + off);
        off += l ? l : 1;
    }
    starts[n] = len;
    return n + 1;
}

/* Truncated output must be the escape of a whole-character prefix of the input, the longest
 * one that fits: never half a character, never half an escape. */
static void check_truncation(const char *in)
{
    size_t starts[256];
    size_t nstarts = char_starts(in, starts, 255);
    char *full = escape_terminal_dup(in);
    assert_non_null(full);
    for (size_t cap = 1; cap <= strlen(full) + 2; cap++) {
        char out[1024];
        memset(out, 'Z', sizeof out);
        size_t n = escape_terminal(in, out, cap);
        assert_true(n < cap);
        assert_int_equal(out[n], '\0');
        assert_int_equal(out[cap], 'Z');   /* nothing written past cap */
        assert_memory_equal(out, full, n);
        size_t best = 0;   /* longest escaped whole-character prefix that fits */
        for (size_t k = 0; k < nstarts; k++) {
            char prefix[512], esc[1024];
            memcpy(prefix, in, starts[k]);
            prefix[starts[k]] = '\0';
            size_t e = escape_terminal(prefix, esc, sizeof esc);
            if (e < cap && e > best)
                best = e;
        }
        if (n != best)
            fail_msg("cap %zu: got %zu bytes '%s', want %zu", cap, n, out, best);
    }
    free(full);
}

static void truncation_never_splits(void **state)
{
    (void)state;
    check_truncation(ZH);
    check_truncation("ab" ZH "\x1b[0m\xff\xc2\x9bz\\");
    check_truncation("\xf0\x9f\x98\x80\xe4\xb8" "x");
    char out[8];
    assert_int_equal(escape_terminal(ZH, out, 3), 0);    /* 工 needs 3 bytes + NUL */
    assert_string_equal(out, "");
    assert_int_equal(escape_terminal(ZH, out, 4), 3);
    assert_string_equal(out, "\xe5\xb7\xa5");
    assert_int_equal(escape_terminal("\x1b", out, 4), 0);   /* "\x1b" needs 4 + NUL */
    assert_int_equal(escape_terminal("\x1b", out, 5), 4);
    memset(out, 'Z', sizeof out);
    assert_int_equal(escape_terminal("abc", out, 0), 0);  /* cap 0: nothing written */
    assert_int_equal(out[0], 'Z');
}

static void fputs_writes_the_escaped_form(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    escape_fputs("x\x1b[2J" ZH "\xff", f);
    escape_fputs(NULL, f);
    fclose(f);
    assert_string_equal(buf, "x\\x1b[2J" ZH "\\xff");
    free(buf);
}

static void utf8_dup_keeps_valid_text_and_marks_invalid_bytes(void **state)
{
    (void)state;
    static const struct { const char *in, *want; } cases[] = {
        {"plain", "plain"},
        {"\x1b[31mred\t", "\x1b[31mred\t"},   /* controls stay: the JSON encoder escapes them */
        {ZH, ZH},
        {"bad\xff\xfeutf8", "bad\\xff\\xfeutf8"},
        {"\xc0\xaf", "\\xc0\\xaf"},
        {"\xed\xa0\x80", "\\xed\\xa0\\x80"},
        {"\xe4\xb8", "\\xe4\\xb8"},
        {"\xc2\x9b", "\xc2\x9b"},             /* valid UTF-8, even if a C1 control */
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = escape_utf8_dup(cases[i].in);
        assert_non_null(s);
        assert_string_equal(s, cases[i].want);
        free(s);
    }
    char *s = escape_utf8_dup(NULL);
    assert_string_equal(s, "");
    free(s);
}

static char *json_controls(const char *in)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    escape_json_controls_write(in, strlen(in), f);
    fclose(f);
    return buf;
}

static void json_text_gets_del_and_c1_escaped(void **state)
{
    (void)state;
    static const struct { const char *in, *want; } cases[] = {
        {"{\"n\":\"\xc2\x9b" "2J\"}", "{\"n\":\"\\u009b2J\"}"},   /* CSI */
        {"\"\xc2\x80\xc2\x9f\x7f\"", "\"\\u0080\\u009f\\u007f\""},
        {"\"\xc2\xa0" ZH "\"", "\"\xc2\xa0" ZH "\""},   /* NBSP and Chinese stay */
        {"\"\xc2", "\"\xc2"},                          /* a cut lead byte is left alone */
        {"\"\\u001b\"", "\"\\u001b\""},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = json_controls(cases[i].in);
        assert_string_equal(s, cases[i].want);
        free(s);
    }
}

/* Every byte value, alone and after a lead byte: the output is always valid UTF-8 free of raw
 * controls (checked with escape_utf8_len and the C0/C1 ranges). */
static void every_byte_is_safe(void **state)
{
    (void)state;
    for (int b = 1; b < 256; b++) {
        for (int lead = 0; lead < 3; lead++) {
            static const char leads[] = {'a', '\xc2', '\xe4'};
            char in[3] = {leads[lead], (char)b, '\0'};
            char *out = escape_terminal_dup(in);
            assert_non_null(out);
            for (const unsigned char *p = (const unsigned char *)out; *p;) {
                size_t l = escape_utf8_len(p);
                if (l == 0)
                    fail_msg("invalid UTF-8 in escape of %02x %02x", (unsigned char)in[0], b);
                if (l == 1 && (*p < 0x20 || *p == 0x7f))
                    fail_msg("raw control in escape of %02x %02x", (unsigned char)in[0], b);
                if (l == 2 && p[0] == 0xc2 && p[1] < 0xa0)
                    fail_msg("raw C1 control in escape of %02x %02x", (unsigned char)in[0], b);
                p += l;
            }
            free(out);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(printable_ascii_is_kept),
        cmocka_unit_test(c0_controls_and_del_are_escaped),
        cmocka_unit_test(backslash_is_doubled),
        cmocka_unit_test(c1_controls_are_escaped),
        cmocka_unit_test(json_text_gets_del_and_c1_escaped),
        cmocka_unit_test(valid_utf8_is_kept),
        cmocka_unit_test(invalid_utf8_bytes_are_escaped),
        cmocka_unit_test(overlong_forms_are_escaped),
        cmocka_unit_test(surrogates_and_beyond_unicode_are_escaped),
        cmocka_unit_test(utf8_len_reports_sequences),
        cmocka_unit_test(truncation_never_splits),
        cmocka_unit_test(fputs_writes_the_escaped_form),
        cmocka_unit_test(utf8_dup_keeps_valid_text_and_marks_invalid_bytes),
        cmocka_unit_test(every_byte_is_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
