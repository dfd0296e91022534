/* The host's file at the path where the container has park_container.c's library: a reader
 * that names the container's frames from this file prints evil_park (issue 12, item 10). */
#include <unistd.h>

__attribute__((noinline)) void evil_park(void)
{
    for (;;)
        pause();
}

/* padding so that addresses of the container's library fall inside other code here */
__attribute__((noinline)) void evil_pad(void)
{
    for (;;)
        sleep(1);
}

void park(void)
{
    evil_park();
}
