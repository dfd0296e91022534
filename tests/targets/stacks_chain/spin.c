#include "chain.h"

NOINLINE void spin_forever(void)
{
    chain_ready();
    for (;;)
        chain_sink++;   /* no system call: only an interrupt can stop this thread */
}
