/* bench-measure: runs one command and prints what it cost.
 *
 *   bench-measure TIMEOUT_S OUTFILE ERRFILE CMD [ARGS...]
 *
 * Runs CMD with stdin from /dev/null, stdout to OUTFILE and stderr to ERRFILE, kills it after
 * TIMEOUT_S seconds, and prints one line:
 *   wall_ms=W cpu_ms=C user_ms=U sys_ms=S maxrss_kib=R status=X
 * wall from CLOCK_MONOTONIC around fork..wait4; CPU and peak RSS from wait4's rusage (which
 * also counts the command's own waited-for children). status is the exit code, 128+signal when
 * killed by a signal, or "timeout". Microsecond CPU resolution, unlike time(1)'s 10 ms. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double tv_ms(struct timeval tv)
{
    return tv.tv_sec * 1e3 + tv.tv_usec / 1e3;
}

static void redirect(const char *path, int fd, int flags)
{
    int f = open(path, flags, 0644);
    if (f < 0 || dup2(f, fd) < 0) {
        fprintf(stderr, "bench-measure: cannot open %s: %s\n", path, strerror(errno));
        _exit(127);
    }
    close(f);
}

static void run_child(char **argv, const char *out, const char *err, const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
    redirect("/dev/null", 0, O_RDONLY);
    redirect(out, 1, O_WRONLY | O_CREAT | O_TRUNC);
    redirect(err, 2, O_WRONLY | O_CREAT | O_TRUNC);
    execvp(argv[0], argv);
    fprintf(stderr, "bench-measure: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

/* Waits for the child up to timeout_s; kills it after. Returns true when it timed out. */
static int wait_bounded(pid_t pid, double timeout_s, const sigset_t *chld)
{
    struct timespec limit = {.tv_sec = (time_t)timeout_s,
                             .tv_nsec = (long)((timeout_s - (time_t)timeout_s) * 1e9)};
    double end = now_ms() + timeout_s * 1e3;
    for (;;) {
        siginfo_t si = {0};
        if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid)
            return 0;
        int sig = sigtimedwait(chld, NULL, &limit);
        if (sig < 0 && errno == EAGAIN && now_ms() >= end) {
            kill(pid, SIGKILL);
            return 1;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: bench-measure TIMEOUT_S OUTFILE ERRFILE CMD [ARGS...]\n");
        return 64;
    }
    double timeout_s = atof(argv[1]);
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &old);
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench-measure: fork");
        return 2;
    }
    if (pid == 0)
        run_child(argv + 4, argv[2], argv[3], &old);
    int timed_out = wait_bounded(pid, timeout_s > 0 ? timeout_s : 600, &chld);
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    double wall = now_ms() - t0;
    double user = tv_ms(ru.ru_utime), sys = tv_ms(ru.ru_stime);
    printf("wall_ms=%.2f cpu_ms=%.2f user_ms=%.2f sys_ms=%.2f maxrss_kib=%ld status=", wall,
           user + sys, user, sys, ru.ru_maxrss);
    if (timed_out)
        printf("timeout\n");
    else if (WIFSIGNALED(status))
        printf("%d\n", 128 + WTERMSIG(status));
    else
        printf("%d\n", WEXITSTATUS(status));
    return 0;
}
