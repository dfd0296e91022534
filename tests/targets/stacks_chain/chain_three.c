#include "chain.h"

NOINLINE void chain_three(void)
{
    chain_wait();
    chain_sink++;
}
