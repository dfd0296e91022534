/* threadlens dump PID...: one snapshot, written as text or JSON. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dump_window.h"
#include "threadlens/core_file.h"
#include "threadlens/format.h"
#include "threadlens/sampler.h"

typedef struct dump_args {
    tl_sampler_options sampler;
    tl_format_options format;
    bool json;
    bool fail_on_deadlock;
    unsigned count;           /* --count: samples (default 1) */
    uint64_t interval_ms;     /* --interval (default 1 s) */
    const char *save;         /* --save FILE: the JSON dump into FILE as well */
    int *pids;
    size_t npids;
    tl_core_options core;         /* --core: a core file instead of PIDs */
} dump_args;

static void dump_usage(FILE *f)
{
    fputs("Usage: threadlens dump [OPTIONS] PID...\n"
          "       threadlens dump [OPTIONS] --core FILE [--exe PATH] [--sysroot DIR]\n"
          "Thread dump of each PID and, unless --no-children, its descendant processes; or of\n"
          "a core file (gcore, a kernel core, or zstd/lz4/xz as systemd-coredump keeps it).\n\n"
          "      --core FILE       dump a core file: threads, stacks, waits and deadlocks\n"
          "                        (--no-stacks, --consistent, --stats, --shared, --no-jvm\n"
          "                        and --no-children do not apply to a core)\n"
          "      --exe PATH        with --core: the executable, when it is not where the core says\n"
          "      --sysroot DIR     with --core: look for the core's libraries under DIR\n"
          "  -j, --json            JSON for programs (schema in threadlens(1))\n"
          "      --no-children     only the given processes, not their descendants\n"
          "      --no-stacks       counters only: reads /proc, stops no thread\n"
          "      --no-jvm          do not attach to Java VMs (no Java names, states, frames)\n"
          "      --consistent      stop all threads of a process together, for one coherent\n"
          "                        moment (longer pause)\n"
          "      --max-frames N    frames per thread (default 256)\n"
          "      --stats           how long threads were stopped (median, max, total)\n"
          "      --shared          what the threads of each process share (code, heap, mapped\n"
          "                        files, fds, signal handlers) and what each owns (its stack\n"
          "                        mapping, pc, sp, tls, signal mask); JSON adds the regions\n"
          "      --no-waits        skip what each thread waits on, and so deadlock detection\n"
          "      --fail-on-deadlock  exit 3 when a deadlock is found\n"
          "      --no-summary      leave out the summary at the top (states, largest stack\n"
          "                        groups, most waited-on objects; JSON: \"summary\")\n"
          "      --group           one block per group of threads with the same stack\n"
          "  -c, --count N         take N samples (default 1) and give each thread a verdict\n"
          "                        over them: blocked, busy, idle, changing, new, ended; the\n"
          "                        summary adds the blocking chains; the report is the last sample\n"
          "  -i, --interval SECONDS  between samples (default 1; decimals allowed)\n"
          "      --save FILE       write the same snapshot as a JSON dump into FILE too (for\n"
          "                        threadlens show, diff, top --load)\n"
          "      --mixed           a JVM thread's Java frames inside its native stack, where\n"
          "                        the JVM runs them (names of JIT code from its perf map:\n"
          "                        jcmd PID Compiler.perfmap)\n"
          "  -h, --help            this text\n\n"
          "Exit codes: 0 complete, 1 partial (some thread or process could not be read; the\n"
          "notes say which), 2 failed, 3 deadlock (with --fail-on-deadlock), 64 usage.\n",
          f);
}

enum { OPT_NO_CHILDREN = 256, OPT_NO_STACKS, OPT_CONSISTENT, OPT_MAX_FRAMES, OPT_STATS, OPT_FAIL_DEADLOCK,
       OPT_SHARED };

enum { OPT_NO_JVM = 300 };
enum { OPT_NO_WAITS = 310 };
enum { OPT_NO_SUMMARY = 320, OPT_GROUP };
enum { OPT_SAVE = 330 };
enum { OPT_CORE = 340, OPT_EXE, OPT_SYSROOT };
enum { OPT_MIXED = 350 };

