/* A thread with an fd table of its own: made with clone(CLONE_THREAD | CLONE_SIGHAND |
 * CLONE_VM) but without CLONE_FILES. In the leader fd 7 is one end of a unix socket pair; in
 * the thread fd 7 is the read end of a pipe (the thread holds its write end too). Both block
 * in read(7). Prints "leader=<tid> thread=<tid> fd=7", then "ready". */
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include "waits_target.h"

#define OWN_FD 7
#define STACK_SIZE (256 * 1024)

static volatile int thread_tid;

/* Runs on the leader's TLS (no CLONE_SETTLS): raw system calls only, no stdio. */
static int own_files_thread(void *arg)
{
    (void)arg;
    int p[2];
    char c;
    prctl(PR_SET_NAME, "own-files");
    /* its own table: dup2 replaces fd 7 there only (a pipe made first never takes number 7,
     * which the copied table still holds) */
    if (pipe(p) != 0 || dup2(p[0], OWN_FD) != OWN_FD)
        syscall(SYS_exit_group, 3);
    close(p[0]);
    thread_tid = (int)syscall(SYS_gettid);
    for (;;)
        (void)!read(OWN_FD, &c, 1);
    return 0;
}

int main(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        target_die("socketpair", errno);
    if (dup2(sv[0], OWN_FD) != OWN_FD)
        target_die("dup2", errno);
    char *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED)
        target_die("mmap", errno);
    if (clone(own_files_thread, stack + STACK_SIZE, CLONE_THREAD | CLONE_SIGHAND | CLONE_VM, NULL) < 0)
        target_die("clone", errno);
    struct timespec ts = {0, 10 * 1000 * 1000};
    for (int i = 0; i < WAITS_BLOCK_TRIES && !thread_tid; i++)
        nanosleep(&ts, NULL);
    if (!thread_tid)
        target_die("the own-files thread never started", ETIMEDOUT);
    waits_until_blocked(thread_tid, OWN_FD);
    printf("leader=%d thread=%d fd=%d\n", waits_gettid(), thread_tid, OWN_FD);
    target_ready();
    char c;
    for (;;)
        (void)!read(OWN_FD, &c, 1);
}
