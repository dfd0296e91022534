/* threadlens metrics PID...: the OpenMetrics text of a process tree, on stdout, into a file
 * (atomically, for node_exporter's textfile collector) or served over HTTP (--listen). Reads
 * /proc only: no thread is ever stopped. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "metrics_sample.h"

#define INTERVAL_DEFAULT_MS 200
#define INTERVAL_MIN_S 0.01
#define INTERVAL_MAX_S 60.0

typedef struct metrics_args {
    bool children, per_thread, listen_any;
    unsigned interval_ms;
    const char *output, *listen;
    int *pids;
    size_t npids;
} metrics_args;

static void metrics_usage(FILE *f)
{
    fputs("Usage: threadlens metrics [OPTIONS] PID...\n"
          "OpenMetrics text (Prometheus) for each PID and, unless --no-children, its\n"
          "descendants: threads by state, lock waiters, deadlock found, threads blocked over\n"
          "the window. Reads /proc only: stops no thread.\n\n"
          "      --per-thread      also per thread: CPU seconds, context switches, state\n"
          "                        (one series per TID: mind the cardinality)\n"
          "      --interval SECONDS  window of the blocked-thread count (default 0.2;\n"
          "                        0.01 to 60)\n"
          "  -o, --output FILE     write FILE atomically (temporary file + rename), e.g. for\n"
          "                        node_exporter's textfile collector\n"
          "      --listen HOST:PORT  serve /metrics over HTTP, sampling on each scrape\n"
          "                        (loopback addresses only, unless --listen-any)\n"
          "      --listen-any      allow --listen on a non-loopback address\n"
          "      --no-children     only the given processes, not their descendants\n"
          "  -h, --help            this text\n\n"
          "Exit codes: 0 complete, 1 partial (something could not be read, or a process is\n"
          "gone: threadlens_target_up 0), 2 failed, 64 usage. --listen runs until SIGINT or\n"
          "SIGTERM and then exits 0.\n",
          f);
}

enum { OPT_PER_THREAD = 256, OPT_INTERVAL, OPT_LISTEN, OPT_LISTEN_ANY, OPT_NO_CHILDREN };

static const struct option metrics_options[] = {
    {"per-thread", no_argument, NULL, OPT_PER_THREAD},
    {"interval", required_argument, NULL, OPT_INTERVAL},
    {"output", required_argument, NULL, 'o'},
    {"listen", required_argument, NULL, OPT_LISTEN},
    {"listen-any", no_argument, NULL, OPT_LISTEN_ANY},
    {"no-children", no_argument, NULL, OPT_NO_CHILDREN},
    {"help", no_argument, NULL, 'h'},
    {0},
};

static bool parse_interval(const char *s, unsigned *ms)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v < INTERVAL_MIN_S || v > INTERVAL_MAX_S)
        return false;
    *ms = (unsigned)(v * 1000.0 + 0.5);
    return true;
}

/* Returns -1 to go on, else the exit code to return. */
static int parse_option(int c, metrics_args *a, char **argv)
{
    switch (c) {
    case OPT_PER_THREAD: a->per_thread = true; return -1;
    case OPT_LISTEN_ANY: a->listen_any = true; return -1;
    case OPT_NO_CHILDREN: a->children = false; return -1;
    case OPT_LISTEN: a->listen = optarg; return -1;
    case 'o': a->output = optarg; return -1;
    case OPT_INTERVAL:
        if (!parse_interval(optarg, &a->interval_ms))
            return cli_fail("metrics", EXIT_USAGE, "--interval takes seconds from 0.01 to 60, not '%s'", optarg);
        return -1;
    case 'h': metrics_usage(stdout); return EXIT_COMPLETE;
    case ':':
        return cli_fail("metrics", EXIT_USAGE, "option '%s' needs a value; see 'threadlens metrics --help'",
                        argv[optind - 1]);
    default:
        return cli_fail("metrics", EXIT_USAGE, "unknown option '%s'; see 'threadlens metrics --help' for the options",
                        argv[optind - 1]);
    }
}

static int parse_pids(int argc, char **argv, metrics_args *a)
{
    if (optind >= argc)
        return cli_fail("metrics", EXIT_USAGE, "which process? give a PID: threadlens metrics PID");
    a->pids = calloc((size_t)(argc - optind), sizeof *a->pids);
    if (!a->pids)
        return cli_fail("metrics", EXIT_FAILED, "out of memory");
    for (int i = optind; i < argc; i++) {
        if (!cli_parse_pid(argv[i], &a->pids[a->npids]))
            return cli_fail("metrics", EXIT_USAGE, "'%s' is not a PID (a positive number); find PIDs with ps or pgrep", argv[i]);
        bool again = false;   /* a PID given twice would make its target_up series twice */
        for (size_t j = 0; j < a->npids && !again; j++)
            again = a->pids[j] == a->pids[a->npids];
        a->npids += !again;
    }
    return -1;
}

