/* Reaching a ptrace stop, with a deadline, and our own signals meanwhile.
 *
 * A thread in uninterruptible sleep (D: a hung FUSE/NFS read, a vfork parent, a v1 frozen
 * cgroup) cannot reach a ptrace stop until the kernel wakes it, which may be never: its state
 * is read first and such a thread is not interrupted at all. One that enters D after its
 * interrupt is waited for STOP_DEADLINE_NS at most (and all waits of a process pass together
 * for PASS_BUDGET_NS); it then stays seized but not stopped, and is let go when it stops (we
 * look again at every capture) or when we exit (the kernel detaches a dead tracer's tracees).
 *
 * Our termination and job-control signals are blocked while we hold a thread stopped, so that
 * they cannot end or suspend us with a thread left stopped; every wait here watches for them
 * and gives up so that the caller lets every thread go and lets them act (within ms). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc_parse.h"
#include "procfs.h"
#include "ptrace_hint.h"
#include "stacks_linux.h"

#define STATUS_CAP 4096
#define STAT_CAP 1024
#define PAUSE_MAX_NS 2000000L          /* longest sleep between two looks at a thread */
#define SETTLE_NS 100000000ULL         /* before a suspension, for seized threads not in D */

static const int held_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU};
#define NHELD (sizeof held_signals / sizeof held_signals[0])

/* ---- our signals --------------------------------------------------------------------------- */

void stop_signals_block(platform_stacks *ps, sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigemptyset(&ps->act_set);
    for (size_t i = 0; i < NHELD; i++) {
        struct sigaction sa;
        sigaddset(&set, held_signals[i]);
        /* an ignored signal stays pending while blocked: it must not make us give up */
        if (sigaction(held_signals[i], NULL, &sa) == 0 && sa.sa_handler != SIG_IGN)
            sigaddset(&ps->act_set, held_signals[i]);
    }
    sigaddset(&set, SIGCHLD);   /* a tracee's stop is reported by SIGCHLD: sigtimedwait for it */
    pthread_sigmask(SIG_BLOCK, &set, old);
}

bool stop_signal_waiting(const platform_stacks *ps)
{
    sigset_t pending;
    if (sigpending(&pending) != 0)
        return false;
    for (size_t i = 0; i < NHELD; i++)
        if (sigismember(&pending, held_signals[i]) && sigismember(&ps->act_set, held_signals[i]))
            return true;
    return false;
}

static bool suspend_waiting(const platform_stacks *ps)
{
    sigset_t pending;
    if (sigpending(&pending) != 0)
        return false;
    return (sigismember(&pending, SIGTSTP) && sigismember(&ps->act_set, SIGTSTP)) ||
           (sigismember(&pending, SIGTTIN) && sigismember(&ps->act_set, SIGTTIN)) ||
           (sigismember(&pending, SIGTTOU) && sigismember(&ps->act_set, SIGTTOU));
}

/* Nothing is held stopped any more: let the waiting signals act (we may end or be suspended
 * inside this call). A thread still seized in D can only be let go by our end (it would stop
 * the moment it wakes, while we are suspended): a suspension then ends us as SIGTERM would. */
/* Before a suspension: the pending threads that are not in D are only slow to stop (a loaded
 * machine); give them SETTLE_NS to stop and be let go. */
static void pending_settle(platform_stacks *ps)
{
    uint64_t until = stacks_now_ns() + SETTLE_NS;
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    for (;;) {
        stop_pending_reap(ps);
        bool waiting = false;
        for (size_t i = 0; i < ps->npending && !waiting; i++)
            waiting = stop_thread_state(ps->cap.pid, ps->pending[i]) != 'D';
        if (!waiting || stacks_now_ns() >= until)
            return;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 1000000L};
        sigtimedwait(&chld, NULL, &ts);
    }
}

