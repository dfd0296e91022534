/* aarch64 implementation of arch.h.
 * Registers: NT_PRSTATUS is struct user_regs_struct {x0..x30, sp, pc, pstate} (34 words), in
 * the same order as libunwind's UNW_AARCH64_X0..UNW_AARCH64_PSTATE numbers. The thread pointer
 * (tpidr_el0) is its own regset, NT_ARM_TLS. AAPCS64 on Linux has no red zone.
 * Pointer authentication (ARMv8.3 PAC, e.g. qemu -cpu max): code built with
 * -mbranch-protection signs return addresses before saving them, so x30 and saved return
 * addresses carry a signature in their top bits; NT_ARM_PAC_MASK says which bits. */
#if defined(__aarch64__)

#include <errno.h>
#include <libunwind.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <sys/auxv.h>
#include <asm/hwcap.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include <elf.h>

#include "arch.h"

#define AARCH64_RED_ZONE 0          /* AAPCS64 on Linux: nothing below SP is reserved */
#define AARCH64_REG_SYSCALL_NR 8    /* x8 holds the system call number */
#define AARCH64_REG_FP 29
#define AARCH64_REG_LR 30

/* NT_ARM_PAC_MASK's payload (struct user_pac_mask in <asm/ptrace.h>, which clashes with
 * <sys/user.h>): which address bits hold the signature of data and of code pointers. */
typedef struct pac_mask {
    uint64_t data_mask;
    uint64_t insn_mask;
} pac_mask;

_Static_assert(sizeof(struct user_regs_struct) <= sizeof(((arch_regs *)0)->words), "regset fits");
_Static_assert(UNW_AARCH64_X30 == 30 && UNW_AARCH64_SP == 31 && UNW_AARCH64_PC == 32 &&
                   UNW_AARCH64_PSTATE == 33,
               "libunwind numbers aarch64 registers in NT_PRSTATUS order");

static const struct user_regs_struct *regs_of(const arch_regs *r)
{
    return (const struct user_regs_struct *)(const void *)r->words;
}

/* Reads one register set into buf; returns the bytes filled, -1 on error. */
static long read_regset(pid_t tid, int type, void *buf, size_t len)
{
    struct iovec iov = {.iov_base = buf, .iov_len = len};
    if (ptrace(PTRACE_GETREGSET, tid, (void *)(uintptr_t)type, &iov) != 0)
        return -1;
    return (long)iov.iov_len;
}

/* The PAC bits of code addresses; 0 when the CPU or kernel has no pointer authentication.
 * The kernel derives them from the virtual-address size, the same for every task of the system,
 * so they are read once (a race between two samplers reads the same value twice). */
static atomic_bool pac_known;
static _Atomic uint64_t pac_insn_mask;

static uint64_t fetch_pac_mask(pid_t tid)
{
    if (atomic_load(&pac_known))
        return atomic_load(&pac_insn_mask);
    pac_mask m = {0};
    long n = read_regset(tid, NT_ARM_PAC_MASK, &m, sizeof m);
    if (n < 0 && errno != EINVAL)
        return 0;   /* this thread could not say (e.g. gone): ask again next time */
    atomic_store(&pac_insn_mask, n == (long)sizeof m ? m.insn_mask : 0);
    atomic_store(&pac_known, true);
    return atomic_load(&pac_insn_mask);
}

int arch_fetch_regs(pid_t tid, arch_regs *r)
{
    long n = read_regset(tid, NT_PRSTATUS, r->words, sizeof r->words);
    if (n < 0)
        return -1;
    if ((size_t)n < sizeof(struct user_regs_struct))
        return errno = EIO, -1;
    r->len = (size_t)n;
    r->sp_pc_only = false;
    uint64_t tls[2] = {0};   /* tpidr_el0, then tpidr2_el0 on kernels with SME */
    if (read_regset(tid, NT_ARM_TLS, tls, sizeof tls) < (long)sizeof tls[0])
        return -1;
    r->tls = tls[0];
    r->pac_mask = fetch_pac_mask(tid);
    return 0;
}

