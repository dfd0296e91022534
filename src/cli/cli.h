/* Shared pieces of the command-line front end. Exit codes are a contract (man page, README). */
#ifndef THREADLENS_CLI_H
#define THREADLENS_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "threadlens/error.h"

enum {
    EXIT_COMPLETE = 0,    /* everything asked for was read */
    EXIT_PARTIAL = 1,     /* output written, but something was missing (see notes) */
    EXIT_FAILED = 2,      /* nothing useful could be read */
    EXIT_DEADLOCK = 3,    /* --fail-on-deadlock and a deadlock was found */
    EXIT_USAGE = 64,      /* bad command line */
};

/* Parses a PID: decimal digits only, 1..INT_MAX. */
bool cli_parse_pid(const char *s, int *pid);
/* Parses a positive count: decimal digits only, 1..max. */
bool cli_parse_count(const char *s, unsigned max, unsigned *out);

/* "threadlens CMD: message" on stderr; returns code. */
int cli_fail(const char *cmd, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The exit code for a sampler/formatter status. */
int cli_exit_code(tl_status st);

/* Runs cmd as `WORD argv[1..argc-1] PID` (argv[0], the caller's own word, is dropped; argc >= 1): how
 * the demos hand their workload to dump or top. */
int cli_run_on_pid(int (*cmd)(int, char **), const char *word, int argc, char **argv, int pid);

/* SIGKILL to a child of ours, then reaps it. */
void cli_kill_child(int pid);

int cmd_dump(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_demo_java(int argc, char **argv);   /* demo --java (cmd_demo_java.c) */
int cmd_top(int argc, char **argv);
int cmd_show(int argc, char **argv);      /* a saved JSON dump as text (cmd_show.c) */
int cmd_diff(int argc, char **argv);      /* two saved dumps compared (cmd_diff.c) */
int cmd_metrics(int argc, char **argv);   /* OpenMetrics for Prometheus (cmd_metrics.c) */
int cmd_picture(int argc, char **argv);   /* cmd_picture.c (needs THREADLENS_HAVE_PICTURE) */

/* The demo workload, run in the foreground (`threadlens demo --workload-only`). */
int demo_workload_main(int ready_fd);

#endif
