/* A reader on a pipe whose only writer is a child process. The parent is single-threaded: its
 * main thread reads pipe 1; the child holds the write end of pipe 1 and sleeps. With the
 * argument "deadlock", the child instead reads pipe 2, whose only writer is the parent: a
 * cycle across two processes. Prints "reader=<tid> child=<pid> fd=<n>", then "ready" (from
 * the parent, before it blocks; the child dies with the parent). */
#include <sys/wait.h>

#include "waits_target.h"

static void child_main(pid_t parent, int p1[2], int p2[2], int deadlock)
{
    target_follow_parent(parent);
    prctl(PR_SET_NAME, "pipe-child");
    close(p1[0]);
    close(p2[1]);
    char c;
    if (deadlock)
        (void)!read(p2[0], &c, 1);
    target_wait_forever();
}

/* The parent says ready once the child is blocked; its own read starts right after. A test
 * may see the parent between "ready" and read() for a moment: it retries until it blocks. */
int main(int argc, char **argv)
{
    int deadlock = argc > 1 && strcmp(argv[1], "deadlock") == 0;
    int p1[2], p2[2];
    if (pipe(p1) != 0 || pipe(p2) != 0)
        target_die("pipe", errno);
    pid_t parent = getpid(), child = fork();
    if (child < 0)
        target_die("fork", errno);
    if (child == 0)
        child_main(parent, p1, p2, deadlock);
    close(p1[1]);
    close(p2[0]);
    printf("reader=%d child=%d fd=%d\n", waits_gettid(), (int)child, p1[0]);
    target_ready();
    char c;
    (void)!read(p1[0], &c, 1);
    return 0;
}