static int parse_args(int argc, char **argv, metrics_args *a)
{
    a->children = true;
    a->interval_ms = INTERVAL_DEFAULT_MS;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "+:o:h", metrics_options, NULL)) != -1) {
        int rc = parse_option(c, a, argv);
        if (rc >= 0)
            return rc;
    }
    if (a->listen && a->output)
        return cli_fail("metrics", EXIT_USAGE, "--listen serves the metrics, -o writes them once: give one of them");
    if (a->listen_any && !a->listen)
        return cli_fail("metrics", EXIT_USAGE, "--listen-any goes with --listen HOST:PORT");
    return parse_pids(argc, argv, a);
}

/* Writes the text into a new file next to path, then renames it over path: a reader sees the
 * old file or the new one, never half of one. mkostemp's O_EXCL never follows a planted link. */
static int write_atomically(metrics_ctx *c, const char *path, tl_status *st, tl_error *err)
{
    char *dir = strdup(path), *base = strdup(path);   /* POSIX dirname/basename may write */
    char *tmp = NULL;
    bool ok = dir && base && asprintf(&tmp, "%s/.%s.XXXXXX", dirname(dir), basename(base)) >= 0;
    free(dir);
    free(base);
    if (!ok)
        return cli_fail("metrics", EXIT_FAILED, "out of memory");
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        int rc = cli_fail("metrics", EXIT_FAILED, "cannot create a temporary file next to %s (%s): %s; "
                          "the directory must exist and be writable", path, tmp, strerror(errno));
        free(tmp);
        return rc;
    }
    mode_t mask = umask(0);
    umask(mask);
    FILE *f = fdopen(fd, "w");
    int rc = -1;
    if (!f || fchmod(fd, 0666 & ~mask) != 0)
        rc = cli_fail("metrics", EXIT_FAILED, "cannot prepare %s: %s", tmp, strerror(errno));
    if (rc < 0) {
        *st = metrics_sample_write(c, f, err);
        if (*st != TL_OK && *st != TL_PARTIAL && *st != TL_ENOENT)
            rc = cli_fail("metrics", EXIT_FAILED, "%s", err->msg);
    }
    if (rc < 0 && (fflush(f) != 0 || fsync(fd) != 0))
        rc = cli_fail("metrics", EXIT_FAILED, "cannot write %s: %s", tmp, strerror(errno));
    if (f ? fclose(f) != 0 : close(fd) != 0)
        rc = rc < 0 ? cli_fail("metrics", EXIT_FAILED, "cannot write %s: %s", tmp, strerror(errno)) : rc;
    if (rc < 0 && rename(tmp, path) != 0)
        rc = cli_fail("metrics", EXIT_FAILED, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
    if (rc >= 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

static int write_once(metrics_ctx *c, const char *output)
{
    tl_error err = {0};
    tl_status st = TL_OK;
    if (output) {
        int rc = write_atomically(c, output, &st, &err);
        if (rc >= 0)
            return rc;
    } else {
        st = metrics_sample_write(c, stdout, &err);
        if (st != TL_OK && st != TL_PARTIAL && st != TL_ENOENT)
            return cli_fail("metrics", EXIT_FAILED, "%s", err.msg);
    }
    if (st == TL_ENOENT)
        return cli_fail("metrics", EXIT_FAILED, "%s", err.msg);
    return cli_exit_code(st);
}

static int run(metrics_args *a)
{
    tl_sampler_options so;
    sampler_default_options(&so);
    so.children = a->children;
    so.stacks = false;   /* /proc only: a scrape never stops a thread */
    so.jvm = false;
    so.incremental = true;
    metrics_ctx c = {.options = so, .interval_ms = a->interval_ms, .per_thread = a->per_thread, .ntargets = a->npids};
    c.targets = calloc(a->npids, sizeof *c.targets);
    c.roots = calloc(a->npids, sizeof *c.roots);
    if (!c.targets || !c.roots) {
        free(c.targets);
        free(c.roots);
        return cli_fail("metrics", EXIT_FAILED, "out of memory");
    }
    for (size_t i = 0; i < a->npids; i++)
        c.targets[i].pid = a->pids[i];
    tl_error err = {0};
    int rc;
    if (metrics_open(&c, &err) != TL_OK)
        rc = cli_fail("metrics", EXIT_FAILED, "%s", err.msg);
    else if (a->listen)
        rc = http_serve_metrics(&c, a->listen, a->listen_any);
    else
        rc = write_once(&c, a->output);
    sampler_close(c.sampler);
    free(c.targets);
    free(c.roots);
    return rc;
}

int cmd_metrics(int argc, char **argv)
{
    metrics_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc < 0)
        rc = run(&a);
    free(a.pids);
    return rc;
}
