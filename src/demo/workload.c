/* PLACEHOLDER: the teaching workload comes with the demo work. */
#include <unistd.h>

#include "cli/cli.h"

int demo_workload_main(int ready_fd)
{
    if (ready_fd >= 0) {
        (void)!write(ready_fd, "r", 1);
        close(ready_fd);
    }
    for (;;)
        pause();
}
