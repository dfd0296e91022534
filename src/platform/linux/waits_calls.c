/* Decoding a blocked thread's system call (name and raw arguments) into what the wait analysis
 * needs: which argument is the fd, the futex operation, the child waited for. The argument
 * order is the Linux system-call ABI, the same on every architecture we build for; the numbers
 * of the calls themselves are resolved by libseccomp (tl_syscall.name). */
#include <linux/futex.h>
#include <linux/wait.h>
#include <string.h>

#include "platform/platform.h"

#define FUTEX_OWNER_MASK 0x3fffffffU    /* FUTEX_TID_MASK: owner TID bits of a PI futex word */

typedef struct call_rule {
    const char *name;
    platform_call_kind kind;
    int fd_arg;               /* index of the fd argument, -1 none */
    platform_fd_dir dir;
    int timeout_arg;          /* index of the timeout argument, -1 none (never timed) */
    bool timeout_is_int;      /* an int in milliseconds (poll, epoll_wait): < 0 waits forever;
                               * else a pointer to a timespec: NULL waits forever */
} call_rule;

#define IN PLATFORM_DIR_IN
#define OUT PLATFORM_DIR_OUT
#define ANY PLATFORM_DIR_UNKNOWN

/* {name, kind, fd argument, direction, timeout argument, timeout is an int} */
static const call_rule call_rules[] = {
    {"read", PLATFORM_CALL_FD, 0, IN, -1, false},      {"readv", PLATFORM_CALL_FD, 0, IN, -1, false},
    {"pread64", PLATFORM_CALL_FD, 0, IN, -1, false},   {"preadv", PLATFORM_CALL_FD, 0, IN, -1, false},
    {"preadv2", PLATFORM_CALL_FD, 0, IN, -1, false},   {"write", PLATFORM_CALL_FD, 0, OUT, -1, false},
    {"writev", PLATFORM_CALL_FD, 0, OUT, -1, false},   {"pwrite64", PLATFORM_CALL_FD, 0, OUT, -1, false},
    {"pwritev", PLATFORM_CALL_FD, 0, OUT, -1, false},  {"pwritev2", PLATFORM_CALL_FD, 0, OUT, -1, false},
    {"recvfrom", PLATFORM_CALL_FD, 0, IN, -1, false},  {"recvmsg", PLATFORM_CALL_FD, 0, IN, -1, false},
    {"recvmmsg", PLATFORM_CALL_FD, 0, IN, 4, false},   {"sendto", PLATFORM_CALL_FD, 0, OUT, -1, false},
    {"sendmsg", PLATFORM_CALL_FD, 0, OUT, -1, false},  {"sendmmsg", PLATFORM_CALL_FD, 0, OUT, -1, false},
    {"accept", PLATFORM_CALL_FD, 0, IN, -1, false},    {"accept4", PLATFORM_CALL_FD, 0, IN, -1, false},
    {"connect", PLATFORM_CALL_FD, 0, ANY, -1, false},  {"flock", PLATFORM_CALL_FD, 0, ANY, -1, false},
    {"splice", PLATFORM_CALL_FD, 0, IN, -1, false},    {"sendfile", PLATFORM_CALL_FD, 1, IN, -1, false},
    {"epoll_wait", PLATFORM_CALL_EPOLL, 0, ANY, 3, true}, {"epoll_pwait", PLATFORM_CALL_EPOLL, 0, ANY, 3, true},
    {"epoll_pwait2", PLATFORM_CALL_EPOLL, 0, ANY, 3, false},
    {"poll", PLATFORM_CALL_POLL, -1, ANY, 2, true},    {"ppoll", PLATFORM_CALL_POLL, -1, ANY, 2, false},
    {"select", PLATFORM_CALL_SELECT, -1, ANY, 4, false}, {"pselect6", PLATFORM_CALL_SELECT, -1, ANY, 4, false},
    {"nanosleep", PLATFORM_CALL_SLEEP, -1, ANY, 0, false}, {"clock_nanosleep", PLATFORM_CALL_SLEEP, -1, ANY, 2, false},
    {"pause", PLATFORM_CALL_SIGNAL, -1, ANY, -1, false}, {"rt_sigsuspend", PLATFORM_CALL_SIGNAL, -1, ANY, -1, false},
    {"rt_sigtimedwait", PLATFORM_CALL_SIGNAL, -1, ANY, 2, false},
    {"wait4", PLATFORM_CALL_CHILD, -1, ANY, -1, false}, {"waitid", PLATFORM_CALL_CHILD, -1, ANY, -1, false},
    {"futex", PLATFORM_CALL_FUTEX, -1, ANY, 3, false},
};

#undef IN
#undef OUT
#undef ANY

