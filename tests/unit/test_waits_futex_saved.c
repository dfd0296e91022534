/* The futex decoder (src/core/waits_futex_decode.c) on windows saved from real blocked threads
 * (tests/data/futex/NAME.txt, written by tests/data/futex/capture.py): the C target's condvars of
 * every clock and flag, semaphores and rwlocks, Node's and HotSpot's condvars. Each must be
 * named as saved, at the object's own address; and the same words with a flag that cannot go
 * with them (an untimed wait without FUTEX_CLOCK_REALTIME, the other private flag, the futex
 * word of the other group) must not be called a condition there. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_data.h"
#include "waits_futex.h"

#define FLAG_PRIVATE 0x80u
#define FLAG_REALTIME 0x100u

typedef struct saved {
    char name[128];
    tl_syscall sc;
    futex_window win;
    int live[2];
    char kind[32];
    uint64_t base;
    int owner;
} saved;

static bool is_live(int tid, void *arg)
{
    const saved *s = arg;
    return tid > 0 && (tid == s->live[0] || tid == s->live[1]);
}

static void parse(const char *file, saved *s)
{
    char rel[300], *text, *line, *save = NULL;
    snprintf(rel, sizeof rel, "futex/%s", file);
    text = test_data_load(rel, NULL);
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", file);
    s->sc.valid = true;
    strcpy(s->sc.name, "futex");
    bool have_window = false, have_expect = false;
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        unsigned long long a[6];
        char hex[2 * sizeof s->win.bytes + 8];
        if (sscanf(line, "nr %ld", &s->sc.nr) == 1)
            continue;
        if (sscanf(line, "args %llx %llx %llx %llx %llx %llx", &a[0], &a[1], &a[2], &a[3], &a[4], &a[5]) == 6) {
            for (int i = 0; i < 6; i++)
                s->sc.args[i] = a[i];
        } else if (sscanf(line, "window %150s", hex) == 1) {
            assert_int_equal(strlen(hex), 2 * sizeof s->win.bytes);
            for (size_t i = 0; i < sizeof s->win.bytes; i++) {
                unsigned b;
                assert_int_equal(sscanf(hex + 2 * i, "%2x", &b), 1);
                s->win.bytes[i] = (unsigned char)b;
            }
            have_window = true;
        } else if (sscanf(line, "live %d %d", &s->live[0], &s->live[1]) == 2) {
            continue;
        } else if (sscanf(line, "expect %31s %llx %d", s->kind, &a[0], &s->owner) == 3) {
            s->base = a[0];
            have_expect = true;
        }
    }
    free(text);
    if (!have_window || !have_expect)
        fail_msg("%s: no window or no expect line", file);
    s->win.addr = s->sc.args[0];
    s->win.before_ok = true;
}

static void decode(const saved *s, const tl_syscall *sc, futex_found *f)
{
    platform_call call;
    platform_decode_call(sc, "futex_wait_queue", &call);
    assert_int_equal(call.kind, PLATFORM_CALL_FUTEX);
    futex_window win = s->win;
    win.addr = call.addr;
    futex_decode_env env = {.is_live = is_live, .arg = (void *)s};
    waits_futex_decode(&win, &call, &env, f);
}

static void check_one(const saved *s, size_t *nconds)
{
    futex_found f;
    decode(s, &s->sc, &f);
    if (strcmp(model_wait_kind_name(f.kind), s->kind) != 0 || f.base != s->base || f.owner_tid != s->owner)
        fail_msg("%s: decoded %s at 0x%llx owner %d, saved %s at 0x%llx owner %d", s->name, model_wait_kind_name(f.kind),
                 (unsigned long long)f.base, f.owner_tid, s->kind, (unsigned long long)s->base, s->owner);
    if (f.kind != TL_WAIT_CONDVAR)
        return;
    (*nconds)++;
    tl_syscall sc = s->sc;
    /* an untimed wait always sets FUTEX_CLOCK_REALTIME: without it, and untimed, it is none */
    sc.args[1] &= ~(uint64_t)FLAG_REALTIME;
    sc.args[3] = 0;
    decode(s, &sc, &f);
    if (f.kind == TL_WAIT_CONDVAR)
        fail_msg("%s: an untimed wait without FUTEX_CLOCK_REALTIME taken for a condition", s->name);
    /* the other private flag than the condvar's shared bit */
    sc = s->sc;
    sc.args[1] ^= FLAG_PRIVATE;
    decode(s, &sc, &f);
    if (f.kind == TL_WAIT_CONDVAR)
        fail_msg("%s: the wrong private flag taken for a condition", s->name);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_saved_windows(void **state)
{
    (void)state;
    char dir[300];
    snprintf(dir, sizeof dir, "%s/futex", TL_TEST_DATA);
    DIR *d = opendir(dir);
    assert_non_null(d);
    char *names[64];
    size_t n = 0, nconds = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".txt") == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        saved s;
        parse(names[i], &s);
        check_one(&s, &nconds);
        free(names[i]);
    }
    assert_int_equal(n, 18);        /* every saved window was looked at */
    assert_int_equal(nconds, 13);   /* 8 of the C target, 2 of Node, 3 of HotSpot */
}

/* The group comes from the address: group 1's word of a condvar, read as if it were group 0's
 * (4 bytes before), must not name a condition 4 bytes after the real one. */
static void test_group_from_alignment(void **state)
{
    (void)state;
    saved s;
    parse("c-cv-group1.txt", &s);
    futex_found f;
    decode(&s, &s.sc, &f);
    assert_int_equal(f.kind, TL_WAIT_CONDVAR);
    assert_int_equal(f.base, s.win.addr - 44);
    assert_int_equal(s.win.addr % 8, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saved_windows),
        cmocka_unit_test(test_group_from_alignment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
