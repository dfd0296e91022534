/* The memory-map parsers (src/platform/linux/maps_parse.h) on kernel text saved in
 * tests/data/maps and on malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "platform/linux/maps_parse.h"
#include "test_data.h"

#define LINES_MAX 256


/* Parses every line of text; returns how many parsed, fills out[] (at most LINES_MAX). */
static size_t parse_all(const char *text, maps_line *out, size_t *nlines)
{
    size_t ok = 0, n = 0;
    for (const char *p = text; *p && n < LINES_MAX; n++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
        if (maps_parse_line(p, len, &out[ok]))
            ok++;
        p += len;
    }
    *nlines = n;
    return ok;
}

static bool path_equals(const maps_line *m, const char *s)
{
    return m->path_len == strlen(s) && memcmp(m->path, s, m->path_len) == 0;
}

static void saved_maps_all_lines_parse(void **state)
{
    (void)state;
    char *text = test_data_load("maps/maps-shared_target.txt", NULL);
    maps_line m[LINES_MAX];
    size_t nlines, n = parse_all(text, m, &nlines);
    assert_int_equal(n, 31);
    assert_int_equal(nlines, 31);
    assert_true(m[0].start == 0x56093b7aa000ULL && m[0].end == 0x56093b7ab000ULL);
    assert_string_equal(m[0].perms, "r--p");
    assert_true(m[0].inode == 5318965);
    assert_int_equal(m[0].dev_major, 0xfe);
    assert_true(path_equals(&m[0], "/work/main/build-regions/targets/shared_target"));
    assert_true(m[1].offset == 0x1000);
    assert_true(path_equals(&m[5], "[heap]"));
    assert_null(m[6].path);                        /* "... 0 " then newline: anonymous */
    assert_int_equal(m[6].path_len, 0);
    assert_string_equal(m[6].perms, "---p");
    assert_true(path_equals(&m[12], "/tmp/tl_shared_target_TPH5ha (deleted)"));
    assert_true(m[30].start == 0xffffffffff600000ULL);
    assert_true(path_equals(&m[30], "[vsyscall]"));
    free(text);
}

static void edge_cases(void **state)
{
    (void)state;
    char *text = test_data_load("maps/maps-edge.txt", NULL);
    maps_line m[LINES_MAX];
    size_t nlines, n = parse_all(text, m, &nlines);
    assert_int_equal(nlines, 15);
    assert_int_equal(n, 10);                       /* 5 malformed lines rejected */
    assert_true(path_equals(&m[0], "/usr/bin/my prog"));   /* spaces kept */
    assert_null(m[3].path);
    assert_true(path_equals(&m[4], "[anon:glibc malloc]"));
    assert_string_equal(m[5].perms, "rw-s");
    assert_true(path_equals(&m[5], "/dev/shm/tl shm"));
    assert_string_equal(m[7].perms, "rwxp");
    assert_true(path_equals(&m[9], "[stack]"));    /* last line, no newline */
    free(text);
}

