/* own_pgrp CMD ARGS...: runs CMD as an interactive shell runs a job: in a process group of its
 * own, in the caller's session (not orphaned: SIGTSTP really stops it), with SIGINT and SIGQUIT
 * at their default actions (a non-interactive shell starts background commands with both
 * ignored). A test helper, not a target: it prints nothing. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: own_pgrp CMD [ARGS...]\n");
        return 2;
    }
    if (setpgid(0, 0) != 0) {
        fprintf(stderr, "own_pgrp: setpgid: %s\n", strerror(errno));
        return 2;
    }
    signal(SIGINT, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    execvp(argv[1], argv + 1);
    fprintf(stderr, "own_pgrp: %s: %s\n", argv[1], strerror(errno));
    return 127;
}
