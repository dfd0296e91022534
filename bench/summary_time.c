/* summary_time PID [RUNS]: the cost of stack groups and the summary measured inside one process
 * through the public API, on one snapshot of PID taken with stacks: format_text to /dev/null
 * with and without the summary, interleaved, and groups_build + summary_build alone; prints the
 * median and minimum CPU time of each and the median of the per-run differences. No exec, no
 * /proc, no ptrace: the thread's CPU time is not inflated by other load on the machine.
 * Built and run by bench/run.sh (section summary). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "threadlens/format.h"
#include "threadlens/groups.h"
#include "threadlens/sampler.h"

#define MAX_RUNS 1000

static double cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *what, double *v, int n, bool diff)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    if (diff)
        printf("  %-38s median %7.3f ms\n", what, v[n / 2]);
    else
        printf("  %-38s median %7.3f ms   min %7.3f ms\n", what, v[n / 2], v[0]);
}

static double time_format(const tl_snapshot *snap, FILE *null, bool summary)
{
    tl_format_options o = {.no_summary = !summary};
    tl_error err = {0};
    double c0 = cpu_ms();
    if (format_text(null, snap, &o, &err) != TL_OK)
        fprintf(stderr, "summary_time: %s\n", err.msg), exit(2);
    return cpu_ms() - c0;
}

static double time_groups(const tl_snapshot *snap)
{
    tl_groups *g = NULL;
    tl_summary sum;
    tl_error err = {0};
    double c0 = cpu_ms();
    if (groups_build(snap, &g, &err) != TL_OK || summary_build(snap, g, &sum, &err) != TL_OK)
        fprintf(stderr, "summary_time: %s\n", err.msg), exit(2);
    double t = cpu_ms() - c0;
    groups_free(g);
    return t;
}

int main(int argc, char **argv)
{
    int pid = argc > 1 ? atoi(argv[1]) : 0, runs = argc > 2 ? atoi(argv[2]) : 21;
    if (pid <= 0 || runs < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "usage: summary_time PID [RUNS <= %d]\n", MAX_RUNS);
        return 64;
    }
    tl_sampler_options o;
    tl_sampler *s = NULL;
    tl_snapshot *snap = NULL;
    tl_error err = {0};
    sampler_default_options(&o);
    tl_status st = sampler_open(&s, &pid, 1, &o, &err);
    if (st == TL_OK)
        st = sampler_take(s, &snap, &err);
    if (st != TL_OK && st != TL_PARTIAL)
        return fprintf(stderr, "summary_time: %s\n", err.msg), 2;
    FILE *null = fopen("/dev/null", "w");
    if (!null)
        return perror("summary_time: /dev/null"), 2;
    static double with[MAX_RUNS], without[MAX_RUNS], diff[MAX_RUNS], groups[MAX_RUNS];
    for (int r = 0; r < runs; r++) {
        with[r] = time_format(snap, null, true);
        without[r] = time_format(snap, null, false);
        groups[r] = time_groups(snap);
        diff[r] = with[r] - without[r];
    }
    printf("one snapshot of %zu threads (with stacks), %d runs each, CPU time in-process:\n",
           model_thread_count(snap), runs);
    report("format_text, with the summary", with, runs, false);
    report("format_text --no-summary", without, runs, false);
    report("summary (diff)", diff, runs, true);
    report("groups_build + summary_build alone", groups, runs, false);
    fclose(null);
    snapshot_free(snap);
    sampler_close(s);
    return 0;
}
