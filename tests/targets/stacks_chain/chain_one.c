#include "chain.h"

NOINLINE void chain_one(void)
{
    chain_two();
    chain_sink++;
}
