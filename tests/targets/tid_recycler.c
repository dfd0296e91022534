/* One TID, many threads: a thread "rc-even" or "rc-odd" (alternately) lives ~11 ms in
 * recycle_even() or recycle_odd(), exits, and the next one is given the same TID through
 * /proc/sys/kernel/ns_last_pid (root only). A dump that lists one of them and captures the next
 * must not show the first's name with the second's stack: start times differ by a clock tick or more.
 * Prints "tid=<the recycled tid>" then "ready"; "no-ns-last-pid" (exit 77) when it cannot
 * choose TIDs. A thread that did not get the TID (another process took it first) just runs
 * under another one. */
#include <stdatomic.h>

#include "waits_target.h"

#define LIFE_NS (11 * 1000 * 1000)   /* over one clock tick (10 ms): start times always differ */

/* Distinct bodies (a counter each): identical ones would be folded into one function by the
 * compiler (-fipa-icf), and both would be named recycle_even. */
static volatile unsigned long evens, odds;

static _Atomic int current_tid;

__attribute__((noinline)) static void recycle_even(void)
{
    struct timespec life = {0, LIFE_NS};
    nanosleep(&life, NULL);
    evens++;   /* after the call: keeps the frame (not a tail call) */
}

__attribute__((noinline)) static void recycle_odd(void)
{
    struct timespec life = {0, LIFE_NS + 1000};
    nanosleep(&life, NULL);
    odds++;
}

static void *incarnation(void *arg)
{
    unsigned long k = (unsigned long)arg;
    pthread_setname_np(pthread_self(), k % 2 ? "rc-odd" : "rc-even");
    current_tid = waits_gettid();
    if (k % 2)
        recycle_odd();
    else
        recycle_even();
    return NULL;
}

static int set_last_pid(int pid)
{
    FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "w");
    if (!f)
        return 0;
    int ok = fprintf(f, "%d", pid) > 0;
    return fclose(f) == 0 && ok;
}

static void run(unsigned long k)
{
    pthread_t t;
    int rc = pthread_create(&t, NULL, incarnation, (void *)k);
    if (rc != 0)
        target_die("pthread_create", rc);
    pthread_join(t, NULL);
}

int main(void)
{
    run(0);
    int tid = current_tid;
    if (!set_last_pid(tid - 1)) {
        printf("no-ns-last-pid\n");
        return 77;
    }
    printf("tid=%d\n", tid);
    target_ready();
    for (unsigned long k = 1;; k++) {
        set_last_pid(tid - 1);
        run(k);
    }
}
