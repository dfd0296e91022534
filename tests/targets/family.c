/* A parent with threads and a forked child with threads of its own, and a grandchild:
 *   tl-parent: tl-par-1, tl-par-2
 *     tl-child: tl-kid-1, tl-kid-2, tl-kid-3   (forked from thread tl-par-fork, not main)
 *       tl-grandchild (single-threaded)
 * Forking from a non-main thread matters: the kernel lists such a child under that thread's
 * /proc/PID/task/TID/children only. Every descendant dies with its parent. */
#include <errno.h>
#include <sys/wait.h>

#include "tl_target.h"

static int ready_pipe[2];

static void say_ready_to_parent(void)
{
    if (write(ready_pipe[1], "x", 1) != 1)
        _exit(2);
}

static void wait_for_ready_byte(void)
{
    char c;
    if (read(ready_pipe[0], &c, 1) != 1)
        target_die("a descendant did not start", EIO);
}

static void grandchild(pid_t parent)
{
    target_follow_parent(parent);
    prctl(PR_SET_NAME, "tl-grandchild");
    say_ready_to_parent();
    target_wait_forever();
}

static void child(pid_t parent)
{
    static const char *const names[] = {"tl-kid-1", "tl-kid-2", "tl-kid-3"};
    target_follow_parent(parent);
    prctl(PR_SET_NAME, "tl-child");
    pid_t me = getpid();
    pid_t g = fork();
    if (g < 0)
        target_die("fork", errno);
    if (g == 0)
        grandchild(me);
    target_start_sleepers(names, sizeof names / sizeof names[0]);
    say_ready_to_parent();
    target_wait_forever();
}

/* The thread that forks: keeps sleeping afterwards, so the child stays its child. */
static void *forker(void *arg)
{
    pid_t parent = *(pid_t *)arg;
    pthread_setname_np(pthread_self(), "tl-par-fork");
    pid_t c = fork();
    if (c < 0)
        target_die("fork", errno);
    if (c == 0)
        child(parent);
    target_wait_forever();
    return NULL;
}

int main(void)
{
    static const char *const names[] = {"tl-par-1", "tl-par-2"};
    prctl(PR_SET_NAME, "tl-parent");
    if (pipe(ready_pipe) != 0)
        target_die("pipe", errno);
    static pid_t me;
    me = getpid();
    pthread_t t;
    int rc = pthread_create(&t, NULL, forker, &me);
    if (rc != 0)
        target_die("pthread_create", rc);
    wait_for_ready_byte();   /* the child */
    wait_for_ready_byte();   /* the grandchild */
    target_start_sleepers(names, sizeof names / sizeof names[0]);
    target_ready();
    target_wait_forever();
}