static const struct option dump_options[] = {
    {"no-jvm", no_argument, NULL, OPT_NO_JVM},
    {"json", no_argument, NULL, 'j'},
    {"no-children", no_argument, NULL, OPT_NO_CHILDREN},
    {"no-stacks", no_argument, NULL, OPT_NO_STACKS},
    {"consistent", no_argument, NULL, OPT_CONSISTENT},
    {"max-frames", required_argument, NULL, OPT_MAX_FRAMES},
    {"stats", no_argument, NULL, OPT_STATS},
    {"fail-on-deadlock", no_argument, NULL, OPT_FAIL_DEADLOCK},
    {"no-waits", no_argument, NULL, OPT_NO_WAITS},
    {"shared", no_argument, NULL, OPT_SHARED},
    {"no-summary", no_argument, NULL, OPT_NO_SUMMARY},
    {"group", no_argument, NULL, OPT_GROUP},
    {"save", required_argument, NULL, OPT_SAVE},
    {"count", required_argument, NULL, 'c'},
    {"interval", required_argument, NULL, 'i'},
    {"core", required_argument, NULL, OPT_CORE},
    {"exe", required_argument, NULL, OPT_EXE},
    {"sysroot", required_argument, NULL, OPT_SYSROOT},
    {"mixed", no_argument, NULL, OPT_MIXED},
    {"help", no_argument, NULL, 'h'},
    {0},
};

/* Returns -1 to go on, else the exit code to return. */
static int parse_option(int c, dump_args *a)
{
    switch (c) {
    case 'j': a->json = true; return -1;
    case OPT_NO_CHILDREN: a->sampler.children = false; return -1;
    case OPT_NO_STACKS: a->sampler.stacks = false; return -1;
    case OPT_NO_JVM: a->sampler.jvm = false; return -1;
    case OPT_CONSISTENT: a->sampler.consistent = true; return -1;
    case OPT_STATS: a->format.stats = true; return -1;
    case OPT_FAIL_DEADLOCK: a->fail_on_deadlock = true; return -1;
    case OPT_NO_WAITS: a->sampler.waits = false; return -1;
    case OPT_SHARED: a->sampler.regions = true; return -1;
    case OPT_NO_SUMMARY: a->format.no_summary = true; return -1;
    case OPT_GROUP: a->format.group = true; return -1;
    case OPT_SAVE: a->save = optarg; return -1;
    case 'c':
        if (!cli_parse_count(optarg, 1000, &a->count))
            return cli_fail("dump", EXIT_USAGE, "--count takes a number from 1 to 1000, not '%s'", optarg);
        return -1;
    case 'i': {
        char *end = NULL;
        double secs = strtod(optarg, &end);
        if (!end || *end || !(secs >= 0.001 && secs <= 3600))
            return cli_fail("dump", EXIT_USAGE, "--interval takes seconds from 0.001 to 3600, not '%s'", optarg);
        a->interval_ms = (uint64_t)(secs * 1000 + 0.5);
        return -1;
    }
    case OPT_CORE: a->core.path = optarg; return -1;
    case OPT_EXE: a->core.exe = optarg; return -1;
    case OPT_SYSROOT: a->core.sysroot = optarg; return -1;
    case OPT_MIXED: a->format.mixed = true; return -1;
    case OPT_MAX_FRAMES:
        if (!cli_parse_count(optarg, 100000, &a->sampler.max_frames))
            return cli_fail("dump", EXIT_USAGE, "--max-frames takes a number from 1 to 100000, not '%s'", optarg);
        return -1;
    case 'h': dump_usage(stdout); return EXIT_COMPLETE;
    default: return cli_fail("dump", EXIT_USAGE, "see 'threadlens dump --help' for the options");
    }
}

#define DUMP_SHORT_OPTIONS "jhc:i:"

/* getopt's own message plus ours would be two lines: say it in one (c is '?' or ':'). */
static int bad_option(int c, char **argv)
{
    char short_opt[3] = {'-', (char)optopt, '\0'};
    /* a bad short option leaves it in optopt; a bad long one sets 0 or its own value */
    bool is_short = optopt > ' ' && optopt < 127 && !strchr(DUMP_SHORT_OPTIONS, optopt);
    const char *opt = is_short ? short_opt : argv[optind - 1];
    if (c == ':')
        return cli_fail("dump", EXIT_USAGE, "option '%s' needs a value; see 'threadlens dump --help'", opt);
    return cli_fail("dump", EXIT_USAGE, "unknown option '%s'; see 'threadlens dump --help' for the options", opt);
}

