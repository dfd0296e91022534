/* s390x (IBM Z, 64-bit, big-endian) implementation of arch.h.
 * Registers: NT_PRSTATUS is the kernel's s390_regs {psw.mask, psw.addr, gprs[16], acrs[16]
 * (32-bit), orig_gpr2} (27 words). The PC is psw.addr, the SP r15, the return address r14;
 * GCC's frame pointer, when one is kept, is r11. libunwind numbers r0..r15 as
 * UNW_S390X_R0..R15 and the PC as UNW_S390X_IP. The thread pointer is split over access
 * registers a0 (high half) and a1 (low half).
 * Stack: the s390x ELF ABI has no red zone. Every caller keeps a 160-byte register save area
 * at SP..SP+160 for its callees, above SP, so the stack copy (which starts at SP) holds it.
 * System calls: `svc` carries the number in its immediate (or in r1 for svc 0), in no register
 * that NT_PRSTATUS holds; the kernel keeps it in int_code, which ptrace reads as the
 * NT_S390_SYSTEM_CALL regset. */
#if defined(__s390x__)

#include <errno.h>
#include <libunwind.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include <elf.h>

#include "arch.h"

#define S390X_RED_ZONE 0            /* nothing below SP is reserved */
#define S390X_REG_FP 11
#define S390X_REG_SP 15

#ifndef NT_S390_SYSTEM_CALL
#define NT_S390_SYSTEM_CALL 0x307   /* <elf.h> of glibc 2.36 has it; older ones may not */
#endif

/* The kernel's NT_PRSTATUS layout (arch/s390/include/asm/ptrace.h s390_regs; glibc's
 * <sys/user.h> names it differently and appends more). */
typedef struct s390x_prstatus {
    uint64_t psw_mask;
    uint64_t psw_addr;
    uint64_t gprs[16];
    uint32_t acrs[16];
    uint64_t orig_gpr2;
} s390x_prstatus;

_Static_assert(sizeof(s390x_prstatus) == 27 * sizeof(uint64_t), "s390_regs layout");
_Static_assert(sizeof(s390x_prstatus) <= sizeof(((arch_regs *)0)->words), "regset fits");
_Static_assert(UNW_S390X_R15 == 15 && UNW_S390X_IP == 32, "libunwind's s390x numbers");

static const s390x_prstatus *regs_of(const arch_regs *r)
{
    return (const s390x_prstatus *)(const void *)r->words;
}

int arch_fetch_regs(pid_t tid, arch_regs *r)
{
    struct iovec iov = {.iov_base = r->words, .iov_len = sizeof r->words};
    if (ptrace(PTRACE_GETREGSET, tid, (void *)(uintptr_t)NT_PRSTATUS, &iov) != 0)
        return -1;
    if (iov.iov_len < sizeof(s390x_prstatus))
        return errno = EIO, -1;
    r->len = iov.iov_len;
    const s390x_prstatus *p = regs_of(r);
    r->tls = (uint64_t)p->acrs[0] << 32 | p->acrs[1];
    uint32_t nr = 0;
    struct iovec sc = {.iov_base = &nr, .iov_len = sizeof nr};
    /* a kernel without the regset (none since 3.x) leaves the number unknown: 0 */
    r->aux = ptrace(PTRACE_GETREGSET, tid, (void *)(uintptr_t)NT_S390_SYSTEM_CALL, &sc) == 0 ? nr : 0;
    return 0;
}

void arch_stop_quirks(arch_regs *r)
{
    /* psw.addr at an interrupt stop is the user-space address after the `svc` (the kernel
     * rewinds it only when it restarts the call, after the stop): nothing to fix. */
    (void)r;
}

uint64_t arch_pc(const arch_regs *r)
{
    return regs_of(r)->psw_addr;
}

uint64_t arch_sp(const arch_regs *r)
{
    return regs_of(r)->gprs[S390X_REG_SP];
}

uint64_t arch_fp(const arch_regs *r)
{
    return regs_of(r)->gprs[S390X_REG_FP];
}

size_t arch_red_zone(void)
{
    return S390X_RED_ZONE;
}

int arch_unw_reg(const arch_regs *r, int regnum, uint64_t *value)
{
    if (regnum >= UNW_S390X_R0 && regnum <= UNW_S390X_R15) {
        *value = regs_of(r)->gprs[regnum - UNW_S390X_R0];
        return 0;
    }
    if (regnum == UNW_S390X_IP) {
        *value = regs_of(r)->psw_addr;
        return 0;
    }
    return -1;
}

uint64_t arch_strip_pac(const arch_regs *r, uint64_t code_addr)
{
    (void)r;
    return code_addr;   /* no pointer authentication on s390x */
}

long arch_syscall_nr(const arch_regs *r)
{
    return (long)r->aux;
}

int arch_unw_fp_reg(void)
{
    return UNW_S390X_R11;
}

bool arch_keeps_frame_records(void)
{
    return false;   /* no FP/return-address records; the back chain needs -mbackchain */
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
    return EM_S390;
}

const char *arch_name(void)
{
    return "s390x";
}

/* A core's system calls are not told from this ABI's registers yet: its waits show as unknown. */
bool arch_core_syscall(const arch_regs *r, long note_nr, const uint8_t *code, long *nr, uint64_t args[6])
{
    (void)r, (void)note_nr, (void)code, (void)nr, (void)args;
    return false;
}

int arch_dwarf_nregs(void)
{
    return 16;
}

int arch_unw_pc_reg(void)
{
    return UNW_S390X_IP;
}

#endif
