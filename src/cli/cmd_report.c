/* threadlens report FILE.jsonl: what a recording says (state timelines, top stacks by wall and
 * CPU, the objects waited on longest, threads stuck all along), or --format to convert it. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_record.h"

static void report_usage(FILE *f)
{
    fputs("Usage: threadlens report [OPTIONS] FILE.jsonl\n"
          "What a recording of threadlens record --format jsonl says: per thread a state timeline\n"
          "(R running, S sleeping, L waiting on a lock, I waiting on I/O, D uninterruptible,\n"
          ". absent), the top stacks by wall and by CPU time, the locks and fds waited on\n"
          "longest with their owners, and the threads stuck for the whole recording.\n\n"
          "      --format F     convert instead: folded, pprof, speedscope or jsonl\n"
          "  -o, --output FILE  write here (default: standard output)\n"
          "  -w, --width N      characters of each timeline (default 60)\n"
          "  -h, --help         this text\n\n"
          "Exit codes: 0 done, 2 the file could not be read or is not a recording, 64 usage.\n",
          f);
}

enum { OPT_FORMAT = 500 };

static const struct option report_options[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    {"output", required_argument, NULL, 'o'},
    {"width", required_argument, NULL, 'w'},
    {"help", no_argument, NULL, 'h'},
    {0},
};

int cmd_report(int argc, char **argv)
{
    record_format fmt = RECORD_FOLDED;
    bool convert = false;
    const char *out_path = NULL;
    unsigned width = 60;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "+:o:w:h", report_options, NULL)) != -1) {
        switch (c) {
        case OPT_FORMAT:
            if (!record_format_parse(optarg, &fmt))
                return cli_fail("report", EXIT_USAGE, "unknown format '%s': use folded, pprof, speedscope or jsonl", optarg);
            convert = true;
            break;
        case 'o': out_path = optarg; break;
        case 'w':
            if (!cli_parse_count(optarg, 1000, &width))
                return cli_fail("report", EXIT_USAGE, "-w takes a width from 1 to 1000, not '%s'", optarg);
            break;
        case 'h': report_usage(stdout); return EXIT_COMPLETE;
        case ':': return cli_fail("report", EXIT_USAGE, "option '%s' needs a value; see 'threadlens report --help'", argv[optind - 1]);
        default: return cli_fail("report", EXIT_USAGE, "unknown option '%s'; see 'threadlens report --help'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_fail("report", EXIT_USAGE, "give one recording: threadlens report FILE.jsonl");
    const char *path = argv[optind];
    FILE *in = fopen(path, "r");
    if (!in)
        return cli_fail("report", EXIT_FAILED, "cannot read '%s': %s", path, strerror(errno));
    recording *r = NULL;
    tl_error e = {0};
    tl_status st = record_read_jsonl(in, path, &r, &e);
    fclose(in);
    if (st != TL_OK)
        return cli_fail("report", EXIT_FAILED, "%s", e.msg);
    FILE *out = stdout;
    if (out_path && !(out = fopen(out_path, "w"))) {
        record_free(r);
        return cli_fail("report", EXIT_FAILED, "cannot write '%s': %s; give a writable -o FILE", out_path, strerror(errno));
    }
    st = convert ? record_write(r, fmt, out, &e) : record_report(r, out, width, &e);
    if (out_path && fclose(out) && st == TL_OK)
        st = tl_error_set(&e, TL_EIO, "closing the output failed");
    record_free(r);
    if (st != TL_OK)
        return cli_fail("report", EXIT_FAILED, "%s", e.msg);
    return EXIT_COMPLETE;
}
