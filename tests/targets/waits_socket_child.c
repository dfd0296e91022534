/* A reader on a unix socket pair whose other end only a child process holds. The parent is
 * single-threaded: its main thread reads pair 1; the child holds the other end of pair 1 and
 * sleeps. With the argument "deadlock", the child instead reads pair 2, whose other end only
 * the parent holds: a cycle across two processes over sockets. Prints
 * "reader=<tid> child=<pid> fd=<n>", then "ready" (the child dies with the parent). */
#include <sys/socket.h>

#include "waits_target.h"

static void child_main(pid_t parent, int s1[2], int s2[2], int deadlock)
{
    target_follow_parent(parent);
    prctl(PR_SET_NAME, "socket-child");
    close(s1[0]);
    close(s2[0]);
    char c;
    if (deadlock)
        (void)!recv(s2[1], &c, 1, 0);
    target_wait_forever();
}

/* The parent says ready, then blocks in recv right after: a test retries until it sees it. */
int main(int argc, char **argv)
{
    int deadlock = argc > 1 && strcmp(argv[1], "deadlock") == 0;
    int s1[2], s2[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, s1) != 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, s2) != 0)
        target_die("socketpair", errno);
    pid_t parent = getpid(), child = fork();
    if (child < 0)
        target_die("fork", errno);
    if (child == 0)
        child_main(parent, s1, s2, deadlock);
    close(s1[1]);
    close(s2[1]);
    printf("reader=%d child=%d fd=%d\n", waits_gettid(), (int)child, s1[0]);
    target_ready();
    char c;
    (void)!recv(s1[0], &c, 1, 0);
    return 0;
}
