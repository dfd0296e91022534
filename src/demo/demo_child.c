/* The workload's child process: forked (not exec'd), it names itself "demo-child", starts
 * threads of its own in the named call chain and dies with its parent (PR_SET_PDEATHSIG). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"

#define CHILD_READY_TIMEOUT_MS 5000

static pthread_barrier_t child_started;
static demo_thread_arg child_args[DEMO_CHILD_THREADS] = {
    {.name = "child-worker-1", .started = &child_started, .fd = -1, .number = 1, .settled_nr = SYS_clock_nanosleep},
    {.name = "child-worker-2", .started = &child_started, .fd = -1, .number = 2, .settled_nr = SYS_clock_nanosleep},
};

static void child_main(pid_t parent, int ready_fd)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(0);   /* the parent died before we asked to follow it */
    prctl(PR_SET_NAME, DEMO_CHILD_NAME);
    pthread_barrier_init(&child_started, NULL, DEMO_CHILD_THREADS + 1);
    for (size_t i = 0; i < DEMO_CHILD_THREADS; i++)
        if (!demo_spawn(demo_request_thread, &child_args[i]))
            _exit(1);
    pthread_barrier_wait(&child_started);
    demo_wait_settled(child_args, DEMO_CHILD_THREADS);
    (void)!write(ready_fd, "c", 1);
    close(ready_fd);
    for (;;)
        pause();
}

/* Waits for the child's ready byte; false after the timeout or if it died. */
static bool child_ready(int fd)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    char byte;
    int rc;
    while ((rc = poll(&pfd, 1, CHILD_READY_TIMEOUT_MS)) < 0 && errno == EINTR)
        continue;
    return rc == 1 && read(fd, &byte, 1) == 1;
}

int demo_child_start(int inherited_fd)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        fprintf(stderr, "threadlens demo: cannot create a pipe for the child: %s\n", strerror(errno));
        return -1;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        if (inherited_fd >= 0)
            close(inherited_fd);
        close(fds[0]);
        child_main(parent, fds[1]);
    }
    close(fds[1]);
    bool ready = pid > 0 && child_ready(fds[0]);
    close(fds[0]);
    if (pid > 0 && !ready) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    if (!ready)
        fprintf(stderr, "threadlens demo: the child process did not start: %s\n",
                pid < 0 ? strerror(errno) : "it never said it was ready");
    return ready ? pid : -1;
}
