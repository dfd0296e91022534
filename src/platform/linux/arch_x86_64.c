/* x86_64 implementation of arch.h. */
#if defined(__x86_64__)

#include <errno.h>
#include <libunwind.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include <elf.h>

#include "arch.h"

#define X86_64_RED_ZONE 128   /* System V AMD64 ABI, 3.2.2 */

_Static_assert(sizeof(struct user_regs_struct) <= sizeof(((arch_regs *)0)->words), "regset fits");

static const struct user_regs_struct *regs_of(const arch_regs *r)
{
    return (const struct user_regs_struct *)(const void *)r->words;
}

int arch_fetch_regs(pid_t tid, arch_regs *r)
{
    struct iovec iov = {.iov_base = r->words, .iov_len = sizeof r->words};
    if (ptrace(PTRACE_GETREGSET, tid, (void *)(uintptr_t)NT_PRSTATUS, &iov) != 0)
        return -1;
    if (iov.iov_len < sizeof(struct user_regs_struct))
        return errno = EIO, -1;
    r->len = iov.iov_len;
    r->sp_pc_only = false;
    r->tls = regs_of(r)->fs_base;
    return 0;
}

int arch_regs_from_blocked(arch_regs *r, uint64_t sp, uint64_t pc, bool in_syscall)
{
    /* rip after the syscall instruction, as at an interrupt stop (the kernel rewinds a
     * restarted call only on the way out, after the stop) */
    (void)in_syscall;
    memset(r, 0, sizeof *r);
    struct user_regs_struct *u = (struct user_regs_struct *)(void *)r->words;
    u->rsp = sp;
    u->rip = pc;
    r->len = sizeof *u;
    r->sp_pc_only = true;
    return 0;
}

void arch_stop_quirks(arch_regs *r)
{
    (void)r;   /* rip/rsp at an interrupt stop already describe user space */
}

uint64_t arch_pc(const arch_regs *r)
{
    return regs_of(r)->rip;
}

uint64_t arch_sp(const arch_regs *r)
{
    return regs_of(r)->rsp;
}

uint64_t arch_fp(const arch_regs *r)
{
    return regs_of(r)->rbp;
}

size_t arch_red_zone(void)
{
    return X86_64_RED_ZONE;
}

/* libunwind's register number -> offset in user_regs_struct; -1 for none. */
static long unw_offset(int regnum)
{
    switch (regnum) {
    case UNW_X86_64_RAX: return offsetof(struct user_regs_struct, rax);
    case UNW_X86_64_RDX: return offsetof(struct user_regs_struct, rdx);
    case UNW_X86_64_RCX: return offsetof(struct user_regs_struct, rcx);
    case UNW_X86_64_RBX: return offsetof(struct user_regs_struct, rbx);
    case UNW_X86_64_RSI: return offsetof(struct user_regs_struct, rsi);
    case UNW_X86_64_RDI: return offsetof(struct user_regs_struct, rdi);
    case UNW_X86_64_RBP: return offsetof(struct user_regs_struct, rbp);
    case UNW_X86_64_RSP: return offsetof(struct user_regs_struct, rsp);
    case UNW_X86_64_R8: return offsetof(struct user_regs_struct, r8);
    case UNW_X86_64_R9: return offsetof(struct user_regs_struct, r9);
    case UNW_X86_64_R10: return offsetof(struct user_regs_struct, r10);
    case UNW_X86_64_R11: return offsetof(struct user_regs_struct, r11);
    case UNW_X86_64_R12: return offsetof(struct user_regs_struct, r12);
    case UNW_X86_64_R13: return offsetof(struct user_regs_struct, r13);
    case UNW_X86_64_R14: return offsetof(struct user_regs_struct, r14);
    case UNW_X86_64_R15: return offsetof(struct user_regs_struct, r15);
    case UNW_X86_64_RIP: return offsetof(struct user_regs_struct, rip);
    default: return -1;
    }
}

int arch_unw_reg(const arch_regs *r, int regnum, uint64_t *value)
{
    long off = unw_offset(regnum);
    if (off < 0 || (r->sp_pc_only && regnum != UNW_X86_64_RSP && regnum != UNW_X86_64_RIP))
        return -1;
    *value = r->words[(size_t)off / sizeof(uint64_t)];
    return 0;
}

uint64_t arch_strip_pac(const arch_regs *r, uint64_t code_addr)
{
    (void)r;
    return code_addr;   /* no pointer authentication on x86_64 */
}

long arch_syscall_nr(const arch_regs *r)
{
    return (long)regs_of(r)->orig_rax;
}

int arch_unw_fp_reg(void)
{
    return UNW_X86_64_RBP;
}

bool arch_keeps_frame_records(void)
{
    return false;
}

unsigned arch_elf_machine(void)
{
    return EM_X86_64;
}

const char *arch_name(void)
{
    return "x86_64";
}

/* In a call, the kernel keeps its number in orig_rax and, stopped (ptrace, a core dump) before
 * the call is restarted, rax holds -ERESTART* (or -EINTR); a thread in user space has
 * orig_rax -1, or rax some other value. Arguments: rdi, rsi, rdx, r10, r8, r9. */
bool arch_core_syscall(const arch_regs *r, long note_nr, const uint8_t *code, long *nr, uint64_t args[6])
{
    (void)note_nr, (void)code;
    const struct user_regs_struct *g = regs_of(r);
    if (r->len < sizeof *g || (long)g->orig_rax < 0)
        return false;
    long rax = (long)g->rax;
    if (rax != -512 && rax != -513 && rax != -514 && rax != -516 && rax != -4)
        return false;
    *nr = (long)g->orig_rax;
    uint64_t a[6] = {g->rdi, g->rsi, g->rdx, g->r10, g->r8, g->r9};
    for (int i = 0; i < 6; i++)
        args[i] = a[i];
    return true;
}

int arch_dwarf_nregs(void)
{
    return 16;
}

int arch_unw_pc_reg(void)
{
    return UNW_X86_64_RIP;
}

#endif
