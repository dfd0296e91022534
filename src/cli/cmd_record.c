/* threadlens record PID...: samples every thread of the tree at a fixed rate (state, stack,
 * wait) until -d seconds passed, Ctrl-C or the target exits, then writes the recording as
 * folded stacks, pprof, speedscope or jsonl (format/record.h). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_record.h"
#include "format/record.h"
#include "threadlens/sampler.h"

#define RECORD_MAX_HZ 1000
#define RECORD_MAX_MISSES 5        /* takes in a row that missed a live root: then it is gone */
#define RECORD_MAX_MEMORY (512u << 20)   /* the recording stops here and says so */

typedef struct record_args {
    double seconds;               /* 0: until Ctrl-C */
    unsigned hz;
    const char *out;
    record_format format;
    bool format_given;
    bool only_cpu;
    bool children;
    int *pids;
    size_t npids;
} record_args;

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void record_usage(FILE *f)
{
    fputs("Usage: threadlens record [OPTIONS] PID...\n"
          "Samples every thread of each PID and its descendants at a fixed rate (state, native\n"
          "stack, what it waits on) and writes a wall-clock profile. A thread that has not run\n"
          "since the previous sample is not stopped again: its previous stack counts again.\n\n"
          "  -d, --duration SECONDS  stop after this long (default: until Ctrl-C)\n"
          "  -r, --rate HZ           samples per second, 1 to 1000 (default 20)\n"
          "  -o, --output FILE       write here (default: standard output)\n"
          "      --format F          folded (flame graphs), pprof (gzip protobuf), speedscope\n"
          "                          (JSON) or jsonl (for threadlens report); default from the\n"
          "                          -o suffix (.folded .pb.gz .pprof .speedscope.json .jsonl),\n"
          "                          else folded\n"
          "      --only-cpu          keep only the samples of running threads (on-CPU profile)\n"
          "      --no-children       only the given processes\n"
          "  -h, --help              this text\n\n"
          "Exit codes: 0 complete, 1 the target exited (what was sampled is written), 2 the\n"
          "output could not be written or no such process, 64 usage.\n",
          f);
}

enum { OPT_FORMAT = 400, OPT_ONLY_CPU, OPT_NO_CHILDREN };

static const struct option record_options[] = {
    {"duration", required_argument, NULL, 'd'},
    {"rate", required_argument, NULL, 'r'},
    {"output", required_argument, NULL, 'o'},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"only-cpu", no_argument, NULL, OPT_ONLY_CPU},
    {"no-children", no_argument, NULL, OPT_NO_CHILDREN},
    {"help", no_argument, NULL, 'h'},
    {0},
};

static bool parse_seconds(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !isfinite(v) || v <= 0 || v > 366 * 86400.0)
        return false;
    *out = v;
    return true;
}

/* The option getopt refused, for a one-line message. */
static const char *bad_name(char **argv)
{
    static char short_opt[3];
    if (optopt > ' ' && optopt < 127) {
        short_opt[0] = '-';
        short_opt[1] = (char)optopt;
        return short_opt;
    }
    return argv[optind - 1];
}

static int parse_option(int c, record_args *a, char **argv)
{
    switch (c) {
    case 'd':
        if (!parse_seconds(optarg, &a->seconds))
            return cli_fail("record", EXIT_USAGE, "-d takes a positive number of seconds, not '%s'", optarg);
        return -1;
    case 'r':
        if (!cli_parse_count(optarg, RECORD_MAX_HZ, &a->hz))
            return cli_fail("record", EXIT_USAGE, "-r takes a rate from 1 to %d Hz, not '%s'", RECORD_MAX_HZ, optarg);
        return -1;
    case 'o': a->out = optarg; return -1;
    case OPT_FORMAT:
        if (!record_format_parse(optarg, &a->format))
            return cli_fail("record", EXIT_USAGE, "unknown format '%s': use folded, pprof, speedscope or jsonl", optarg);
        a->format_given = true;
        return -1;
    case OPT_ONLY_CPU: a->only_cpu = true; return -1;
    case OPT_NO_CHILDREN: a->children = false; return -1;
    case 'h': record_usage(stdout); return EXIT_COMPLETE;
    case ':': return cli_fail("record", EXIT_USAGE, "option '%s' needs a value; see 'threadlens record --help'", bad_name(argv));
    default: return cli_fail("record", EXIT_USAGE, "unknown option '%s'; see 'threadlens record --help'", bad_name(argv));
    }
}