static platform_futex_op futex_op(unsigned cmd)
{
    switch (cmd) {
    case FUTEX_WAIT: return PLATFORM_FUTEX_WAIT;
    case FUTEX_WAIT_BITSET: return PLATFORM_FUTEX_WAIT_BITSET;
    case FUTEX_LOCK_PI:
    case FUTEX_LOCK_PI2:
    case FUTEX_TRYLOCK_PI: return PLATFORM_FUTEX_LOCK_PI;
    case FUTEX_WAIT_REQUEUE_PI: return PLATFORM_FUTEX_WAIT_REQUEUE_PI;
    default: return PLATFORM_FUTEX_OTHER;
    }
}

static void decode_futex(const tl_syscall *sc, platform_call *out)
{
    unsigned op = (unsigned)sc->args[1];
    out->addr = sc->args[0];
    out->futex_op = futex_op(op & FUTEX_CMD_MASK);
    out->futex_private = (op & FUTEX_PRIVATE_FLAG) != 0;
    out->futex_realtime = (op & FUTEX_CLOCK_REALTIME) != 0;
    out->futex_val = (uint32_t)sc->args[2];
    out->futex_bitset = (uint32_t)sc->args[5];
}

/* wait4(pid, ...) and waitid(idtype, id, ...): the child waited for, -1 for any. */
static int decode_child(const tl_syscall *sc)
{
    if (strcmp(sc->name, "wait4") == 0) {
        int pid = (int)(int64_t)sc->args[0];
        return pid > 0 ? pid : pid == -1 ? -1 : 0;
    }
    switch ((int)sc->args[0]) {
    case P_ALL: return -1;
    case P_PID: return (int)sc->args[1];
    default: return 0;     /* a process group or a pidfd */
    }
}

/* Does the call end by itself? Only the waiting futex operations take a timeout in args[3]
 * (WAKE and REQUEUE use it for a count). */
static bool decode_timed(const tl_syscall *sc, const call_rule *r, const platform_call *out)
{
    if (r->timeout_arg < 0)
        return false;
    if (r->kind == PLATFORM_CALL_FUTEX && out->futex_op == PLATFORM_FUTEX_OTHER)
        return false;
    uint64_t v = sc->args[r->timeout_arg];
    return r->timeout_is_int ? (int32_t)(uint32_t)v >= 0 : v != 0;
}

static void decode_kind(const tl_syscall *sc, const call_rule *r, platform_call *out)
{
    out->kind = r->kind;
    out->name = r->name;
    out->dir = r->dir;
    if (r->fd_arg >= 0)
        out->fd = (int)sc->args[r->fd_arg];
    if (r->kind == PLATFORM_CALL_POLL) {
        out->addr = sc->args[0];
        out->count = sc->args[1];
    } else if (r->kind == PLATFORM_CALL_SELECT) {
        out->count = sc->args[0];
    } else if (r->kind == PLATFORM_CALL_CHILD) {
        out->pid = decode_child(sc);
    } else if (r->kind == PLATFORM_CALL_FUTEX) {
        decode_futex(sc, out);
    }
    out->timed = decode_timed(sc, r, out);
}

static const call_rule *rule_named(const char *name)
{
    for (size_t i = 0; i < sizeof call_rules / sizeof call_rules[0]; i++)
        if (strcmp(name, call_rules[i].name) == 0)
            return &call_rules[i];
    return NULL;
}

/* restart_syscall continues a timed wait the kernel interrupted (a signal, a ptrace stop: our
 * own earlier dump, a debugger) with the call's arguments still in the registers, as
 * /proc/PID/task/TID/syscall shows them. Only futex (a timed FUTEX_WAIT), poll/ppoll and
 * nanosleep/clock_nanosleep are continued this way; the wait channel tells futex
 * (futex_wait_queue, futex_do_wait...) and poll (poll_schedule_timeout) apart, and a sleep is
 * what remains (its wait channel is the syscall entry: the sleep functions are scheduler
 * code). With no wait channel to go on, nothing is guessed. */
static const call_rule *restarted_rule(const char *wchan)
{
    if (!wchan || !wchan[0] || strstr(wchan, "ep_poll"))
        return NULL;
    if (strstr(wchan, "futex"))
        return rule_named("futex");
    if (strstr(wchan, "poll"))
        return rule_named("poll");
    return rule_named("clock_nanosleep");
}

void platform_decode_call(const tl_syscall *sc, const char *wchan, platform_call *out)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
    if (!sc->valid || sc->running || sc->nr < 0)
        return;
    out->kind = PLATFORM_CALL_OTHER;
    bool restarted = strcmp(sc->name, "restart_syscall") == 0;
    const call_rule *r = restarted ? restarted_rule(wchan) : rule_named(sc->name);
    if (!r)
        return;
    decode_kind(sc, r, out);
    if (restarted) {
        /* only timed waits are continued so; a sleep keeps restart_syscall as its name, as
         * nanosleep and clock_nanosleep cannot be told apart */
        out->timed = true;
        if (r->kind == PLATFORM_CALL_SLEEP)
            out->name = NULL;
    }
}

int platform_futex_word_owner(uint32_t word)
{
    return (int)(word & FUTEX_OWNER_MASK);
}
