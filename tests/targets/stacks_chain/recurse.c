#include "chain.h"

NOINLINE void recurse_down(int depth)
{
    if (depth > 0)
        recurse_down(depth - 1);
    else
        recurse_wait();
    chain_sink++;
}
