#include "ptrace_hint.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"

#define CAP_SYS_PTRACE_BIT 19   /* linux/capability.h */

static char hint[320];
static pthread_once_t hint_once = PTHREAD_ONCE_INIT;

static bool have_cap_sys_ptrace(void)
{
    char buf[4096];
    if (procfs_readf(buf, sizeof buf, "/proc/self/status") < 0)
        return true;   /* unknown: do not claim it is missing */
    const char *p = strstr(buf, "\nCapEff:");
    return !p || ((strtoull(p + 8, NULL, 16) >> CAP_SYS_PTRACE_BIT) & 1) != 0;
}

static int yama_scope(void)
{
    char buf[16];
    if (procfs_readf(buf, sizeof buf, "/proc/sys/kernel/yama/ptrace_scope") < 0)
        return -1;
    return atoi(buf);
}

static void yama_clause(int scope, char *buf, unsigned cap)
{
    if (scope < 0)
        snprintf(buf, cap, "no Yama here, so kernel.yama.ptrace_scope is not the cause");
    else
        snprintf(buf, cap, "kernel.yama.ptrace_scope is %d", scope);
}

const char *ptrace_hint_for(unsigned euid, bool cap_sys_ptrace, int yama, char *buf, unsigned cap)
{
    char y[96];
    yama_clause(yama, y, sizeof y);
    if (yama >= 3)
        snprintf(buf, cap, "kernel.yama.ptrace_scope is 3: no process may trace another, root included, "
                 "until the next boot");
    else if (!cap_sys_ptrace && euid == 0)
        snprintf(buf, cap, "threadlens runs as root but without the CAP_SYS_PTRACE capability (a container's "
                 "default): start the container with --cap-add SYS_PTRACE (%s)", y);
    else if (!cap_sys_ptrace && yama == 2)
        snprintf(buf, cap, "kernel.yama.ptrace_scope is 2: only CAP_SYS_PTRACE may trace; run as root "
                 "(in a container also --cap-add SYS_PTRACE)");
    else if (!cap_sys_ptrace && yama == 1)
        snprintf(buf, cap, "run as root: kernel.yama.ptrace_scope is 1, so a user may trace only their own "
                 "children (sysctl kernel.yama.ptrace_scope=0 lifts that)");
    else
        snprintf(buf, cap, "run as the process's user or as root (%s)", y);
    return buf;
}

static void compute(void)
{
    ptrace_hint_for((unsigned)geteuid(), have_cap_sys_ptrace(), yama_scope(), hint, sizeof hint);
}

const char *ptrace_hint(void)
{
    pthread_once(&hint_once, compute);
    return hint;
}
