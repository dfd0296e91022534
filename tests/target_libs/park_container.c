/* The library a "container" maps (tests/targets/module_user): its park() blocks in
 * container_only_park(). The host has another file at the same path (park_host.c). */
#include <unistd.h>

__attribute__((noinline)) void container_only_park(void)
{
    for (;;)
        pause();
}

void park(void)
{
    container_only_park();
}
