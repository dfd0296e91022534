/* waits_time PID [RUNS]: the cost of the wait analysis measured inside one process through the
 * public API: sampler_take without stacks, with and without `waits`, interleaved; prints the
 * median and minimum wall and CPU time of each and of their difference. No exec or start-up
 * noise; the CPU time is not inflated by other load on the machine. Built by bench/waits.sh. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "threadlens/sampler.h"

#define MAX_RUNS 1000

static double ms(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One take; wall and cpu get its times in ms. false when it failed. */
static bool take(tl_sampler *s, double *wall, double *cpu)
{
    tl_snapshot *snap = NULL;
    tl_error err = {0};
    double w0 = ms(CLOCK_MONOTONIC), c0 = ms(CLOCK_THREAD_CPUTIME_ID);
    tl_status st = sampler_take(s, &snap, &err);
    *wall = ms(CLOCK_MONOTONIC) - w0;
    *cpu = ms(CLOCK_THREAD_CPUTIME_ID) - c0;
    snapshot_free(snap);
    if (st != TL_OK && st != TL_PARTIAL)
        fprintf(stderr, "waits_time: %s\n", err.msg);
    return st == TL_OK || st == TL_PARTIAL;
}

/* The median and minimum of v; only the median for a difference (a minimum of differences
 * pairs the luckiest run of one with the unluckiest of the other). */
static void report(const char *what, double *v, int n, bool diff)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    if (diff)
        printf("  %-28s median %7.2f ms\n", what, v[n / 2]);
    else
        printf("  %-28s median %7.2f ms   min %7.2f ms\n", what, v[n / 2], v[0]);
}

int main(int argc, char **argv)
{
    int pid = argc > 1 ? atoi(argv[1]) : 0, runs = argc > 2 ? atoi(argv[2]) : 21;
    if (pid <= 0 || runs < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "usage: waits_time PID [RUNS <= %d]\n", MAX_RUNS);
        return 64;
    }
    static double wall[2][MAX_RUNS], cpu[2][MAX_RUNS], dwall[MAX_RUNS], dcpu[MAX_RUNS];
    tl_sampler *s[2];
    for (int k = 0; k < 2; k++) {
        tl_sampler_options o;
        tl_error err = {0};
        sampler_default_options(&o);
        o.stacks = false, o.waits = k == 0;
        if (sampler_open(&s[k], &pid, 1, &o, &err) != TL_OK)
            return fprintf(stderr, "waits_time: %s\n", err.msg), 2;
    }
    for (int r = 0; r < runs; r++)
        for (int k = 0; k < 2; k++)
            if (!take(s[k], &wall[k][r], &cpu[k][r]))
                return 2;
    for (int r = 0; r < runs; r++)
        dwall[r] = wall[0][r] - wall[1][r], dcpu[r] = cpu[0][r] - cpu[1][r];
    printf("sampler_take without stacks, %d runs each (in-process):\n", runs);
    report("wall, with waits", wall[0], runs, false);
    report("wall, without waits", wall[1], runs, false);
    report("wall, wait analysis (diff)", dwall, runs, true);
    report("cpu, with waits", cpu[0], runs, false);
    report("cpu, without waits", cpu[1], runs, false);
    report("cpu, wait analysis (diff)", dcpu, runs, true);
    for (int k = 0; k < 2; k++)
        sampler_close(s[k]);
    return 0;
}
