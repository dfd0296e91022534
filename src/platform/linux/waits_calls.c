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
} call_rule;

#define IN PLATFORM_DIR_IN
#define OUT PLATFORM_DIR_OUT
#define ANY PLATFORM_DIR_UNKNOWN

static const call_rule call_rules[] = {
    {"read", PLATFORM_CALL_FD, 0, IN},      {"readv", PLATFORM_CALL_FD, 0, IN},
    {"pread64", PLATFORM_CALL_FD, 0, IN},   {"preadv", PLATFORM_CALL_FD, 0, IN},
    {"preadv2", PLATFORM_CALL_FD, 0, IN},   {"write", PLATFORM_CALL_FD, 0, OUT},
    {"writev", PLATFORM_CALL_FD, 0, OUT},   {"pwrite64", PLATFORM_CALL_FD, 0, OUT},
    {"pwritev", PLATFORM_CALL_FD, 0, OUT},  {"pwritev2", PLATFORM_CALL_FD, 0, OUT},
    {"recvfrom", PLATFORM_CALL_FD, 0, IN},  {"recvmsg", PLATFORM_CALL_FD, 0, IN},
    {"recvmmsg", PLATFORM_CALL_FD, 0, IN},  {"sendto", PLATFORM_CALL_FD, 0, OUT},
    {"sendmsg", PLATFORM_CALL_FD, 0, OUT},  {"sendmmsg", PLATFORM_CALL_FD, 0, OUT},
    {"accept", PLATFORM_CALL_FD, 0, IN},    {"accept4", PLATFORM_CALL_FD, 0, IN},
    {"connect", PLATFORM_CALL_FD, 0, ANY},  {"flock", PLATFORM_CALL_FD, 0, ANY},
    {"splice", PLATFORM_CALL_FD, 0, IN},    {"sendfile", PLATFORM_CALL_FD, 1, IN},
    {"epoll_wait", PLATFORM_CALL_EPOLL, 0, ANY}, {"epoll_pwait", PLATFORM_CALL_EPOLL, 0, ANY},
    {"epoll_pwait2", PLATFORM_CALL_EPOLL, 0, ANY},
    {"poll", PLATFORM_CALL_POLL, -1, ANY},  {"ppoll", PLATFORM_CALL_POLL, -1, ANY},
    {"select", PLATFORM_CALL_SELECT, -1, ANY}, {"pselect6", PLATFORM_CALL_SELECT, -1, ANY},
    {"nanosleep", PLATFORM_CALL_SLEEP, -1, ANY}, {"clock_nanosleep", PLATFORM_CALL_SLEEP, -1, ANY},
    {"pause", PLATFORM_CALL_SIGNAL, -1, ANY}, {"rt_sigsuspend", PLATFORM_CALL_SIGNAL, -1, ANY},
    {"rt_sigtimedwait", PLATFORM_CALL_SIGNAL, -1, ANY},
    {"wait4", PLATFORM_CALL_CHILD, -1, ANY}, {"waitid", PLATFORM_CALL_CHILD, -1, ANY},
    {"futex", PLATFORM_CALL_FUTEX, -1, ANY},
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

static void decode_kind(const tl_syscall *sc, const call_rule *r, platform_call *out)
{
    out->kind = r->kind;
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
    const call_rule *r = strcmp(sc->name, "restart_syscall") == 0 ? restarted_rule(wchan) : rule_named(sc->name);
    if (r)
        decode_kind(sc, r, out);
}

int platform_futex_word_owner(uint32_t word)
{
    return (int)(word & FUTEX_OWNER_MASK);
}
