#include "chain.h"

NOINLINE void on_signal(int sig)
{
    (void)sig;
    handler_wait();
    chain_sink++;
}
