/* burn(): on the CPU for `seconds` of wall time, in a frame of that name (the record targets'
 * "running" samples must land in it). Header-only: each target is its own program. */
#ifndef THREADLENS_TEST_BURN_H
#define THREADLENS_TEST_BURN_H

#include <time.h>

static double burn_clock_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) static void burn(double seconds)
{
    double end = burn_clock_s() + seconds;
    volatile unsigned long x = 0;
    while (burn_clock_s() < end)
        for (int i = 0; i < 1000; i++)
            x += (unsigned long)i;
}

#endif
