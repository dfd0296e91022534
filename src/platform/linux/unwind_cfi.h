/* Stepping one frame by the call-frame information in a module's file, for modules whose
 * unwind tables libunwind cannot find in memory (no .eh_frame_hdr): Go binaries ship only a
 * (compressed) .debug_frame. libdw reads it (.debug_frame, .zdebug_frame or SHF_COMPRESSED;
 * else .eh_frame) from the file opened through target_file.h, never by its path; registers
 * and memory come from the capture. Why a step of our own rather than a libunwind proc-info:
 * libunwind reads .debug_frame only from its own address space through internal table
 * formats, while libdw hands back each register's rule, which a small evaluator applies. */
#ifndef THREADLENS_UNWIND_CFI_H
#define THREADLENS_UNWIND_CFI_H

#include <stdbool.h>
#include <stdint.h>

#include "stacks_linux.h"

#define WREGS_MAX 32               /* general registers by DWARF number (arch_dwarf_nregs()) */
#define CFI_MODULES_MAX 8          /* module files kept open per process for their CFI */

/* One frame's registers as far as they are known. */
typedef struct wregs {
    uint64_t pc;
    uint64_t v[WREGS_MAX];
    uint32_t known;                /* bit r: v[r] is known */
    bool initial;                  /* the captured registers themselves (frame 0) */
} wregs;

typedef struct cfi_cache cfi_cache;

cfi_cache *cfi_cache_new(int pid);
void cfi_cache_free(cfi_cache *c);

typedef enum cfi_result {
    CFI_NONE,                      /* no CFI for lookup (or it could not be applied) */
    CFI_STEPPED,                   /* *r is the caller's frame */
    CFI_OUTERMOST,                 /* the CFI marks the return address undefined: the end */
} cfi_result;

/* Steps from the frame *r (whose code address to look up is lookup: the pc, or pc - 1 for a
 * return address) by the CFI of the module whose first mapping (file offset 0) is first. */
cfi_result cfi_step(cfi_cache *c, platform_stacks *ps, const maps_region *first, uint64_t lookup, wregs *r);

#endif
