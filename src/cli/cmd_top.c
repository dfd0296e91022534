/* threadlens top PID...: the live view of a process tree's threads. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "threadlens/format.h"

#ifdef THREADLENS_HAVE_UI
#include "ui/ui.h"

#define DELAY_MIN_S 0.1
#define DELAY_MAX_S 3600.0
#define ITERATIONS_MAX 1000000

static void print_key_line(const char *line, void *ctx)
{
    fprintf(ctx, "%s\n", line);
}

static void top_usage(FILE *f)
{
    fputs("Usage: threadlens top [OPTIONS] PID...\n"
          "Live view of the threads of each PID and, unless --no-children, its descendants:\n"
          "CPU%, times, context switches, what each waits on, stacks, what threads share.\n\n"
          "  -d, --delay SECONDS   time between refreshes (default 1; 0.1 to 3600)\n"
          "  -n, --iterations N    draw N refreshes and exit (tests, screenshots)\n"
          "      --no-color        no colours (also when NO_COLOR is set)\n"
          "      --no-children     only the given processes, not their descendants\n"
          "      --no-stacks       never stop a thread: no stacks, counters only\n"
          "      --load FILE       browse a saved JSON dump (dump --json > FILE) instead of a\n"
          "                        live process: frozen, every pane on what the file holds\n"
          "      --lesson          a guided lesson: four steps (the thread table, the shared\n"
          "                        pane, one thread's stack, the child process), Space goes on\n"
          "  -h, --help            this text\n\n"
          "Keys:\n",
          f);
    ui_print_keys(print_key_line, f);
    fputs("\nExit codes: 0 quit, 2 failed (no such process, no terminal), 64 usage;\n"
          "128+N when signal N ended it. The target is never left stopped.\n",
          f);
}

enum { OPT_NO_COLOR = 256, OPT_NO_CHILDREN, OPT_NO_STACKS };
enum { OPT_LESSON = 320 };
enum { OPT_LOAD = 330 };

static const struct option top_options[] = {
    {"delay", required_argument, NULL, 'd'},
    {"iterations", required_argument, NULL, 'n'},
    {"no-color", no_argument, NULL, OPT_NO_COLOR},
    {"no-colour", no_argument, NULL, OPT_NO_COLOR},
    {"no-children", no_argument, NULL, OPT_NO_CHILDREN},
    {"no-stacks", no_argument, NULL, OPT_NO_STACKS},
    {"lesson", no_argument, NULL, OPT_LESSON},
    {"load", required_argument, NULL, OPT_LOAD},
    {"help", no_argument, NULL, 'h'},
    {0},
};

static bool parse_delay(const char *s, unsigned *ms)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || v < DELAY_MIN_S || v > DELAY_MAX_S)
        return false;
    *ms = (unsigned)(v * 1000.0 + 0.5);
    return true;
}

/* Returns -1 to go on, else the exit code to return. */
static int parse_option(int c, ui_options *o)
{
    switch (c) {
    case 'd':
        if (!parse_delay(optarg, &o->delay_ms))
            return cli_fail("top", EXIT_USAGE, "-d takes seconds from 0.1 to 3600 (e.g. -d 0.5), not '%s'", optarg);
        return -1;
    case 'n':
        if (!cli_parse_count(optarg, ITERATIONS_MAX, &o->iterations))
            return cli_fail("top", EXIT_USAGE, "--iterations takes a number from 1 to %d, not '%s'", ITERATIONS_MAX, optarg);
        return -1;
    case OPT_NO_COLOR: o->color = false; return -1;
    case OPT_NO_CHILDREN: o->sampler.children = false; return -1;
    case OPT_NO_STACKS: o->sampler.stacks = false; return -1;
    case OPT_LESSON: o->lesson = true; return -1;
    case OPT_LOAD: o->loaded_name = optarg; return -1;
    case 'h': top_usage(stdout); return EXIT_COMPLETE;
    default: return cli_fail("top", EXIT_USAGE, "see 'threadlens top --help' for the options");
    }
}

static int parse_pids(int argc, char **argv, ui_options *o, int **pids)
{
    if (optind >= argc)
        return cli_fail("top", EXIT_USAGE, "which process? give a PID: threadlens top PID");
    *pids = calloc((size_t)(argc - optind), sizeof **pids);
    if (!*pids)
        return cli_fail("top", EXIT_FAILED, "out of memory");
    size_t n = 0;
    for (int i = optind; i < argc; i++, n++)
        if (!cli_parse_pid(argv[i], &(*pids)[n]))
            return cli_fail("top", EXIT_USAGE, "'%s' is not a PID (a positive number); find PIDs with ps or pgrep", argv[i]);
    o->pids = *pids;
    o->npids = n;
    return -1;
}

static void default_options(ui_options *o)
{
    memset(o, 0, sizeof *o);
    sampler_default_options(&o->sampler);
    o->delay_ms = 1000;
    const char *no_color = getenv("NO_COLOR");
    o->color = !(no_color && *no_color);
}

int cmd_top(int argc, char **argv)
{
    ui_options o;
    default_options(&o);
    optind = 1;
    int c, rc;
    while ((c = getopt_long(argc, argv, "+d:n:h", top_options, NULL)) != -1)
        if ((rc = parse_option(c, &o)) >= 0)
            return rc;
    int *pids = NULL;
    if (o.loaded_name) {   /* a saved dump instead of a process */
        tl_error err = {0};
        if (optind < argc)
            return cli_fail("top", EXIT_USAGE, "--load FILE takes no PID");
        if (format_json_load(o.loaded_name, &o.loaded, &err) != TL_OK)
            return cli_fail("top", EXIT_FAILED, "%s", err.msg);
        rc = -1;
    } else {
        rc = parse_pids(argc, argv, &o, &pids);
    }
    if (rc < 0) {
        tl_error err = {0};
        tl_status st = ui_run(&o, &err);
        int sig = ui_exit_signal();
        rc = st != TL_OK ? cli_fail("top", EXIT_FAILED, "%s", err.msg) : sig ? 128 + sig : EXIT_COMPLETE;
    }
    free(pids);
    return rc;
}

#else

int cmd_top(int argc, char **argv)
{
    (void)argc, (void)argv;
    return cli_fail("top", EXIT_FAILED, "this build has no live view (built without ncursesw); use threadlens dump");
}

#endif
