/* Where a thread's stack begins (src/core/outermost.c): named frames past the thread's first
 * function are cut when they are guesses or the walk ended on an impossible frame, and always
 * past Go's runtime.mcall/clone/goexit; CFI-found frames past a C name are kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "outermost.h"

#define MAXF 12

/* frames from "a b? c": names, "?" suffix marks guessed, "-" an unnamed frame */
static size_t frames(tl_frame *f, const char *spec)
{
    static char buf[MAXF][64];
    size_t n = 0;
    char copy[512];
    strncpy(copy, spec, sizeof copy - 1);
    copy[sizeof copy - 1] = '\0';
    for (char *tok = strtok(copy, " "); tok && n < MAXF; tok = strtok(NULL, " "), n++) {
        memset(&f[n], 0, sizeof f[n]);
        size_t len = strlen(tok);
        if (tok[len - 1] == '?') {
            f[n].guessed = true;
            tok[--len] = '\0';
        }
        strcpy(buf[n], tok);
        f[n].function = strcmp(tok, "-") == 0 ? NULL : buf[n];
    }
    return n;
}

static void cut_after_start_thread_when_guessed(void **state)
{
    (void)state;
    tl_frame f[MAXF];
    /* the Chromium walk: past start_thread into 0x1, a second start_thread, operator new */
    size_t n = frames(f, "poll run? start_thread? -? start_thread? operator_new?");
    assert_int_equal(frames_outermost_keep(f, n, false), 3);
    n = frames(f, "poll run? start_thread? __clone3 -?");
    assert_int_equal(frames_outermost_keep(f, n, false), 4);
    n = frames(f, "poll run? start_thread? clone3");
    assert_int_equal(frames_outermost_keep(f, n, false), 4);
    n = frames(f, "nanosleep main? __libc_start_main _start -?");
    assert_int_equal(frames_outermost_keep(f, n, false), 4);
}

static void cut_when_the_walk_ended_badly(void **state)
{
    (void)state;
    tl_frame f[MAXF];
    size_t n = frames(f, "poll run start_thread __clone3 junk");
    assert_int_equal(frames_outermost_keep(f, n, true), 4);
    assert_int_equal(frames_outermost_keep(f, n, false), 5);   /* CFI went on: kept */
}

static void nothing_to_cut(void **state)
{
    (void)state;
    tl_frame f[MAXF];
    size_t n = frames(f, "poll run? start_thread? __clone3");
    assert_int_equal(frames_outermost_keep(f, n, false), n);
    n = frames(f, "poll run? helper? -?");
    assert_int_equal(frames_outermost_keep(f, n, true), n);
    assert_int_equal(frames_outermost_keep(f, 0, true), 0);
    /* names that only start like an outermost one */
    n = frames(f, "poll start_thread_pool? _start_x? -?");
    assert_int_equal(frames_outermost_keep(f, n, true), n);
}

static void go_outermost_always(void **state)
{
    (void)state;
    tl_frame f[MAXF];
    size_t n = frames(f, "runtime.futex.abi0 runtime.futexsleep runtime.park_m runtime.mcall runtime.newproc.abi0");
    assert_int_equal(frames_outermost_keep(f, n, false), 4);
    n = frames(f, "runtime.futex.abi0 runtime.mstart.abi0 runtime.clone.abi0 junk");
    assert_int_equal(frames_outermost_keep(f, n, false), 3);
    n = frames(f, "runtime.mstart0 runtime.mstart.abi0 junk more");
    assert_int_equal(frames_outermost_keep(f, n, false), 2);
    n = frames(f, "runtime.mstart0 runtime.mstart.abi0 runtime.rt0_go.abi0 junk");
    assert_int_equal(frames_outermost_keep(f, n, false), 3);
    n = frames(f, "main.work runtime.goexit.abi0 junk");
    assert_int_equal(frames_outermost_keep(f, n, false), 2);
    n = frames(f, "runtime.mcallx runtime.clonefoo x");
    assert_int_equal(frames_outermost_keep(f, n, false), n);
}

static void ends_at_outermost(void **state)
{
    (void)state;
    tl_frame f[MAXF];
    size_t n = frames(f, "runtime.epollwait.abi0 runtime.mstart.abi0 runtime.clone.abi0");
    assert_true(frames_end_at_outermost(f, n));
    n = frames(f, "poll run start_thread");
    assert_true(frames_end_at_outermost(f, n));
    n = frames(f, "runtime.findRunnable runtime.mstart0 runtime.mstart.abi0");
    assert_true(frames_end_at_outermost(f, n));
    n = frames(f, "poll run -");
    assert_false(frames_end_at_outermost(f, n));
    assert_false(frames_end_at_outermost(f, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cut_after_start_thread_when_guessed),
        cmocka_unit_test(cut_when_the_walk_ended_badly),
        cmocka_unit_test(nothing_to_cut),
        cmocka_unit_test(go_outermost_always),
        cmocka_unit_test(ends_at_outermost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
