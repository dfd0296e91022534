#include <unistd.h>

#include "chains.h"

VM_NOINLINE void vm_read_inner(int fd)
{
    char c;
    vm_about_to_block(VM_READER);
    while (read(fd, &c, 1) != 0)   /* nobody writes: blocks for good */
        ;
    vm_sink = 5;
}
