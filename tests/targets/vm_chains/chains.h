/* vm_chains: threads blocked at the end of known call chains, for the arm64 VM tests
 * (tests/vm/) and anywhere else a dump must name frames in order. Each chain function is
 * noinline, lives in its own file and does work after its call, so neither inlining nor a
 * tail call can remove its frame. Expected innermost-first chains:
 *   "vm-sleeper": vm_sleep_inner  <- vm_sleep_middle <- vm_sleep_outer   (nanosleep)
 *   "vm-locker":  vm_lock_inner   <- vm_lock_outer                      (mutex held by main)
 *   "vm-reader":  vm_read_inner   <- vm_read_outer                      (read on an idle pipe) */
#ifndef VM_CHAINS_H
#define VM_CHAINS_H

#include <pthread.h>

#define VM_NOINLINE __attribute__((noinline, noclone))

extern volatile int vm_sink;   /* written after every call: no tail calls */

enum { VM_SLEEPER, VM_LOCKER, VM_READER, VM_NTHREADS };

/* Called by a chain thread right before its blocking call: main says ready only once every
 * chain thread got there and sleeps. */
void vm_about_to_block(int slot);

void *vm_sleep_outer(void *arg);
void vm_sleep_middle(int depth);
void vm_sleep_inner(int depth);

void *vm_lock_outer(void *arg);
void vm_lock_inner(pthread_mutex_t *m);

void *vm_read_outer(void *arg);
void vm_read_inner(int fd);

#endif
