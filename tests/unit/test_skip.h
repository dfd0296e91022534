/* A unit-test case that cannot run here says why: cmocka's skip() alone prints no reason. */
#ifndef THREADLENS_TEST_SKIP_H
#define THREADLENS_TEST_SKIP_H

#define skip_because(why)                      \
    do {                                       \
        print_message("SKIP: %s\n", (why));    \
        skip();                                \
    } while (0)

#endif
