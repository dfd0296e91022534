/* threadlens show FILE: a saved JSON dump (dump --json > FILE) rendered as the dump would be. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "threadlens/format.h"

static void show_usage(FILE *f)
{
    fputs("Usage: threadlens show [OPTIONS] FILE\n"
          "Prints a saved JSON dump (threadlens dump --json PID > FILE) as the text dump.\n\n"
          "  -j, --json            the dump as JSON again (current format_version)\n"
          "      --no-summary      leave out the summary at the top\n"
          "      --group           one block per group of threads with the same stack\n"
          "      --stats           how long threads were stopped, when the file has it\n"
          "  -h, --help            this text\n\n"
          "The Java view and the --shared parts of the dump are shown as dump showed them.\n"
          "Exit codes: 0 shown, 2 the file is missing, empty, not JSON, truncated, not a\n"
          "threadlens dump or of a newer format_version (one line says which), 64 usage.\n",
          f);
}

enum { SHOW_NO_SUMMARY = 256, SHOW_GROUP, SHOW_STATS };

static const struct option show_options[] = {
    {"json", no_argument, NULL, 'j'},
    {"no-summary", no_argument, NULL, SHOW_NO_SUMMARY},
    {"group", no_argument, NULL, SHOW_GROUP},
    {"stats", no_argument, NULL, SHOW_STATS},
    {"help", no_argument, NULL, 'h'},
    {0},
};

int cmd_show(int argc, char **argv)
{
    tl_format_options fo = {0};
    bool json = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "+jh", show_options, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case SHOW_NO_SUMMARY: fo.no_summary = true; break;
        case SHOW_GROUP: fo.group = true; break;
        case SHOW_STATS: fo.stats = true; break;
        case 'h': show_usage(stdout); return EXIT_COMPLETE;
        default: return cli_fail("show", EXIT_USAGE, "unknown option '%s'; see 'threadlens show --help'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_fail("show", EXIT_USAGE, "give one saved dump: threadlens show FILE");
    tl_error err = {0};
    tl_snapshot *s = NULL;
    if (format_json_load(argv[optind], &s, &err) != TL_OK)
        return cli_fail("show", EXIT_FAILED, "%s", err.msg);
    tl_status st = json ? format_json(stdout, s, &fo, &err) : format_text(stdout, s, &fo, &err);
    snapshot_free(s);
    if (st != TL_OK)
        return cli_fail("show", EXIT_FAILED, "%s", err.msg);
    return EXIT_COMPLETE;
}