int arch_regs_from_blocked(arch_regs *r, uint64_t sp, uint64_t pc, bool in_syscall)
{
    memset(r, 0, sizeof *r);
    if (atomic_load(&pac_known))
        r->pac_mask = atomic_load(&pac_insn_mask);
    else if (getauxval(AT_HWCAP) & HWCAP_PACA)
        return errno = EAGAIN, -1;   /* signed return addresses, mask not known: stop once */
    struct user_regs_struct *u = (struct user_regs_struct *)(void *)r->words;
    u->sp = sp;
    /* at an interrupt stop the kernel has already rewound a restartable call to its `svc #0`
     * (arch_stop_quirks); the syscall file shows the address after it */
    u->pc = in_syscall && pc >= 4 ? pc - 4 : pc;
    r->len = sizeof *u;
    r->sp_pc_only = true;
    return 0;
}

void arch_stop_quirks(arch_regs *r)
{
    /* At a PTRACE_INTERRUPT stop inside a restartable system call the kernel has already
     * rewound the call: pc points at the `svc #0`, x0 holds the first argument again and x8 the
     * number. pc, sp and the frame registers describe the caller's user-space state as they are,
     * so nothing needs fixing here; arch_syscall_nr() recovers the number. */
    (void)r;
}

uint64_t arch_pc(const arch_regs *r)
{
    return regs_of(r)->pc;
}

uint64_t arch_sp(const arch_regs *r)
{
    return regs_of(r)->sp;
}

uint64_t arch_fp(const arch_regs *r)
{
    return regs_of(r)->regs[AARCH64_REG_FP];
}

uint64_t arch_link_register(const arch_regs *r)
{
    return arch_strip_pac(r, regs_of(r)->regs[AARCH64_REG_LR]);
}

size_t arch_red_zone(void)
{
    return AARCH64_RED_ZONE;
}

int arch_unw_reg(const arch_regs *r, int regnum, uint64_t *value)
{
    if (regnum < UNW_AARCH64_X0 || regnum > UNW_AARCH64_PSTATE)
        return -1;
    if ((size_t)(regnum + 1) * sizeof(uint64_t) > r->len)
        return -1;
    if (r->sp_pc_only && regnum != UNW_AARCH64_SP && regnum != UNW_AARCH64_PC)
        return -1;   /* x30 too: a frame whose return address is still in the link register
                        falls back to a stop */
    uint64_t v = r->words[regnum];
    /* libunwind 1.6.2 knows nothing of pointer authentication: hand it a plain address. */
    *value = regnum == UNW_AARCH64_X30 ? arch_strip_pac(r, v) : v;
    return 0;
}

bool arch_unw_is_fpreg(int regnum)
{
    return regnum >= UNW_AARCH64_V0 && regnum <= UNW_AARCH64_FPCR;
}

uint64_t arch_strip_pac(const arch_regs *r, uint64_t code_addr)
{
    return code_addr & ~r->pac_mask;
}

long arch_syscall_nr(const arch_regs *r)
{
    return (long)regs_of(r)->regs[AARCH64_REG_SYSCALL_NR];
}

int arch_unw_fp_reg(void)
{
    return UNW_AARCH64_X29;
}

bool arch_keeps_frame_records(void)
{
    return true;
}

unsigned arch_elf_machine(void)
{
    return EM_AARCH64;
}

const char *arch_name(void)
{
    return "aarch64";
}

#define AARCH64_SVC_0 0xd4000001u   /* svc #0 */

/* x0 is the call's result once it returns, but a thread stopped in a call (ptrace, a core
 * dump) has had it rewound for restart: pc back on its `svc #0`, x0 the first argument again,
 * x8 the number. The kernel's NT_ARM_SYSTEM_CALL note reads -1 by then (do_signal forgets the
 * call before the dump), so the call is told by the instruction at pc (code); a note that does
 * hold a number is taken as it is. Without either nothing is claimed. */
bool arch_core_syscall(const arch_regs *r, long note_nr, const uint8_t *code, long *nr, uint64_t args[6])
{
    const struct user_regs_struct *g = regs_of(r);
    if (r->len < sizeof *g)
        return false;
    uint32_t insn = 0;
    if (code)
        memcpy(&insn, code, 4);
    if (note_nr >= 0)
        *nr = note_nr;
    else if (code && insn == AARCH64_SVC_0)
        *nr = (long)g->regs[AARCH64_REG_SYSCALL_NR];
    else
        return false;
    for (int i = 0; i < 6; i++)
        args[i] = g->regs[i];
    return true;
}

int arch_dwarf_nregs(void)
{
    return 32;
}

int arch_unw_pc_reg(void)
{
    return UNW_AARCH64_PC;
}

#endif
