/* threadlens: subcommands in the manner of git and jcmd. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_record.h"
#include "threadlens/format.h"
#include "threadlens/version.h"

static void usage(FILE *f)
{
    fputs("Usage: threadlens COMMAND [OPTIONS] [PID...]\n"
          "Shows what every thread of a running Linux process is doing.\n\n"
          "Commands:\n"
          "  dump PID...   thread dump of the processes (and their children): counters,\n"
          "                native stacks, what each thread waits on, deadlocks\n"
          "  top PID...    live view of the threads of a process tree (--load FILE: a saved dump)\n"
          "  show FILE     a saved JSON dump (dump --json > FILE) as the text dump\n"
          "  diff A B      what changed between two saved JSON dumps of the same processes\n"
          "  demo          start the bundled teaching workload and look at it\n"
          "  metrics PID...\n"
          "                OpenMetrics text for Prometheus (--listen: serve /metrics)\n"
          "  picture PID   draw the address space and threads of a process tree (SVG, PNG, PDF)\n"
          "  record PID... sample every thread over time: flame graphs (folded), pprof,\n"
          "                speedscope, jsonl\n"
          "  report FILE   state timelines, top stacks and longest waits of a jsonl recording\n"
          "  help          this text\n\n"
          "Options:\n"
          "  -h, --help     show help (also after a command: threadlens dump --help)\n"
          "  -V, --version  show the version\n\n"
          "Exit codes: 0 complete, 1 partial, 2 failed, 3 deadlock found (--fail-on-deadlock),\n"
          "64 usage. See threadlens(1).\n",
          f);
}

static void print_version(void)
{
    const char *git = threadlens_git_describe();
    if (*git)
        printf("threadlens %s (git %s)\n", threadlens_version(), git);
    else
        printf("threadlens %s\n", threadlens_version());
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("threadlens: no command given; see 'threadlens --help'\n", stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return EXIT_COMPLETE;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        print_version();
        return EXIT_COMPLETE;
    }
    if (!strcmp(cmd, "dump"))
        return cmd_dump(argc - 1, argv + 1);
    if (!strcmp(cmd, "top"))
        return cmd_top(argc - 1, argv + 1);
    if (!strcmp(cmd, "show"))
        return cmd_show(argc - 1, argv + 1);
    if (!strcmp(cmd, "diff"))
        return cmd_diff(argc - 1, argv + 1);
    if (!strcmp(cmd, "metrics"))
        return cmd_metrics(argc - 1, argv + 1);
#ifdef THREADLENS_HAVE_PICTURE
    if (!strcmp(cmd, "picture"))
        return cmd_picture(argc - 1, argv + 1);
#endif
    if (!strcmp(cmd, "record"))
        return cmd_record(argc - 1, argv + 1);
    if (!strcmp(cmd, "report"))
        return cmd_report(argc - 1, argv + 1);
    if (!strcmp(cmd, "demo"))
        return cmd_demo(argc - 1, argv + 1);
    fprintf(stderr, "threadlens: unknown command '%s'; see 'threadlens --help'\n", cmd);
    return EXIT_USAGE;
}
