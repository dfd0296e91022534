#include <stdint.h>

#include "chains.h"

VM_NOINLINE void *vm_read_outer(void *arg)
{
    vm_read_inner((int)(intptr_t)arg);
    vm_sink = 4;
    return NULL;
}
