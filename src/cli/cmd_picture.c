/* threadlens picture PID [-o FILE]: one snapshot with what the threads share and own, drawn
 * (src/picture): SVG by default, PNG or PDF by the file's suffix. */
#ifdef THREADLENS_HAVE_PICTURE   /* built without cairo: no picture command */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "picture/picture.h"
#include "threadlens/sampler.h"

static void picture_usage(FILE *f)
{
    fputs("Usage: threadlens picture [OPTIONS] PID\n"
          "Draws the address space of PID (and of each child process, one column each) with its\n"
          "threads: every region labelled (class, file, mapped and resident size), each thread's\n"
          "stack and PC, what it waits on, what all threads share and what each owns.\n\n"
          "  -o, --output FILE     write to FILE: .png and .pdf by their suffix, else SVG\n"
          "                        (default: SVG on standard output)\n"
          "      --no-children     only PID, not its descendant processes\n"
          "  -h, --help            this text\n\n"
          "Exit codes: 0 complete, 1 partial (drawn, but something could not be read),\n"
          "2 failed (no such process, the file cannot be written), 64 usage.\n",
          f);
}

enum { OPT_NO_CHILDREN = 256 };

static const struct option picture_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"no-children", no_argument, NULL, OPT_NO_CHILDREN},
    {"help", no_argument, NULL, 'h'},
    {0},
};

typedef struct picture_args {
    const char *output;
    bool children;
    int pid;
} picture_args;

static int parse_args(int argc, char **argv, picture_args *a)
{
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:h", picture_options, NULL)) != -1) {
        switch (c) {
        case 'o': a->output = optarg; break;
        case OPT_NO_CHILDREN: a->children = false; break;
        case 'h': picture_usage(stdout); return EXIT_COMPLETE;
        case ':': return cli_fail("picture", EXIT_USAGE, "option '%s' needs a value; see 'threadlens picture --help'", argv[optind - 1]);
        default: return cli_fail("picture", EXIT_USAGE, "unknown option '%s'; see 'threadlens picture --help'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_fail("picture", EXIT_USAGE, "which process? give a PID: threadlens picture PID -o picture.svg");
    if (optind + 1 < argc)
        return cli_fail("picture", EXIT_USAGE, "one PID only (its children get columns of their own)");
    if (!cli_parse_pid(argv[optind], &a->pid))
        return cli_fail("picture", EXIT_USAGE, "'%s' is not a PID (a positive number); find PIDs with ps or pgrep", argv[optind]);
    return -1;
}

/* The output, opened before sampling so a bad path fails at once; *created when it did not
 * exist (removed again if nothing is drawn). -1 after the message, -2 on a usage error. */
static int open_output(const picture_args *a, bool *created)
{
    if (!a->output || !strcmp(a->output, "-")) {
        if (isatty(STDOUT_FILENO)) {
            cli_fail("picture", EXIT_USAGE, "standard output is a terminal: give a file with -o FILE (.svg, .png or .pdf)");
            return -2;
        }
        return STDOUT_FILENO;
    }
    int fd = open(a->output, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0644);
    *created = fd >= 0;
    if (fd < 0 && errno == EEXIST)
        fd = open(a->output, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        cli_fail("picture", EXIT_FAILED, "cannot write %s: %s; give a writable path with -o", a->output, strerror(errno));
    return fd;
}

static tl_status take(const picture_args *a, tl_snapshot **snap, tl_error *err)
{
    tl_sampler_options o;
    sampler_default_options(&o);
    o.regions = true;
    o.children = a->children;
    tl_sampler *s = NULL;
    tl_status st = sampler_open(&s, &a->pid, 1, &o, err);
    if (st == TL_OK)
        st = sampler_take(s, snap, err);
    sampler_close(s);
    return st;
}

int cmd_picture(int argc, char **argv)
{
    picture_args a = {.children = true};
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    tl_error err = {0};
    if (picture_module_load(&err) != TL_OK)   /* before any file is made or process stopped */
        return cli_fail("picture", EXIT_FAILED, "%s", err.msg);
    bool created = false;
    int fd = open_output(&a, &created);
    if (fd < 0)
        return fd == -2 ? EXIT_USAGE : EXIT_FAILED;
    tl_snapshot *snap = NULL;
    tl_status taken = take(&a, &snap, &err);
    picture_format f = picture_format_for(a.output);
    picture_stats ps = {0};
    if (!snap)
        rc = cli_fail("picture", EXIT_FAILED, "%s", err.msg);
    else if (picture_write(snap, fd, f, &ps, &err) != TL_OK)
        rc = cli_fail("picture", EXIT_FAILED, "%s", err.msg);
    else
        rc = cli_exit_code(taken);
    if (fd != STDOUT_FILENO && close(fd) != 0 && rc != EXIT_FAILED)
        rc = cli_fail("picture", EXIT_FAILED, "closing %s failed: %s", a.output, strerror(errno));
    if (rc == EXIT_FAILED && created)
        unlink(a.output);   /* no half-written or empty picture left behind */
    if (snap && rc != EXIT_FAILED)
        fprintf(stderr, "threadlens picture: %s of %zu process%s, %zu threads, %zu regions (%zu small ones "
                "grouped) written to %s%s\n", picture_format_name(f), ps.processes, ps.processes == 1 ? "" : "es",
                ps.threads, ps.regions, ps.folded, a.output ? a.output : "standard output",
                taken == TL_PARTIAL ? "; partial: something could not be read (threadlens dump says what)" : "");
    snapshot_free(snap);
    return rc;
}
#endif