static void rejects_malformed_lines(void **state)
{
    (void)state;
    maps_line m;
    const char *bad[] = {
        "", "-", "1000-", "1000-2000", "1000-2000 r--p", "1000-2000 r--p 0 fe:00",
        "2000-1000 r--p 00000000 00:00 0", "1000-2000 rw-x 00000000 00:00 0",
        "1000-2000 r--p 00000000 00:00 x", "1000-2000 r--p 0000000000000000000 00:00 0",
        "Rss:                 128 kB", "1000-2000 r--p 00000000 00:00 0x12",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (maps_parse_line(bad[i], strlen(bad[i]), &m))
            fail_msg("accepted malformed line '%s'", bad[i]);
    /* a length shorter than the string is honoured: the line stops before the inode */
    const char *cut = "1000-2000 r--p 00000000 00:00 12345 /x";
    assert_false(maps_parse_line(cut, 29, &m));
    assert_true(maps_parse_line(cut, strlen(cut), &m));
    assert_true(m.inode == 12345 && path_equals(&m, "/x"));
}

static void kib_fields(void **state)
{
    (void)state;
    uint64_t v = 0;
    const char *rss = "Rss:                 128 kB";
    assert_true(maps_parse_kib_field(rss, strlen(rss), "Rss:", &v));
    assert_true(v == 128);
    assert_false(maps_parse_kib_field(rss, strlen(rss), "Pss:", &v));
    const char *anon = "RssAnon:  5 kB";
    assert_false(maps_parse_kib_field(anon, strlen(anon), "Rss:", &v));
    const char *empty = "Rss:   kB";
    assert_false(maps_parse_kib_field(empty, strlen(empty), "Rss:", &v));
}

static void saved_rollup(void **state)
{
    (void)state;
    char *text = test_data_load("maps/smaps_rollup-shared_target.txt", NULL);
    tl_mem_rollup r;
    maps_parse_rollup(text, &r);
    assert_true(r.valid);
    assert_true(r.rss_kib == 67140);
    assert_true(r.pss_kib == 65806);
    assert_true(r.anonymous_kib == 65668);
    assert_true(r.shared_clean_kib == 1460);
    assert_true(r.shared_dirty_kib == 0);
    assert_true(r.private_clean_kib == 0);
    assert_true(r.private_dirty_kib == 65680);
    assert_true(r.swap_kib == 0);
    free(text);
}

static void rollup_missing_fields(void **state)
{
    (void)state;
    tl_mem_rollup r;
    maps_parse_rollup("", &r);
    assert_false(r.valid);
    maps_parse_rollup("Pss: 7 kB\nSwap: 3 kB", &r);   /* no Rss: not valid, the rest read */
    assert_false(r.valid);
    assert_true(r.pss_kib == 7 && r.swap_kib == 3);
}

static void saved_signal_masks(void **state)
{
    (void)state;
    char *text = test_data_load("maps/status-shared_target.txt", NULL);
    uint64_t caught, ignored;
    assert_true(maps_parse_sigmasks(text, &caught, &ignored));
    assert_true(caught == 0x100000200ULL);         /* SIGUSR1 (10) and glibc's 33 */
    assert_true(ignored == 0x1006ULL);             /* SIGINT, SIGQUIT, SIGPIPE */
    free(text);
}

static void signal_masks_malformed(void **state)
{
    (void)state;
    uint64_t caught, ignored;
    assert_false(maps_parse_sigmasks("SigIgn:\t0000000000001000\n", &caught, &ignored));
    assert_false(maps_parse_sigmasks("SigCgt:\tzz\nSigIgn:\t0\n", &caught, &ignored));
    assert_false(maps_parse_sigmasks("SigCgt:\t11111111111111111\nSigIgn:\t0\n", &caught, &ignored));
    assert_true(maps_parse_sigmasks("SigCgt:\t4\nSigIgn:\t0", &caught, &ignored));
    assert_true(caught == 4 && ignored == 0);
}


/* smaps of tests/targets/mem_hazard uffd: exactly one mapping carries "um" (the registered
 * 64 KiB range), none "uw". */
static void saved_smaps_vmflags(void **state)
{
    (void)state;
    char *text = test_data_load("maps/smaps-mem_hazard_uffd.txt", NULL);
    size_t vmflags = 0, uffd_lines = 0;
    maps_line cur = {0}, hit = {0};
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
        maps_line ml;
        bool uffd;
        if (maps_parse_line(p, len, &ml))
            cur = ml;
        else if (maps_parse_vmflags(p, len, &uffd)) {
            vmflags++;
            if (uffd) {
                uffd_lines++;
                hit = cur;
            }
        }
        p += len;
    }
    assert_int_equal(vmflags, 30);
    assert_int_equal(uffd_lines, 1);
    assert_true(hit.end - hit.start == 64 * 1024);
    assert_int_equal(hit.inode, 0);
    free(text);
}

