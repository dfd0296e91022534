#include <time.h>

#include "chain.h"

NOINLINE void handler_wait(void)
{
    struct timespec ts = {.tv_sec = 3600};
    chain_ready();
    for (;;)
        nanosleep(&ts, NULL);   /* async-signal-safe */
}
