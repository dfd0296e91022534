/* Last link of the named call chain: the thread sleeps here, in nanosleep, "waiting for I/O". */
#include <time.h>

#include "demo.h"

#define DEMO_IO_WAIT_S 3600

static volatile int demo_io_rounds;

__attribute__((noinline)) int demo_wait_for_io(int request)
{
    for (;;) {
        struct timespec ts = {.tv_sec = DEMO_IO_WAIT_S, .tv_nsec = 0};
        nanosleep(&ts, NULL);   /* interrupted (a stop, a signal)? just sleep again */
        demo_io_rounds = demo_io_rounds + request;
    }
    return request;
}
