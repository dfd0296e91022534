/* "Ready" means settled: each thread that has a resting place (nanosleep, read) is in it, read
 * back from our own /proc/self/task/TID/syscall, so the first dump already shows the chain. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "demo.h"

#define SETTLE_POLL_US 1000
#define SETTLE_MAX_POLLS 2000    /* 2 s at most: a loaded machine, never a hang */

/* The system call number the thread is blocked in, or -2 when unknown. */
static long current_syscall(int tid)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", tid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -2;
    long nr = -2;
    if (fgets(buf, sizeof buf, f) && buf[0] != 'r')   /* "running" */
        nr = strtol(buf, NULL, 10);
    fclose(f);
    return nr;
}

static bool all_settled(const demo_thread_arg *args, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (args[i].settled_nr >= 0 && current_syscall(args[i].tid) != args[i].settled_nr)
            return false;
    return true;
}

void demo_wait_settled(const demo_thread_arg *args, size_t n)
{
    struct timespec pause_ts = {.tv_sec = 0, .tv_nsec = SETTLE_POLL_US * 1000L};
    for (int i = 0; i < SETTLE_MAX_POLLS && !all_settled(args, n); i++)
        nanosleep(&pause_ts, NULL);
}
