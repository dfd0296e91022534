#include "chains.h"

VM_NOINLINE void vm_lock_inner(pthread_mutex_t *m)
{
    vm_about_to_block(VM_LOCKER);
    pthread_mutex_lock(m);   /* main holds it for good */
    vm_sink = 3;
    pthread_mutex_unlock(m);
}
