#include <time.h>

#include "chains.h"

VM_NOINLINE void vm_sleep_inner(int depth)
{
    struct timespec ts = {.tv_sec = 3600, .tv_nsec = 0};
    vm_about_to_block(VM_SLEEPER);
    for (;;)
        nanosleep(&ts, NULL);
    vm_sink = depth;
}
