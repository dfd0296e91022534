#include "chains.h"

VM_NOINLINE void vm_sleep_middle(int depth)
{
    vm_sleep_inner(depth + 1);
    vm_sink = depth;
}