static int parse_args(int argc, char **argv, record_args *a)
{
    *a = (record_args){.hz = 20, .children = true, .format = RECORD_FOLDED};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "+:d:r:o:h", record_options, NULL)) != -1) {
        if (c == '?' && !optopt)
            return cli_fail("record", EXIT_USAGE, "unknown option '%s'; see 'threadlens record --help'", argv[optind - 1]);
        int rc = parse_option(c, a, argv);
        if (rc >= 0)
            return rc;
    }
    if (optind >= argc)
        return cli_fail("record", EXIT_USAGE, "which process? give a PID: threadlens record PID");
    if (!a->format_given && a->out)
        a->format = record_format_guess(a->out);
    a->npids = (size_t)(argc - optind);
    if (!(a->pids = calloc(a->npids, sizeof *a->pids)))
        return cli_fail("record", EXIT_FAILED, "out of memory");
    for (size_t i = 0; i < a->npids; i++)
        if (!cli_parse_pid(argv[optind + (int)i], &a->pids[i])) {
            free(a->pids);
            return cli_fail("record", EXIT_USAGE, "'%s' is not a PID", argv[optind + (int)i]);
        }
    return -1;
}

static double now_s(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Has a root process gone (exited, or a zombie)? */
static bool root_gone(const tl_snapshot *s, const int *pids, size_t npids)
{
    for (size_t k = 0; k < npids; k++) {
        bool found = false;
        for (size_t i = 0; i < s->nprocs && !found; i++)
            found = s->procs[i].pid == pids[k] && !s->procs[i].zombie && s->procs[i].nthreads > 0;
        if (!found)
            return true;
    }
    return false;
}

/* Do the root processes still exist (not zombies)? A take can miss a process whose /proc
 * files were being rewritten; only a process that is really gone ends the recording. */
static bool roots_alive(const int *pids, size_t npids)
{
    for (size_t k = 0; k < npids; k++) {
        char path[64], buf[512];
        snprintf(path, sizeof path, "/proc/%d/stat", pids[k]);
        FILE *f = fopen(path, "re");
        size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
        if (f)
            fclose(f);
        buf[n] = '\0';
        const char *paren = strrchr(buf, ')');
        if (!paren || paren[1] != ' ' || paren[2] == 'Z' || paren[2] == 'X')
            return false;
    }
    return true;
}

typedef struct loop_state {
    double start, last_progress;
    size_t threads;
    bool tty;
} loop_state;

static void progress(const recording *r, loop_state *ls, double now, bool final)
{
    if (!ls->tty || (!final && now - ls->last_progress < 0.5))
        return;
    ls->last_progress = now;
    double el = now - ls->start;
    fprintf(stderr, "\r\033[Krecording: %.1f s, %zu samples, %zu threads, %.0f stops/s, CPU %.1f %%%s",
            el, r->nticks, ls->threads, el > 0 ? (double)r->stops / el : 0.0,
            el > 0 ? 100.0 * now_s(CLOCK_PROCESS_CPUTIME_ID) / el : 0.0, final ? "\n" : "");
}

static size_t thread_count(const tl_snapshot *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nprocs; i++)
        n += s->procs[i].nthreads;
    return n;
}

/* Samples until asked to stop; returns the exit code so far (EXIT_PARTIAL when the target
 * went away or memory ran out). */
