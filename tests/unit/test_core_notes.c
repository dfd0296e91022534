/* The core note parser (src/platform/linux/core_notes.c) on the notes of a real kernel core
 * (tests/data/core/waits_abba.notes: the PT_NOTE segment of the core the kernel wrote for
 * tests/targets/waits_abba killed by SIGABRT: three threads), then on damaged copies of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "platform/linux/core_notes.h"

static uint8_t *saved;
static size_t saved_len;

static int load(void **state)
{
    (void)state;
    FILE *f = fopen(TL_TEST_DATA "/core/waits_abba.notes", "rb");
    if (!f)
        return -1;
    saved = malloc(1 << 20);
    saved_len = fread(saved, 1, 1 << 20, f);
    fclose(f);
    return saved_len > 0 ? 0 : -1;
}

static int unload(void **state)
{
    (void)state;
    free(saved);
    return 0;
}

static void whole_notes(void **state)
{
    (void)state;
    core_notes n = {0};
    tl_error err = {0};
    assert_int_equal(core_notes_parse(saved, saved_len, &n, &err), TL_OK);
    assert_string_equal(n.malformed, "");
    assert_int_equal(n.nthreads, 3);
    assert_true(n.have_psinfo);
    assert_string_equal(n.fname, "waits_abba");
    assert_int_equal(n.pid, n.threads[0].tid);       /* the kernel writes the dumping thread first */
    assert_int_equal(n.threads[0].cursig, 6);        /* SIGABRT */
    assert_true(n.threads[1].tid > n.pid && n.threads[2].tid > n.pid);
    for (size_t i = 0; i < n.nthreads; i++) {
        assert_true(n.threads[i].regs.len > 0);
        assert_int_equal(n.threads[i].sysno_note, -2);
    }
    assert_true(n.nfiles >= 5);
    size_t libc = 0, exe = 0;
    for (size_t i = 0; i < n.nfiles; i++) {
        assert_true(n.files[i].start < n.files[i].end);
        libc += strstr(n.files[i].name, "/libc.so.6") != NULL;
        exe += strstr(n.files[i].name, "/waits_abba") != NULL;
    }
    assert_true(libc >= 1 && exe >= 1);
    core_notes_free(&n);
}

/* Every cut of the segment parses without reading past it, keeps a prefix of the threads, and
 * says it is malformed when a note is cut in the middle. */
static void cut_notes(void **state)
{
    (void)state;
    size_t cut_in_note = 0;
    for (size_t len = 0; len < saved_len; len += 7) {
        uint8_t *copy = malloc(len ? len : 1);   /* exact size: ASan catches a read past it */
        memcpy(copy, saved, len);
        core_notes n = {0};
        tl_error err = {0};
        assert_int_equal(core_notes_parse(copy, len, &n, &err), TL_OK);
        assert_true(n.nthreads <= 3);
        cut_in_note += n.malformed[0] != '\0';
        core_notes_free(&n);
        free(copy);
    }
    assert_true(cut_in_note > 0);
}

/* An NT_FILE note whose count claims more entries than its bytes hold is refused as a whole. */
static void file_count_overflow(void **state)
{
    (void)state;
    uint8_t buf[12 + 8 + 16 + 24];
    uint32_t hdr[3] = {5, 16 + 24, 0x46494c45};   /* "CORE", NT_FILE */
    memcpy(buf, hdr, 12);
    memcpy(buf + 12, "CORE\0\0\0", 8);
    uint64_t words[5] = {UINT64_MAX / 8, 4096, 0x1000, 0x2000, 0};
    memcpy(buf + 20, words, sizeof words);
    core_notes n = {0};
    tl_error err = {0};
    assert_int_equal(core_notes_parse(buf, sizeof buf, &n, &err), TL_OK);
    assert_int_equal(n.nfiles, 0);
    assert_non_null(strstr(n.malformed, "counts more files than it holds"));
    core_notes_free(&n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_notes),
        cmocka_unit_test(cut_notes),
        cmocka_unit_test(file_count_overflow),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