void stop_signals_act(platform_stacks *ps, const sigset_t *old)
{
    stop_pending_reap(ps);
    if (ps->npending && suspend_waiting(ps))
        pending_settle(ps);
    if (ps->npending && suspend_waiting(ps)) {
        struct sigaction dfl = {.sa_handler = SIG_DFL};
        sigemptyset(&dfl.sa_mask);
        sigaction(SIGTERM, &dfl, NULL);
        kill(getpid(), SIGTERM);
    }
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

/* ---- a thread's state ------------------------------------------------------------------------ */

char stop_thread_state(int pid, int tid)
{
    char buf[STAT_CAP];
    proc_stat_fields f;   /* the one stat parser (the name may hold spaces and parentheses) */
    if (procfs_readf(buf, sizeof buf, "/proc/%d/task/%d/stat", pid, tid) < 0 || !proc_parse_stat(buf, &f))
        return 0;
    return f.state;
}

void stop_thread_wchan(int pid, int tid, char *buf, size_t cap)
{
    if (procfs_readf(buf, cap, "/proc/%d/task/%d/wchan", pid, tid) <= 0 || strcmp(buf, "0") == 0)
        snprintf(buf, cap, "an unknown kernel function");
    buf[strcspn(buf, "\n")] = '\0';
    for (char *c = buf; *c; c++)   /* a kernel symbol; never trust it blindly */
        if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
            *c = '?';
}

/* ---- stopping ---------------------------------------------------------------------------------- */

int stop_seize(int tid)
{
    if (ptrace(PTRACE_SEIZE, tid, NULL, NULL) != 0)
        return errno;
    if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) == 0)
        return 0;
    int saved = errno;
    int status;
    ptrace(PTRACE_DETACH, tid, NULL, NULL);
    waitpid(tid, &status, __WALL | WNOHANG);   /* reap it if it was exiting */
    return saved;
}

void stop_detach(int tid, int sig)
{
    int status;
    if (ptrace(PTRACE_DETACH, tid, NULL, (void *)(uintptr_t)sig) != 0 && errno == ESRCH)
        waitpid(tid, &status, __WALL | WNOHANG);
}

/* One look: 1 stopped (*sig: the signal of a signal-delivery-stop, to re-inject), 0 not yet,
 * -1 gone. A group-stop or our interrupt gives *sig = 0 (the kernel keeps a group-stop). */
static int look(int tid, int *sig)
{
    int status;
    for (;;) {
        pid_t r = waitpid(tid, &status, __WALL | WNOHANG);
        if (r == 0)
            return 0;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 || !WIFSTOPPED(status))
            return -1;   /* exited or killed while we waited */
        *sig = (status >> 16) == 0 ? WSTOPSIG(status) : 0;
        return 1;
    }
}

int stop_wait(platform_stacks *ps, int tid, int *sig, uint64_t deadline_ns, bool watch_signals)
{
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    long pause_ns = 20000;
    *sig = 0;
    for (;;) {
        int r = look(tid, sig);
        if (r != 0)
            return r > 0 ? 0 : ESRCH;
        if (watch_signals && stop_signal_waiting(ps))
            return STOP_E_SIGNAL;
        uint64_t now = stacks_now_ns();
        if (now >= deadline_ns)
            return STOP_E_TIMEOUT;
        if ((uint64_t)pause_ns > deadline_ns - now)
            pause_ns = (long)(deadline_ns - now);
        struct timespec ts = {.tv_sec = 0, .tv_nsec = pause_ns};
        sigtimedwait(&chld, NULL, &ts);   /* returns at the tracee's SIGCHLD, or after the pause */
        pause_ns = pause_ns * 2 < PAUSE_MAX_NS ? pause_ns * 2 : PAUSE_MAX_NS;
    }
}

uint64_t stop_deadline(platform_stacks *ps, uint64_t t0)
{
    uint64_t d = ps->wait_budget_ns < STOP_DEADLINE_NS ? ps->wait_budget_ns : STOP_DEADLINE_NS;
    return t0 + (d > STOP_MIN_WAIT_NS ? d : STOP_MIN_WAIT_NS);
}

