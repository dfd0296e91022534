/* threadlens diff A.json B.json: what changed between two saved dumps of the same processes. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "threadlens/format.h"
#include "threadlens/snapdiff.h"

static void diff_usage(FILE *f)
{
    fputs("Usage: threadlens diff [--json] A.json B.json\n"
          "What changed from saved dump A to saved dump B (threadlens dump --json PID > A.json):\n"
          "processes and threads that appeared or ended, state changes, threads whose stack or\n"
          "wait changed (old -> new top frames), CPU used between the two (per process, top 10\n"
          "threads), stack groups that grew or shrank, deadlocks that appeared or cleared.\n\n"
          "  -j, --json            JSON for programs\n"
          "  -h, --help            this text\n\n"
          "Exit codes: 0 compared; 2 the dumps are of different processes, or a file is missing,\n"
          "empty, not JSON, truncated, not a threadlens dump or of a newer format_version (one\n"
          "line says which); 64 usage.\n",
          f);
}

static const struct option diff_options[] = {
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {0},
};

int cmd_diff(int argc, char **argv)
{
    bool json = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "+jh", diff_options, NULL)) != -1) {
        if (c == 'j')
            json = true;
        else if (c == 'h')
            return diff_usage(stdout), EXIT_COMPLETE;
        else
            return cli_fail("diff", EXIT_USAGE, "unknown option '%s'; see 'threadlens diff --help'", argv[optind - 1]);
    }
    if (optind + 2 != argc)
        return cli_fail("diff", EXIT_USAGE, "give two saved dumps: threadlens diff A.json B.json");
    tl_error err = {0};
    tl_snapshot *a = NULL, *b = NULL;
    tl_snapdiff *d = NULL;
    int rc = EXIT_COMPLETE;
    if (format_json_load(argv[optind], &a, &err) != TL_OK || format_json_load(argv[optind + 1], &b, &err) != TL_OK ||
        snapdiff_build(a, b, &d, &err) != TL_OK)
        rc = cli_fail("diff", EXIT_FAILED, "%s", err.msg);
    else if (json && format_diff_json(stdout, d, &err) != TL_OK)
        rc = cli_fail("diff", EXIT_FAILED, "%s", err.msg);
    else if (!json)
        format_diff_text(stdout, d);
    snapdiff_free(d);
    snapshot_free(a);
    snapshot_free(b);
    return rc;
}
