/* The teaching workload (`threadlens demo --workload-only`): a process named "demo-workload"
 * with named threads that each do one recognisable thing, and a child process with threads of
 * its own. Everything sleeps except "cruncher", which spins part of the time. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli/cli.h"
#include "demo.h"

enum { PIPE_READ, PIPE_WRITE };

static pthread_barrier_t started;
static demo_thread_arg args[] = {
    {.name = "request-1", .started = &started, .fd = -1, .number = 1, .settled_nr = SYS_clock_nanosleep},
    {.name = "request-2", .started = &started, .fd = -1, .number = 2, .settled_nr = SYS_clock_nanosleep},
    {.name = "producer", .started = &started, .fd = -1, .settled_nr = -1},
    {.name = "consumer", .started = &started, .fd = -1, .settled_nr = -1},
    {.name = "cruncher", .started = &started, .fd = -1, .settled_nr = -1},
    {.name = "pipe-reader", .started = &started, .fd = -1, .settled_nr = SYS_read},
#define POOL(n) {.name = "pool-" #n, .started = &started, .fd = -1, .settled_nr = SYS_futex}
    POOL(1), POOL(2), POOL(3), POOL(4), POOL(5), POOL(6), POOL(7), POOL(8),
#undef POOL
};
#define P demo_pool_thread
static void *(*const bodies[])(void *) = {
    demo_request_thread, demo_request_thread, demo_producer_thread,
    demo_consumer_thread, demo_cruncher_thread, demo_pipe_reader_thread,
    P, P, P, P, P, P, P, P,
};
#undef P
_Static_assert(DEMO_POOL_THREADS == 8, "one entry per pool thread above");
#define NTHREADS (sizeof args / sizeof args[0])
_Static_assert(sizeof bodies / sizeof bodies[0] == NTHREADS, "one body per thread");

static bool start_threads(int pipe_read_end)
{
    args[NTHREADS - 1 - DEMO_POOL_THREADS].fd = pipe_read_end;
    if (pthread_barrier_init(&started, NULL, NTHREADS + 1) != 0)
        return false;
    for (size_t i = 0; i < NTHREADS; i++)
        if (!demo_spawn(bodies[i], &args[i]))
            return false;
    pthread_barrier_wait(&started);
    demo_pool_wait_ready(DEMO_POOL_THREADS);
    demo_wait_settled(args, NTHREADS);
    return true;
}

static void announce(int ready_fd)
{
    if (ready_fd >= 0) {
        (void)!write(ready_fd, "r", 1);
        close(ready_fd);
        return;
    }
    printf("demo workload running as PID %d (threads: request-1, request-2, producer, consumer,\n"
           "cruncher, pipe-reader, a pool pool-1..pool-8; a child process \"%s\" with threads of its own).\n"
           "look at me with: threadlens top %d   (or: threadlens dump %d)\n"
           "Ctrl-C stops it.\n",
           (int)getpid(), DEMO_CHILD_NAME, (int)getpid(), (int)getpid());
    fflush(stdout);
}

int demo_workload_main(int ready_fd)
{
    prctl(PR_SET_NAME, DEMO_PROCESS_NAME);
    if (demo_child_start(ready_fd) < 0)
        return EXIT_FAILED;   /* the child's absence is on stderr; it killed what it started */
    int fds[2];   /* made after the fork: the child must not hold the pipe's write end too */
    if (pipe2(fds, O_CLOEXEC) != 0)
        return cli_fail("demo", EXIT_FAILED, "cannot create the pipe for pipe-reader: %s", strerror(errno));
    if (!start_threads(fds[PIPE_READ]))
        return cli_fail("demo", EXIT_FAILED, "cannot start the workload's threads; is a limit on threads (ulimit -u) reached?");
    announce(ready_fd);
    for (;;)
        pause();   /* the write end of the pipe stays open: pipe-reader blocks for good */
}