static int parse_args(int argc, char **argv, dump_args *a)
{
    sampler_default_options(&a->sampler);
    a->count = 1;
    a->interval_ms = 1000;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "+:" DUMP_SHORT_OPTIONS, dump_options, NULL)) != -1) {
        int rc = c == '?' || c == ':' ? bad_option(c, argv) : parse_option(c, a);
        if (rc >= 0)
            return rc;
    }
    if ((a->core.exe || a->core.sysroot) && !a->core.path)
        return cli_fail("dump", EXIT_USAGE, "--exe and --sysroot go with --core FILE");
    if (a->core.path && optind < argc)
        return cli_fail("dump", EXIT_USAGE, "give either --core FILE or PIDs, not both");
    if (a->core.path)
        return -1;
    if (optind >= argc)
        return cli_fail("dump", EXIT_USAGE, "which process? give a PID: threadlens dump PID");
    a->pids = calloc((size_t)(argc - optind), sizeof *a->pids);
    if (!a->pids)
        return cli_fail("dump", EXIT_FAILED, "out of memory");
    for (int i = optind; i < argc; i++) {
        if (!cli_parse_pid(argv[i], &a->pids[a->npids]))
            return cli_fail("dump", EXIT_USAGE, "'%s' is not a PID (a positive number); find PIDs with ps or pgrep", argv[i]);
        a->npids++;
    }
    return -1;
}

/* --save: the JSON dump of this very snapshot, whatever stdout gets. */
static bool save_dump(const dump_args *a, const tl_snapshot *snap)
{
    tl_error err = {0};
    FILE *f = fopen(a->save, "w");
    if (!f) {
        cli_fail("dump", EXIT_FAILED, "cannot write %s: %s", a->save, strerror(errno));
        return false;
    }
    tl_status st = format_json(f, snap, &a->format, &err);
    if (fclose(f) != 0 && st == TL_OK)
        st = tl_error_set(&err, TL_EIO, "could not write %s (disk full?)", a->save);
    if (st != TL_OK)
        cli_fail("dump", EXIT_FAILED, "%s: %s", a->save, err.msg);
    return st == TL_OK;
}

static int write_dump(const dump_args *a, const tl_snapshot *snap, tl_status taken)
{
    tl_error err = {0};
    if (a->save && !save_dump(a, snap))
        return EXIT_FAILED;
    tl_status st = a->json ? format_json(stdout, snap, &a->format, &err)
                           : format_text(stdout, snap, &a->format, &err);
    if (st != TL_OK)
        return cli_fail("dump", EXIT_FAILED, "%s", err.msg);
    if (taken == TL_PARTIAL && !a->json)
        fprintf(stderr, "threadlens dump: partial dump; the notes at the top say what is missing\n");
    if (a->fail_on_deadlock && snap->ndeadlocks > 0)
        return EXIT_DEADLOCK;
    return cli_exit_code(taken);
}

int cmd_dump(int argc, char **argv)
{
    dump_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0) {
        free(a.pids);
        return rc;
    }
    tl_error err = {0};
    tl_sampler *sampler = NULL;
    tl_snapshot *snap = NULL;
    tl_status st;
    if (a.core.path) {
        a.core.max_frames = a.sampler.max_frames;
        a.core.waits = a.sampler.waits;
        st = core_file_take(&a.core, &snap, &err);
    } else if (a.count > 1) {
        st = dump_window_take(a.pids, a.npids, &a.sampler, a.count, a.interval_ms, &snap, &err);
    } else {
        st = sampler_open(&sampler, a.pids, a.npids, &a.sampler, &err);
        if (st == TL_OK)
            st = sampler_take(sampler, &snap, &err);
    }
    if (snap)
        rc = write_dump(&a, snap, st);
    else
        rc = cli_fail("dump", EXIT_FAILED, "%s", err.msg);
    snapshot_free(snap);
    sampler_close(sampler);
    free(a.pids);
    return rc;
}