static void vmflags_lines(void **state)
{
    (void)state;
    bool uffd = true;
    assert_true(maps_parse_vmflags("VmFlags: rd wr mr mw me ac sd\n", 30, &uffd));
    assert_false(uffd);
    assert_true(maps_parse_vmflags("VmFlags: rd wr uw", 17, &uffd));
    assert_true(uffd);
    assert_true(maps_parse_vmflags("VmFlags: um", 11, &uffd));
    assert_true(uffd);
    assert_true(maps_parse_vmflags("VmFlags: rd sh ui\n", 18, &uffd));   /* minor-fault mode */
    assert_true(uffd);
    assert_true(maps_parse_vmflags("VmFlags: umx uwx u", 18, &uffd));   /* not two-letter flags */
    assert_false(uffd);
    assert_false(maps_parse_vmflags("Rss:  4 kB", 10, &uffd));
    assert_false(maps_parse_vmflags("VmFlag", 6, &uffd));
}

static void mountinfo_lines(void **state)
{
    (void)state;
    unsigned maj = 99, min = 99;
    char fs[40];
    const char *proc = "22 27 0:21 / /proc rw,relatime - proc proc rw\n";
    assert_true(maps_parse_mountinfo(proc, strlen(proc), &maj, &min, fs, sizeof fs));
    assert_int_equal(maj, 0);
    assert_int_equal(min, 21);
    assert_string_equal(fs, "proc");
    assert_false(maps_fstype_may_hang(fs));
    /* optional fields before the separator; a FUSE file system with a subtype */
    const char *fuse = "41 27 0:45 / /mnt/x rw,nosuid,nodev shared:7 master:2 - fuse.sshfs u@h:/ rw,user_id=0\n";
    assert_true(maps_parse_mountinfo(fuse, strlen(fuse), &maj, &min, fs, sizeof fs));
    assert_int_equal(min, 45);
    assert_string_equal(fs, "fuse.sshfs");
    assert_true(maps_fstype_may_hang(fs));
    const char *nfs = "50 27 0:52 / /srv rw - nfs4 host:/export rw,vers=4.2";
    assert_true(maps_parse_mountinfo(nfs, strlen(nfs), &maj, &min, fs, sizeof fs));
    assert_true(maps_fstype_may_hang(fs));
    const char *ext4 = "27 1 254:1 / / rw,relatime - ext4 /dev/vda1 rw";
    assert_true(maps_parse_mountinfo(ext4, strlen(ext4), &maj, &min, fs, sizeof fs));
    assert_int_equal(maj, 254);
    assert_false(maps_fstype_may_hang(fs));
    assert_true(maps_fstype_may_hang("fuse") && maps_fstype_may_hang("9p") && maps_fstype_may_hang("cifs"));
    assert_false(maps_fstype_may_hang("fusectl") || maps_fstype_may_hang("tmpfs") || maps_fstype_may_hang("overlay"));
    /* malformed: no separator, no type, a type too long, a bad device */
    const char *bad[] = {"22 27 0:21 / /proc rw,relatime proc proc rw", "22 27 0:21 / /proc rw -", "22 27 x:21 / / - ext4",
                         "22 27 0:21", "", "22 27 0:21 / / rw - fuse.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa s"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(maps_parse_mountinfo(bad[i], strlen(bad[i]), &maj, &min, fs, sizeof fs));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(saved_maps_all_lines_parse),
        cmocka_unit_test(edge_cases),
        cmocka_unit_test(rejects_malformed_lines),
        cmocka_unit_test(kib_fields),
        cmocka_unit_test(saved_rollup),
        cmocka_unit_test(rollup_missing_fields),
        cmocka_unit_test(saved_signal_masks),
        cmocka_unit_test(signal_masks_malformed),
        cmocka_unit_test(saved_smaps_vmflags),
        cmocka_unit_test(vmflags_lines),
        cmocka_unit_test(mountinfo_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
