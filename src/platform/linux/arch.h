/* Everything register- and ABI-specific, behind one small interface. Exactly one
 * arch_<arch>.c implements it (each file's body is guarded by its own #if defined(__<arch>__),
 * so the globbed sources build everywhere). Nothing outside arch_<arch>.c may ask which
 * architecture it runs on.
 *
 * Contract shared by every implementation:
 * - arch_regs holds one thread's general registers exactly as PTRACE_GETREGSET(NT_PRSTATUS)
 *   returned them, plus the TLS base, which the implementation fetches however its ABI keeps it.
 * - Frame-pointer layout for the fallback unwinder: at address FP the caller's FP is saved,
 *   at FP + 8 the return address (true for x86_64 and aarch64 with frame records; s390x and
 *   ppc64le keep no such records: their arch_keeps_frame_records() is false).
 * - No function here allocates or prints; failures return -1 with errno set. */
#ifndef THREADLENS_ARCH_H
#define THREADLENS_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ARCH_REGS_WORDS 64   /* room for any NT_PRSTATUS set (x86_64: 27, aarch64: 34, s390x: 27,
                                ppc64le: 48 words) */

typedef struct arch_regs {
    uint64_t words[ARCH_REGS_WORDS];
    size_t len;              /* bytes the kernel filled in words */
    uint64_t tls;            /* thread pointer (x86_64 fs_base, aarch64 tpidr_el0, s390x
                                access registers a0:a1, ppc64le r13) */
    uint64_t pac_mask;       /* pointer-authentication bits of code addresses (aarch64
                                NT_ARM_PAC_MASK insn_mask); 0 where there are none */
    bool sp_pc_only;         /* taken without a stop (arch_regs_from_blocked): only SP and PC
                                are known; arch_unw_reg fails for every other register */
    uint64_t aux;            /* a word some ABIs keep outside NT_PRSTATUS (s390x: the system-call
                                number, regset NT_S390_SYSTEM_CALL); 0 elsewhere */
} arch_regs;

/* Reads the registers of tid, which must be in a ptrace stop of ours. 0 or -1 (errno). */
int arch_fetch_regs(pid_t tid, arch_regs *r);

/* Fills r for a thread blocked in the kernel from the SP and PC of /proc/PID/task/TID/syscall
 * (in_syscall: it showed a call number, not -1), as a PTRACE_INTERRUPT stop would show them
 * after arch_stop_quirks; every other register is unknown (r->sp_pc_only). No TLS. -1 (errno
 * EAGAIN) when this ABI cannot describe the thread without a stop yet (aarch64 with pointer
 * authentication, before one stop told the PAC mask). */
int arch_regs_from_blocked(arch_regs *r, uint64_t sp, uint64_t pc, bool in_syscall);

/* Adjusts registers read at a PTRACE_INTERRUPT stop so they describe where the thread runs in
 * user space (e.g. a system call rewound for restart). No-op where nothing needs fixing. */
void arch_stop_quirks(arch_regs *r);

uint64_t arch_pc(const arch_regs *r);
uint64_t arch_sp(const arch_regs *r);
uint64_t arch_fp(const arch_regs *r);          /* frame pointer register */

/* Bytes below SP that a leaf function may use without moving SP (the copy starts there):
 * x86_64 128, ppc64le 288 (ELFv2's protected zone), aarch64 and s390x 0 (s390x keeps its
 * 160-byte register save area above SP, inside the copy anyway). */
size_t arch_red_zone(void);

/* Value of libunwind's register number regnum (UNW_X86_64_RIP, UNW_AARCH64_SP, ...).
 * 0, or -1 when regnum is not a register this set holds. */
int arch_unw_reg(const arch_regs *r, int regnum, uint64_t *value);

/* code_addr (a return address from a register or the stack) without the pointer-
 * authentication signature that -mbranch-protection code adds on CPUs with PAC (aarch64);
 * unchanged where there is none. Strip before unwinding from it or symbolizing it. */
uint64_t arch_strip_pac(const arch_regs *r, uint64_t code_addr);

/* The system-call number register (x86_64 orig_rax, aarch64 x8, ppc64le r0; s390x has none: the
 * kernel's int_code, read through NT_S390_SYSTEM_CALL). At a PTRACE_INTERRUPT stop
 * /proc/TID/syscall may read -1 on aarch64 (the call was rewound for restart) while this still
 * holds the number; meaningful only when the thread is known to be in a system call. */
long arch_syscall_nr(const arch_regs *r);

/* libunwind's number of the frame-pointer register (UNW_X86_64_RBP, UNW_AARCH64_X29,
 * UNW_S390X_R11, UNW_PPC64_R31). */
int arch_unw_fp_reg(void);

/* Whether code of this ABI keeps frame records by default (aarch64: GCC and Clang keep x29/x30
 * records on Linux; x86_64: no, -fomit-frame-pointer is the default), so that the unwinder may
 * follow them where the CFI unwinder gave up. */
bool arch_keeps_frame_records(void);

/* ---- cores (core_*.c): the same registers, read from a core's NT_PRSTATUS note ---- */

/* The ELF machine of the cores this build reads (EM_X86_64, EM_AARCH64), and its name. */
unsigned arch_elf_machine(void);
const char *arch_name(void);

/* The system call a thread of a core was in, from its registers: *nr and the six arguments.
 * note_nr is what an NT_ARM_SYSTEM_CALL-like note said (-2: the core has none); code (NULL when
 * unknown) the 4 bytes of code at the thread's pc. false when the thread was not in a call, or
 * this cannot be told. */
bool arch_core_syscall(const arch_regs *r, long note_nr, const uint8_t *code, long *nr, uint64_t args[6]);

/* The register file of the CFI unwinder (unwind_cfi.h): the general registers by their DWARF
 * numbers 0 .. arch_dwarf_nregs() - 1, which are also libunwind's numbers for them (x86_64:
 * rax..r15 = 0..15; aarch64: x0..x30, sp = 0..31). The pc has no DWARF number: libunwind asks
 * for it as arch_unw_pc_reg() (x86_64 rip 16, aarch64 pc 32). */
int arch_dwarf_nregs(void);
int arch_unw_pc_reg(void);

#endif