int stop_collect(platform_stacks *ps, int tid, uint64_t deadline_ns, int *sig, bool *interrupted)
{
    uint64_t t0 = stacks_now_ns();
    int e = stop_wait(ps, tid, sig, deadline_ns, true);
    if (e == STOP_E_SIGNAL) {
        *interrupted = true;
        uint64_t grace = stacks_now_ns() + STOP_GRACE_NS;
        e = stop_wait(ps, tid, sig, grace < deadline_ns ? grace : deadline_ns, false);
        /* a thread that is not in D is only slow to get a CPU (a loaded machine): it stops */
        if (e == STOP_E_TIMEOUT && stop_thread_state(ps->cap.pid, tid) != 'D')
            e = stop_wait(ps, tid, sig, deadline_ns, false);
    }
    if (e == STOP_E_TIMEOUT) {
        uint64_t spent = stacks_now_ns() - t0;
        ps->wait_budget_ns = ps->wait_budget_ns > spent ? ps->wait_budget_ns - spent : 0;
        stop_pending_add(ps, tid);
    }
    return e;
}

/* ---- threads seized but not stopped (they went into D) ----------------------------------- */

void stop_pending_add(platform_stacks *ps, int tid)
{
    if (ps->npending < STOP_PENDING_MAX)
        ps->pending[ps->npending++] = tid;
    /* more: still let go by our exit, only later */
}

void stop_pending_reap(platform_stacks *ps)
{
    size_t kept = 0;
    for (size_t i = 0; i < ps->npending; i++) {
        int sig = 0, r = look(ps->pending[i], &sig);
        if (r > 0)
            stop_detach(ps->pending[i], sig);
        else if (r == 0)
            ps->pending[kept++] = ps->pending[i];
    }
    ps->npending = kept;
}

/* ---- errors that name what went wrong ------------------------------------------------------ */

static int tracer_of(int pid, int tid, char *name, size_t cap)
{
    char buf[STATUS_CAP];
    name[0] = '\0';
    if (procfs_readf(buf, sizeof buf, "/proc/%d/task/%d/status", pid, tid) < 0)
        return 0;
    const char *p = strstr(buf, "\nTracerPid:");
    int tracer = p ? atoi(p + 11) : 0;
    if (tracer > 0 && procfs_readf(name, cap, "/proc/%d/comm", tracer) > 0)
        name[strcspn(name, "\n")] = '\0';
    return tracer;
}

static tl_status not_stopped_error(int pid, int tid, int err_no, tl_error *err)
{
    char wchan[128];
    stop_thread_wchan(pid, tid, wchan, sizeof wchan);
    char state = stop_thread_state(pid, tid);
    if (err_no == STOP_E_D || state == 'D')
        return tl_error_set(err, TL_EIO, "not stopped: in uninterruptible sleep (D) in %s%s", wchan,
                            err_no == STOP_E_D ? "" : " (it went into D after it was interrupted)");
    if (err_no == STOP_E_SIGNAL)
        return tl_error_set(err, TL_EIO, "not taken: threadlens was interrupted by a signal and let it go");
    return tl_error_set(err, TL_EIO, "not stopped: no ptrace stop within %llu ms (state %c, in %s); it was let go",
                        (unsigned long long)(STOP_DEADLINE_NS / 1000000ULL), state ? state : '?', wchan);
}

tl_status stop_error(int pid, int tid, int err_no, tl_error *err)
{
    if (err_no == STOP_E_D || err_no == STOP_E_TIMEOUT || err_no == STOP_E_SIGNAL)
        return not_stopped_error(pid, tid, err_no, err);
    if (err_no == ESRCH)
        return tl_error_set(err, TL_ENOENT, "thread %d exited before its stack was taken", tid);
    char name[64];
    int tracer = err_no == EPERM ? tracer_of(pid, tid, name, sizeof name) : 0;
    if (tracer > 0 && tracer != getpid())
        return tl_error_set(err, TL_EPERM,
                            "traced by PID %d (%s): a thread has one tracer; detach that debugger and retry",
                            tracer, name[0] ? name : "?");
    if (err_no == EPERM)
        return tl_error_set(err, TL_EPERM,
                            "not allowed to trace thread %d; %s", tid, ptrace_hint());
    return tl_error_set(err, TL_EIO, "cannot stop thread %d: %s", tid, strerror(err_no));
}
