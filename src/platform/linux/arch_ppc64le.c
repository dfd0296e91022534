/* ppc64le (POWER, 64-bit little-endian, ELFv2 ABI) implementation of arch.h.
 * Registers: NT_PRSTATUS is struct user_pt_regs {gpr[32], nip, msr, orig_gpr3, ctr, link, xer,
 * ccr, softe, trap, dar, dsisr, result}, padded by the kernel to ELF_NGREG (48) words. The PC
 * is nip, the SP r1, the thread pointer r13, the return address the link register; GCC's
 * frame pointer, when one is kept, is r31. libunwind numbers r0..r31 as UNW_PPC64_R0..R31,
 * then LR, CTR, CR0..CR7, XER and NIP by their own numbers.
 * Stack: ELFv2 lets a function use 288 bytes below SP without moving it (the protected zone,
 * for saving non-volatile registers): the copy starts that far below SP.
 * System calls: `sc` takes the number in r0, which the kernel leaves as it was. */
#if defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)

#include <errno.h>
#include <libunwind.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include <elf.h>

#include "arch.h"

#define PPC64_RED_ZONE 288   /* 64-bit ELF V2 ABI, 2.2.2.4: the protected zone */
#define PPC64_REG_SP 1
#define PPC64_REG_TP 13
#define PPC64_REG_FP 31

/* Word indexes in NT_PRSTATUS after gpr[32] (arch/powerpc/include/uapi/asm/ptrace.h). */
enum { PPC64_NIP = 32, PPC64_MSR, PPC64_ORIG_GPR3, PPC64_CTR, PPC64_LINK, PPC64_XER, PPC64_CCR,
       PPC64_NWORDS_MIN = 44 };

_Static_assert(48 <= ARCH_REGS_WORDS, "regset fits");
_Static_assert(UNW_PPC64_R31 == 31 && UNW_PPC64_LR == 65 && UNW_PPC64_CTR == 66, "libunwind's ppc64 numbers");

int arch_fetch_regs(pid_t tid, arch_regs *r)
{
    struct iovec iov = {.iov_base = r->words, .iov_len = sizeof r->words};
    if (ptrace(PTRACE_GETREGSET, tid, (void *)(uintptr_t)NT_PRSTATUS, &iov) != 0)
        return -1;
    if (iov.iov_len < PPC64_NWORDS_MIN * sizeof(uint64_t))
        return errno = EIO, -1;
    r->len = iov.iov_len;
    r->tls = r->words[PPC64_REG_TP];
    return 0;
}

void arch_stop_quirks(arch_regs *r)
{
    /* nip at an interrupt stop is the user-space address after the `sc`: nothing to fix. */
    (void)r;
}

uint64_t arch_pc(const arch_regs *r)
{
    return r->words[PPC64_NIP];
}

uint64_t arch_sp(const arch_regs *r)
{
    return r->words[PPC64_REG_SP];
}

uint64_t arch_fp(const arch_regs *r)
{
    return r->words[PPC64_REG_FP];
}

size_t arch_red_zone(void)
{
    return PPC64_RED_ZONE;
}

int arch_unw_reg(const arch_regs *r, int regnum, uint64_t *value)
{
    if (regnum >= UNW_PPC64_R0 && regnum <= UNW_PPC64_R31)
        *value = r->words[regnum - UNW_PPC64_R0];
    else if (regnum == UNW_PPC64_NIP)
        *value = r->words[PPC64_NIP];
    else if (regnum == UNW_PPC64_LR)
        *value = r->words[PPC64_LINK];
    else if (regnum == UNW_PPC64_CTR)
        *value = r->words[PPC64_CTR];
    else if (regnum == UNW_PPC64_XER)
        *value = r->words[PPC64_XER];
    else if (regnum >= UNW_PPC64_CR0 && regnum <= UNW_PPC64_CR7)
        *value = r->words[PPC64_CCR];   /* libunwind keeps the whole condition register */
    else
        return -1;
    return 0;
}

uint64_t arch_strip_pac(const arch_regs *r, uint64_t code_addr)
{
    (void)r;
    return code_addr;   /* no pointer authentication on POWER */
}

long arch_syscall_nr(const arch_regs *r)
{
    return (long)r->words[0];
}

int arch_unw_fp_reg(void)
{
    return UNW_PPC64_R31;
}

bool arch_keeps_frame_records(void)
{
    return false;   /* a back chain at SP, but the LR save slot is at SP+16, not FP+8 */
}


/* Zero-stop capture (issue 15) is not described for this ABI yet: every thread is stopped
 * (counted as fallback "arch"). */
int arch_regs_from_blocked(arch_regs *r, uint64_t sp, uint64_t pc, bool in_syscall)
{
    (void)r, (void)sp, (void)pc, (void)in_syscall;
    errno = EAGAIN;
    return -1;
}

unsigned arch_elf_machine(void)
{
    return EM_PPC64;
}

const char *arch_name(void)
{
    return "ppc64le";
}

/* A core's system calls are not told from this ABI's registers yet: its waits show as unknown. */
bool arch_core_syscall(const arch_regs *r, long note_nr, const uint8_t *code, long *nr, uint64_t args[6])
{
    (void)r, (void)note_nr, (void)code, (void)nr, (void)args;
    return false;
}

int arch_dwarf_nregs(void)
{
    return 32;
}

int arch_unw_pc_reg(void)
{
    return UNW_PPC64_NIP;
}

#endif
