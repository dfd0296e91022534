#include "chains.h"

VM_NOINLINE void *vm_sleep_outer(void *arg)
{
    (void)arg;
    vm_sleep_middle(2);
    vm_sink = 1;
    return NULL;
}
