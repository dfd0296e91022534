#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "../tl_target.h"
#include "chains.h"

#define BLOCK_WAIT_TRIES 2000      /* x 5 ms: how long main waits for the threads to block */

volatile int vm_sink;

static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static atomic_int blocking_tid[VM_NTHREADS];

void vm_about_to_block(int slot)
{
    atomic_store(&blocking_tid[slot], (int)gettid());
}

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

/* The state letter of one of our threads from /proc, '?' when unreadable. */
static char thread_state(int tid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
    FILE *f = fopen(path, "r");
    if (!f)
        return '?';
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *close_paren = strrchr(buf, ')');
    return close_paren && close_paren[1] == ' ' ? close_paren[2] : '?';
}

/* Past vm_about_to_block a chain thread's only sleep is its blocking call: once every one of
 * them is there and sleeping (state S), their stacks end in the known chains. */
static bool all_blocked(void)
{
    for (int i = 0; i < VM_NTHREADS; i++) {
        int tid = atomic_load(&blocking_tid[i]);
        if (tid == 0 || thread_state(tid) != 'S')
            return false;
    }
    return true;
}

static void wait_until_blocked(void)
{
    struct timespec pause_5ms = {.tv_sec = 0, .tv_nsec = 5 * 1000 * 1000};
    for (int i = 0; i < BLOCK_WAIT_TRIES; i++) {
        if (all_blocked())
            return;
        nanosleep(&pause_5ms, NULL);
    }
    target_die("waiting for the chain threads to block", ETIMEDOUT);
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
    wait_until_blocked();
    target_ready();
    target_wait_forever();
}
