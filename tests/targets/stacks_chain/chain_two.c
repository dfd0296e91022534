#include "chain.h"

NOINLINE void chain_two(void)
{
    chain_three();
    chain_sink++;
}
