/* What to do when the kernel refuses to let us read or trace a process: the advice depends on
 * why, and the common why's differ (another user's process; root in a container without
 * CAP_SYS_PTRACE; Yama's kernel.yama.ptrace_scope). */
#ifndef THREADLENS_PTRACE_HINT_H
#define THREADLENS_PTRACE_HINT_H

#include <stdbool.h>

/* One clause of advice ("run as the process's user or as root", or what is missing: the
 * capability, --cap-add SYS_PTRACE, the ptrace_scope value). Computed once; thread-safe. */
const char *ptrace_hint(void);

/* The pure part, for tests: euid, whether CAP_SYS_PTRACE is effective, Yama's scope (-1: no
 * Yama). Writes into buf (cap bytes) and returns it. */
const char *ptrace_hint_for(unsigned euid, bool cap_sys_ptrace, int yama_scope, char *buf, unsigned cap);

#endif
