/* threadlens demo: starts the bundled teaching workload as a child, looks at it, and stops it
 * however threadlens exits (the workload dies with us through PR_SET_PDEATHSIG). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cli.h"

#define READY_TIMEOUT_MS 5000

static void demo_usage(FILE *f)
{
    fputs("Usage: threadlens demo [TOP OPTIONS] | --dump [DUMP OPTIONS] | --workload-only\n"
          "Starts a small multi-threaded program (named threads in a named call chain, a\n"
          "producer/consumer pair, a CPU-busy thread, a thread blocked on a pipe, a forked\n"
          "child with threads of its own) and opens the live view (threadlens top) on it;\n"
          "the options of threadlens top apply (e.g. --no-color, -d 0.5).\n\n"
          "      --dump            print a thread dump of the workload (with the dump options\n"
          "                        that follow, e.g. --json) and stop it\n"
          "      --lesson          a short guided lesson in the live view: four steps, each a\n"
          "                        sentence and the view that shows it; Space goes on\n"
          "      --picture FILE    draw the workload's picture (threadlens picture) into FILE\n"
          "                        (.svg, .png or .pdf) and stop it\n"
          "      --java [DUMP OPTIONS]  compile and start a Java workload (needs a JDK) and\n"
          "                        print its dump: Java threads next to native ones\n"
          "      --workload-only   run just the workload in the foreground, print its PID,\n"
          "                        until Ctrl-C (look at it from another terminal)\n"
          "  -h, --help            this text\n",
          f);
}

/* Child side: dies with its parent, then becomes the workload by exec'ing ourselves. */
static void exec_workload(int ready_fd)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1)
        _exit(127);   /* the parent is already gone */
    char fdarg[16];
    snprintf(fdarg, sizeof fdarg, "%d", ready_fd);
    execl("/proc/self/exe", "threadlens", "demo", "--workload-only", "--ready-fd", fdarg, (char *)NULL);
    fprintf(stderr, "threadlens demo: cannot start the workload: %s\n", strerror(errno));
    _exit(127);
}

/* Starts the workload and waits until it says its threads are up. Returns its PID or -1. */
static pid_t start_workload(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        exec_workload(fds[1]);
    }
    close(fds[1]);
    char byte;
    struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
    bool ready = pid > 0 && poll(&pfd, 1, READY_TIMEOUT_MS) == 1 && read(fds[0], &byte, 1) == 1;
    close(fds[0]);
    if (pid > 0 && !ready) {
        cli_kill_child(pid);
        return -1;
    }
    return pid;
}

static int run_workload_only(int argc, char **argv)
{
    int ready_fd = -1;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--ready-fd") && i + 1 < argc)
            ready_fd = atoi(argv[++i]);
    return demo_workload_main(ready_fd);
}

/* demo --picture FILE: threadlens picture -o FILE PID. */
static int run_picture(char *file, pid_t pid)
{
#ifdef THREADLENS_HAVE_PICTURE
    char opt[] = "-o";
    char *args[] = {NULL, opt, file};
    return cli_run_on_pid(cmd_picture, "picture", 3, args, pid);
#else
    (void)file;
    (void)pid;
    return cli_fail("demo", EXIT_FAILED, "this threadlens was built without the picture (cairo, pango)");
#endif
}

int cmd_demo(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        demo_usage(stdout);
        return EXIT_COMPLETE;
    }
    if (argc > 1 && !strcmp(argv[1], "--workload-only"))
        return run_workload_only(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "--java"))
        return cmd_demo_java(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "--picture") && argc != 3)
        return cli_fail("demo", EXIT_USAGE, "--picture takes one file name: threadlens demo --picture demo.png");
    pid_t pid = start_workload();
    if (pid < 0)
        return cli_fail("demo", EXIT_FAILED, "the demo workload did not start within %d ms", READY_TIMEOUT_MS);
    bool dump = argc > 1 && !strcmp(argv[1], "--dump");
    if (argc > 1 && !strcmp(argv[1], "--picture")) {
        int rc = run_picture(argv[2], pid);
        cli_kill_child(pid);
        return rc;
    }
    /* No terminal to draw on (a pipe, CI, a script): the dump is the useful answer. */
    bool no_terminal = argc == 1 && !isatty(STDOUT_FILENO);
    if (no_terminal)
        fprintf(stderr, "threadlens demo: standard output is not a terminal: printing a dump "
                        "instead of the live view\n");
    int rc = dump ? cli_run_on_pid(cmd_dump, "dump", argc - 1, argv + 1, pid)
             : no_terminal ? cli_run_on_pid(cmd_dump, "dump", 1, argv, pid)
             : cli_run_on_pid(cmd_top, "top", argc, argv, pid);
    cli_kill_child(pid);
    return rc;
}