static int record_loop(tl_sampler *smp, recording *r, const record_args *a)
{
    tl_snapshot *prev = NULL;     /* the previous sample: its stacks serve threads that did not run */
    tl_sampler_options o = *sampler_options(smp);
    loop_state ls = {.start = now_s(CLOCK_MONOTONIC), .tty = isatty(STDERR_FILENO)};
    double period = 1.0 / a->hz, next = ls.start;
    int rc = EXIT_COMPLETE;
    unsigned misses = 0;
    snprintf(r->ended_by, sizeof r->ended_by, a->seconds > 0 ? "duration" : "interrupt");
    while (!stop_requested) {
        double now = now_s(CLOCK_MONOTONIC);
        if (a->seconds > 0 && now - ls.start >= a->seconds - period / 2)
            break;
        tl_snapshot *snap = NULL;
        tl_error e = {0};
        o.stacks_since = prev;
        sampler_set_options(smp, &o);
        tl_status st = sampler_take(smp, &snap, &e);
        bool failed = st != TL_OK && st != TL_PARTIAL;
        bool gone = failed || root_gone(snap, a->pids, a->npids);
        if (gone && roots_alive(a->pids, a->npids) && ++misses < RECORD_MAX_MISSES) {
            snapshot_free(snap);  /* a take torn by the target's own churn: try again next tick */
            snap = NULL;
            gone = false;
            st = TL_OK;
            goto next_tick;
        }
        misses = 0;
        if (failed) {
            snprintf(r->ended_by, sizeof r->ended_by, "target exited");
            rc = r->nticks ? EXIT_PARTIAL : EXIT_FAILED;
            break;
        }
        if (!gone) {
            ls.threads = thread_count(snap);
            st = record_add_snapshot(r, snap, (uint64_t)((now - ls.start) * 1000 + 0.5), &e);
        }
        snapshot_free(prev);
        prev = snap;
        if (gone) {
            snprintf(r->ended_by, sizeof r->ended_by, "target exited");
            rc = r->nticks ? EXIT_PARTIAL : EXIT_FAILED;   /* never there: nothing to write */
            break;
        }
        if (st != TL_OK || record_memory(r) > RECORD_MAX_MEMORY) {
            snprintf(r->ended_by, sizeof r->ended_by, "memory bound");
            rc = EXIT_PARTIAL;
            break;
        }
        progress(r, &ls, now_s(CLOCK_MONOTONIC), false);
    next_tick:
        next += period;
        now = now_s(CLOCK_MONOTONIC);
        if (next < now)            /* a take longer than the period: the rate drops, no burst */
            next = now;
        struct timespec ts = {(time_t)next, (long)((next - (double)(time_t)next) * 1e9)};
        while (!stop_requested && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
            ;
    }
    snapshot_free(prev);
    progress(r, &ls, now_s(CLOCK_MONOTONIC), true);
    return rc;
}

static void say_summary(const recording *r, const record_args *a, double seconds)
{
    double rate = seconds > 0 ? (double)r->nticks / seconds : 0;
    if (!strcmp(r->ended_by, "target exited"))
        fprintf(stderr, "threadlens record: the target exited after %.1f s; kept the %zu samples taken\n",
                seconds, r->nticks);
    else if (!strcmp(r->ended_by, "memory bound"))
        fprintf(stderr, "threadlens record: stopped after %.1f s at the memory bound (%u MiB); kept what was sampled\n",
                seconds, RECORD_MAX_MEMORY >> 20);
    fprintf(stderr, "threadlens record: %zu samples of %zu threads in %.1f s (%.1f Hz of %u asked), %llu stops, "
            "%zu distinct stacks, %zu KiB of memory for the recording; wrote %s (%s)\n",
            r->nticks, r->nthreads, seconds, rate, a->hz, (unsigned long long)r->stops, r->nstacks,
            (record_memory(r) + 1023) / 1024, a->out ? a->out : "standard output", record_format_name(a->format));
}

int cmd_record(int argc, char **argv)
{
    record_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    FILE *out = stdout;
    if (a.out && !(out = fopen(a.out, "w"))) {
        free(a.pids);
        return cli_fail("record", EXIT_FAILED, "cannot write '%s': %s; give a writable -o FILE", a.out, strerror(errno));
    }
    recording *r = record_new(a.hz, a.only_cpu, a.pids, a.npids);
    tl_sampler_options o;
    sampler_default_options(&o);
    o.children = a.children;
    o.jvm = false;                 /* a JVM attach per sample would cost more than the sample */
    o.incremental = true;
    o.one_stop = true;
    o.skip_quiet = true;           /* a sleeper's name and nice value may show a second late */
    o.calls_refresh_every = a.hz >= 10 ? a.hz : 0;   /* a sleeper's calls: once a second (default: every 10th) */
    tl_sampler *smp = NULL;
    tl_error e = {0};
    tl_status st = r ? sampler_open(&smp, a.pids, a.npids, &o, &e) : tl_error_set(&e, TL_ENOMEM, "out of memory");
    if (st != TL_OK) {
        if (a.out) {
            fclose(out);
            unlink(a.out);
        }
        record_free(r);
        free(a.pids);
        return cli_fail("record", cli_exit_code(st) == EXIT_PARTIAL ? EXIT_FAILED : cli_exit_code(st), "%s", e.msg);
    }
    struct sigaction sa = {.sa_handler = on_stop};   /* no SA_RESTART: the sleep ends at once */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    double t0 = now_s(CLOCK_MONOTONIC);
    rc = record_loop(smp, r, &a);
    double seconds = now_s(CLOCK_MONOTONIC) - t0;
    sampler_close(smp);
    if (rc == EXIT_FAILED) {
        if (a.out) {
            fclose(out);
            unlink(a.out);
        }
        record_free(r);
        rc = cli_fail("record", EXIT_FAILED, "no such process (PID %d%s), or it could not be read; check the PID",
                      a.pids[0], a.npids > 1 ? " or another given" : "");
        free(a.pids);
        return rc;
    }
    st = record_write(r, a.format, out, &e);
    if (a.out && fclose(out) && st == TL_OK)
        st = tl_error_set(&e, TL_EIO, "closing the output failed");
    if (st != TL_OK)
        rc = cli_fail("record", EXIT_FAILED, "%s: %s", a.out ? a.out : "standard output", e.msg);
    else
        say_summary(r, &a, seconds);
    record_free(r);
    free(a.pids);
    return rc;
}
