/* A vfork parent: the main thread "tl-vforkparent" is in D (wait_for_vfork_done) while its
 * vfork child "tl-vforkchild" sleeps (it never execs); a second thread "vf-other" sleeps in
 * vf_park and must still get its stack. Prints "child PID", then "ready" from vf-other once
 * the main thread is in D. The child dies with the test (PDEATHSIG on the parent's death). */
#include <sys/syscall.h>
#include <time.h>

#include "tl_target.h"

static pid_t leader;

static char state_of(int tid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)leader, tid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    return p && p[1] == ' ' ? p[2] : 0;
}

__attribute__((noinline)) static void vf_park(void)
{
    for (;;)
        pause();
}

static void *vf_other(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "vf-other");
    for (int i = 0; i < 500 && state_of((int)leader) != 'D'; i++)
        nanosleep(&(struct timespec){.tv_nsec = 10000000L}, NULL);
    if (state_of((int)leader) != 'D') {
        fprintf(stderr, "vfork_parent: the main thread is not in D\n");
        exit(2);
    }
    target_ready();
    vf_park();
    return NULL;
}

int main(void)
{
    prctl(PR_SET_NAME, "tl-vforkparent");
    leader = getpid();
    pthread_t t;
    int e = pthread_create(&t, NULL, vf_other, NULL);
    if (e)
        target_die("pthread_create", e);
    pid_t c = vfork();
    if (c == 0) {
        /* only system calls here: the child borrows the parent's memory and stack */
        syscall(SYS_prctl, PR_SET_NAME, "tl-vforkchild", 0, 0, 0);
        syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        for (;;)   /* ppoll of no fds without a timeout: pause() on every architecture (arm64 has no SYS_pause) */
            syscall(SYS_ppoll, NULL, 0, NULL, NULL, 0);
    }
    target_die("vfork returned in the parent", EAGAIN);
}
