#include <errno.h>
#include <stdint.h>

#include "../tl_target.h"
#include "chains.h"

volatile int vm_sink;

static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;

static void start(const char *name, void *(*fn)(void *), void *arg)
{
    pthread_t t;
    int rc = pthread_create(&t, NULL, fn, arg);
    if (rc != 0)
        target_die("pthread_create", rc);
    rc = pthread_setname_np(t, name);
    if (rc != 0)
        target_die("pthread_setname_np", rc);
}

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        target_die("pipe", errno);
    pthread_mutex_lock(&held);
    start("vm-sleeper", vm_sleep_outer, NULL);
    start("vm-locker", vm_lock_outer, &held);
    start("vm-reader", vm_read_outer, (void *)(intptr_t)fds[0]);
    target_ready();
    target_wait_forever();
}
