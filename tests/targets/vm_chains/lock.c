#include "chains.h"

VM_NOINLINE void *vm_lock_outer(void *arg)
{
    vm_lock_inner(arg);
    vm_sink = 2;
    return NULL;
}
